"""The streamed conversation over a websocket: the page's (and the load test's) way to talk.

Protocol, JSON text frames:
  client: {"type": "hello", "token": T, "thread": "main"}   first, within 10 seconds
          {"type": "message", "text": "..."}               one turn at a time
          {"type": "stop"}                                  interrupt the reply
          {"type": "decide", "action_id": N, "yes": true}   answer a proposal
  server: {"type": "ready", "handle", "setup_needed", "persona"}
          {"type": "delta", "text"} ... {"type": "done", "message_id", "text"}
          {"type": "notice"|"tool"|"confirm"|"decided"|"error", ...}
          {"type": "stopped"}   after a stop: frames before it belong to the stopped reply

A client that disconnects mid-reply cancels the turn; the part already said is
stored as interrupted. A flood of frames closes that connection only (1008).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from os1.errors import InputError, OS1Error
from os1.events import ConfirmationNeeded, Done, Event, Failed, Notice, TextDelta, ToolCall
from os1.server.accounts import Account
from os1.server.errors import TooLarge, unauthorized
from os1.server.hub import Hub, clean_thread, closing
from os1.server.limits import Limits
from os1.server.schemas import MAX_MESSAGE

log = logging.getLogger(__name__)

_BURST, _PER_SECOND = 20.0, 5.0  # frames a client may send: a burst, then a steady rate
_CLOSE_AUTH, _CLOSE_POLICY = 4401, 1008
_EXAMPLE = 'For example {"type": "message", "text": "Hi"}.'


def event_json(event: Event) -> dict[str, Any]:
    """One turn event as the page reads it."""
    if isinstance(event, TextDelta):
        return {"type": "delta", "text": event.text}
    if isinstance(event, Notice):
        return {"type": "notice", "text": event.text}
    if isinstance(event, ToolCall):
        return {"type": "tool", "name": event.name}
    if isinstance(event, ConfirmationNeeded):
        return {"type": "confirm", "action_id": event.action_id, "summary": event.summary}
    if isinstance(event, Done):
        return {"type": "done", "message_id": event.message_id, "text": event.text}
    assert isinstance(event, Failed)
    return error_json(event.error)


def error_json(error: OS1Error) -> dict[str, Any]:
    return {"type": "error", "message": str(error), "kind": type(error).__name__}


class _Bucket:
    """A token bucket: `burst` frames at once, then `rate` a second."""

    def __init__(self, burst: float, rate: float) -> None:
        self._burst, self._rate = burst, rate
        self._tokens, self._at = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class Conversation:
    """One websocket: a signed-in user talking in one thread."""

    def __init__(self, ws: WebSocket, hub: Hub, limits: Limits) -> None:
        self.ws = ws
        self.hub = hub
        self.limits = limits
        self.account: Account | None = None
        self.thread = "main"
        self._turn: asyncio.Task[None] | None = None
        self._send_lock = asyncio.Lock()
        self._bucket = _Bucket(_BURST, _PER_SECOND)

    async def run(self) -> None:
        await self.ws.accept()
        try:
            if await self._hello():
                await self._serve()
        except WebSocketDisconnect:
            pass
        finally:
            await self._stop_turn()

    async def send(self, data: dict[str, Any]) -> None:
        if self.ws.application_state is not WebSocketState.CONNECTED:
            return
        async with self._send_lock:
            try:
                await asyncio.wait_for(self.ws.send_text(json.dumps(data)), self.limits.send)
            except (TimeoutError, RuntimeError) as exc:
                raise WebSocketDisconnect(1001) from exc

    async def _close(self, code: int, error: OS1Error) -> None:
        await self.send(error_json(error))
        with contextlib.suppress(RuntimeError):
            await self.ws.close(code, str(error)[:120])

    async def _hello(self) -> bool:
        try:
            raw = await asyncio.wait_for(self.ws.receive_text(), self.limits.hello)
            frame = _parse(raw)
            self.thread = clean_thread(_text(frame, "thread", default="main"))
        except TimeoutError:
            await self._close(_CLOSE_AUTH, unauthorized())
            return False
        except (InputError, KeyError) as exc:
            error = exc if isinstance(exc, InputError) else unauthorized()
            await self._close(_CLOSE_AUTH, error)
            return False
        token = frame.get("token")
        account = self.hub.accounts.authenticate(token) if isinstance(token, str) else None
        if frame.get("type") != "hello" or account is None:
            await self._close(_CLOSE_AUTH, unauthorized())
            return False
        self.account = account
        persona = self.hub.personas(account).load()
        await self.send(
            {
                "type": "ready",
                "handle": account.handle,
                "thread": self.thread,
                "setup_needed": self.hub.setup_needed(account),
                "persona": {"name": persona.name, "user_name": persona.user_name}
                if persona
                else None,
            }
        )
        return True

    async def _serve(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if not self._bucket.take():
                error = InputError("Too many messages at once.", "Slow down, then reconnect.")
                await self._close(_CLOSE_POLICY, error)
                return
            try:
                if message.get("text") is None:
                    raise InputError(
                        "Send text frames: JSON objects.", 'For example {"type": "stop"}.'
                    )
                await self._handle(_parse(message["text"]))
            except OS1Error as exc:
                await self.send(error_json(exc))

    async def _handle(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "message":
            self._start_turn(_text(frame, "text"))
        elif kind == "stop":
            await self._stop_turn()
            await self.send({"type": "stopped"})
        elif kind == "decide":
            await self._decide(frame)
        else:
            raise InputError(
                f"Unknown message type {str(kind)[:40]!r}.", "Send message, stop or decide."
            )

    def _start_turn(self, text: str) -> None:
        assert self.account is not None
        if len(text) > MAX_MESSAGE:
            raise TooLarge(
                f"That message is {len(text):,} characters long.",
                f"The most I take at once is {MAX_MESSAGE:,}: send it in parts.",
            )
        companion = self.hub.companion(self.account)
        lock = self.hub.turn(self.account, self.thread, wait=False)
        if self._turn is not None and not self._turn.done():
            raise InputError("I'm still answering.", "Wait for me to finish, or send stop.")
        self._turn = asyncio.create_task(self._run_turn(lock, companion.reply(text, self.thread)))

    async def _run_turn(self, lock: asyncio.Lock, events: Any) -> None:
        try:
            async with lock, closing(events):
                async for event in events:
                    await self.send(event_json(event))
        except WebSocketDisconnect:
            pass  # the reader sees the disconnect and stops this turn
        except Exception as exc:  # a bug must not end the connection silently
            log.error("a turn failed unexpectedly: %s", type(exc).__name__)
            log.debug("the unexpected error", exc_info=exc)  # may quote personal content
            await self.send(
                {"type": "error", "message": "Something went wrong on my side. Try again?"}
            )

    async def _stop_turn(self) -> None:
        """Cancel a running reply; the companion stores what was said as interrupted."""
        turn, self._turn = self._turn, None
        if turn is not None and not turn.done():
            turn.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await turn

    async def _decide(self, frame: dict[str, Any]) -> None:
        assert self.account is not None
        action_id, yes = frame.get("action_id"), frame.get("yes")
        if not isinstance(action_id, int) or not isinstance(yes, bool):
            raise InputError("decide needs an action_id (a number) and yes (true or false).")
        companion = self.hub.companion(self.account)
        text = await companion.decide(action_id, yes)
        self.hub.refresh(self.account)
        await self.send({"type": "decided", "action_id": action_id, "yes": yes, "text": text})


def _parse(raw: str) -> dict[str, Any]:
    try:
        frame = json.loads(raw)
    except ValueError:
        raise InputError("That frame is not valid JSON.", "Send a JSON object.") from None
    if not isinstance(frame, dict):
        raise InputError("That frame is not a JSON object.", 'Send {"type": ...}.')
    return frame


def _text(frame: dict[str, Any], key: str, default: str | None = None) -> str:
    value = frame.get(key, default)
    if not isinstance(value, str):
        raise InputError(f"{key!r} must be text.")
    return value
