"""Request bodies: too large or too slow is refused before any route sees it.

The body is read whole (it is small: JSON; speech comes over the websocket) within a
size and a time limit, then handed to the app; after that, `receive` is the server's own again,
so a streamed reply still hears the client disconnect.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from os1.server.errors import SlowClient, TooLarge, body_for

JSON_LIMIT = 1 << 20  # 1 MiB: far above the longest message a person writes


@dataclass(frozen=True)
class Limits:
    """How long the server waits for a slow client (seconds)."""

    body: float = 30.0  # a whole HTTP request body
    hello: float = 10.0  # a websocket's first frame, which names the user
    send: float = 30.0  # one frame to a client that is not reading


class _Refused(Exception):
    def __init__(self, error: TooLarge | SlowClient) -> None:
        self.error = error


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"The request is larger than {limit // (1 << 20)} MiB.", "Send less at once.")


class BodyLimit:
    """ASGI middleware: reads each HTTP body within `JSON_LIMIT` bytes and a timeout."""

    def __init__(self, app: ASGIApp, timeout: float = Limits.body) -> None:
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body, disconnected = await self._read(scope, receive, JSON_LIMIT)
        except _Refused as refused:
            await _refuse(send, refused.error)
            return
        await self.app(scope, _replay(body, disconnected, receive), send)

    async def _read(self, scope: Scope, receive: Receive, limit: int) -> tuple[bytes, bool]:
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            raise _Refused(_too_large(limit))
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise _Refused(
                    SlowClient("The request body came too slowly.", "Send it all at once.")
                ) from None
            if message["type"] == "http.disconnect":
                return b"".join(chunks), True
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _Refused(_too_large(limit))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False


def _replay(body: bytes, disconnected: bool, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if disconnected:
                return {"type": "http.disconnect"}
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(send: Send, error: TooLarge | SlowClient) -> None:
    status, body = body_for(error)
    payload: Any = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
