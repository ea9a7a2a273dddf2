"""The ASGI app: the page, its API, the websocket conversation and the OpenAI-compatible API.

`create_app(app)` takes OS1's composition root; every route reaches OS1 only through
the Hub, for the account its token names. Errors leave as one line that says the fix.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from os1 import __version__
from os1.app import App
from os1.errors import OS1Error
from os1.server import openai_api, routes
from os1.server.conversation import Conversation
from os1.server.errors import body_for, error_body, validation_message
from os1.server.hub import Hub
from os1.server.limits import BodyLimit, Limits
from os1.server.speech import Speech

log = logging.getLogger(__name__)

_STATIC = resources.files("os1.server") / "static"
# The page loads nothing from anywhere else, and nothing may frame it.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob:; "
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


_HTTP_MESSAGES = {
    404: "There is nothing at this address.",
    405: "That method is not allowed here.",
}


def create_app(
    app: App,
    *,
    load_model: bool = True,
    limits: Limits | None = None,
    speech: Speech | None = None,
) -> FastAPI:
    """The whole server over one App: one store, one mind, a companion per user, and
    (when given) one speech-to-text and voice for the page's push-to-talk."""
    hub = Hub(app, speech)
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if load_model:
            await app.mind.start()  # load once, before the first user waits for it
            await _start_speech(speech)
        try:
            yield
        finally:
            await hub.aclose()
            await app.aclose()

    server = FastAPI(
        title="OS1",
        version=__version__,
        description="OS1 in the browser and over the OpenAI-compatible API.",
        lifespan=lifespan,
        docs_url=None,  # the interactive docs load scripts from a CDN; OS1 stays offline
        redoc_url=None,
    )
    server.state.hub = hub
    server.state.limits = limits
    _errors(server)
    server.include_router(routes.router)
    server.include_router(openai_api.router)
    server.add_api_route("/", page, methods=["GET"], include_in_schema=False)
    server.add_api_route("/health", health, methods=["GET"], include_in_schema=False)
    server.add_api_websocket_route("/api/conversation", conversation)
    server.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")
    server.add_middleware(SecurityHeaders)
    server.add_middleware(BodyLimit, timeout=limits.body)
    return server


async def _start_speech(speech: Speech | None) -> None:
    """Load the speech models now; if they cannot load, each clip says why, with the fix."""
    if speech is None:
        return
    try:
        await speech.start()
    except OS1Error as exc:
        log.warning("push-to-talk is not ready: %s", exc)


async def page() -> HTMLResponse:
    return HTMLResponse((_STATIC / "index.html").read_text(encoding="utf-8"))


async def health(request: Request) -> dict[str, str | int]:
    """Up, and which one model serves everyone (and in how many parallel slots)."""
    app = request.app.state.hub.app
    return {"status": "ok", "model": app.mind.info.name, "slots": app.settings.parallel_slots}


async def conversation(ws: WebSocket) -> None:
    await Conversation(ws, ws.app.state.hub, ws.app.state.limits).run()


class SecurityHeaders:
    """ASGI middleware: `_HEADERS` on every HTTP response that does not set its own.

    Plain ASGI rather than `@app.middleware("http")`: that one relays each response through
    a memory stream and a second disconnect listener, which a 25 MB piece of music need not
    pass through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(name.lower().encode(), value.encode()) for name, value in _HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.raw if name not in have]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _errors(server: FastAPI) -> None:
    @server.exception_handler(OS1Error)
    async def os1_error(_: Request, exc: OS1Error) -> JSONResponse:
        status, body = body_for(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)

    @server.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        return JSONResponse(
            error_body(validation_message(errors), "invalid_request_error"), status_code=422
        )

    @server.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        text = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            error_body(text, "invalid_request_error"),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @server.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected server error: %s", type(exc).__name__)
        log.debug("the unexpected error", exc_info=exc)  # may quote personal content
        return JSONResponse(
            error_body("Something went wrong on my side; it is in the log.", "server_error"),
            status_code=500,
        )
