"""The streamed conversation over a websocket: the page's (and the load test's) way to talk.

Protocol, JSON text frames:
  client: {"type": "hello", "token": T, "thread": "main"}   first, within 10 seconds
          {"type": "message", "text": "..."}               one turn at a time
          {"type": "stop"}                                  interrupt the reply
          {"type": "decide", "action_id": N, "yes": true}   answer a proposal
          a binary frame: a push-to-talk clip, one WAV file     (server/speech.py)
  server: {"type": "ready", "handle", "setup_needed", "persona", "voice"}
          {"type": "heard", "text"}   what a clip said, before the reply to it
          {"type": "delta", "text"} ... {"type": "done", "message_id", "text"}
          {"type": "notice"|"tool"|"confirm"|"decided"|"error", ...}
          {"type": "piece", "id", "title", "audio"}   music to play: GET audio (the token's)
          {"type": "stopped"}   after a stop: frames before it belong to the stopped reply
          binary frames (WAV), one per sentence of a reply to a clip, then {"type": "spoken"}

A client that disconnects mid-reply cancels the turn; the part already said is
stored as interrupted. A flood of frames closes that connection only (1008).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from os1.companion import Companion
from os1.errors import InputError, OS1Error
from os1.events import (
    ConfirmationNeeded,
    Done,
    Event,
    Failed,
    Notice,
    PieceReady,
    TextDelta,
    ToolCall,
)
from os1.server.accounts import Account
from os1.server.errors import TooLarge, busy, unauthorized
from os1.server.hub import Hub, clean_thread, closing
from os1.server.limits import Limits
from os1.server.schemas import MAX_MESSAGE
from os1.server.speech import Speaker, Speech, check_clip, nothing_heard, unavailable

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
    if isinstance(event, PieceReady):
        audio = f"/api/music/{event.piece_id}/audio"
        return {"type": "piece", "id": event.piece_id, "title": event.title, "audio": audio}
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
        await self._deliver(lambda: self.ws.send_text(json.dumps(data)))

    async def send_audio(self, wav: bytes) -> None:
        await self._deliver(lambda: self.ws.send_bytes(wav))

    async def _deliver(self, sending: Callable[[], Awaitable[None]]) -> None:
        if self.ws.application_state is not WebSocketState.CONNECTED:
            return
        async with self._send_lock:
            try:
                await asyncio.wait_for(sending(), self.limits.send)
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
                "voice": self.hub.speech is not None,
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
                if message.get("text") is not None:
                    await self._handle(_parse(message["text"]))
                elif message.get("bytes") is not None:
                    self._start_voice_turn(message["bytes"])
                else:
                    raise InputError(
                        "Send text frames: JSON objects.", 'For example {"type": "stop"}.'
                    )
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
        lock = self._turn_lock()
        self._turn = asyncio.create_task(self._run_turn(lock, companion.reply(text, self.thread)))

    def _turn_lock(self) -> asyncio.Lock:
        assert self.account is not None
        if self._turn is not None and not self._turn.done():
            raise busy()
        return self.hub.turn(self.account, self.thread, wait=False)

    def _start_voice_turn(self, clip: bytes) -> None:
        """A push-to-talk clip: heard, answered like a typed message, and spoken."""
        assert self.account is not None
        speech = self.hub.speech
        if speech is None:
            raise unavailable()
        check_clip(clip)
        companion = self.hub.companion(self.account)
        lock = self._turn_lock()
        persona = self.hub.personas(self.account).load()
        voice = persona.voice if persona else "neutral"
        self._turn = asyncio.create_task(self._voice_turn(lock, companion, speech, clip, voice))

    async def _voice_turn(
        self, lock: asyncio.Lock, companion: Companion, speech: Speech, clip: bytes, voice: str
    ) -> None:
        try:
            text = (await speech.transcribe(clip)).strip()
            if not text:
                raise nothing_heard()
        except OS1Error as exc:
            with contextlib.suppress(WebSocketDisconnect):
                await self.send(error_json(exc))
            return
        with contextlib.suppress(WebSocketDisconnect):
            await self.send({"type": "heard", "text": text})
        speaker = Speaker(speech, voice, self.send_audio)
        events = companion.reply(text, self.thread, acknowledge=True)
        await self._run_turn(lock, events, speaker)

    async def _run_turn(
        self, lock: asyncio.Lock, events: Any, speaker: Speaker | None = None
    ) -> None:
        try:
            async with lock, closing(events):
                async for event in events:
                    await self.send(event_json(event))
                    if speaker is not None and isinstance(event, TextDelta):
                        speaker.say(event.text)
            if speaker is not None:
                clips = await speaker.finish()
                await self.send({"type": "spoken", "clips": clips})
        except WebSocketDisconnect:
            pass  # the reader sees the disconnect and stops this turn
        except OS1Error as exc:  # the voice failed; the written reply stands
            with contextlib.suppress(WebSocketDisconnect):
                await self.send(error_json(exc))
        except Exception as exc:  # a bug must not end the connection silently
            log.error("a turn failed unexpectedly: %s", type(exc).__name__)
            log.debug("the unexpected error", exc_info=exc)  # may quote personal content
            await self.send(
                {"type": "error", "message": "Something went wrong on my side. Try again?"}
            )
        finally:
            if speaker is not None:
                await speaker.cancel()

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
