"""Push-to-talk in the page: the seam between the server and the speech models.

The page records while its button is held and sends the clip as one binary websocket
frame: a WAV file (16 kHz, mono, 16-bit). The server hears it through
`Speech.transcribe`, answers it as a turn like a typed message, and speaks the reply
sentence by sentence through `Speech.speak`, while the rest is still being written: each
sentence is one binary frame (a WAV file) that the page plays in order.

`Speech` is all the server knows of voice. app.py picks what implements it (`App.speech`);
with none, the page hides its talk button and a clip gets a one-line answer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Protocol

from os1.errors import InputError
from os1.server.errors import TooLarge

MAX_CLIP = 1 << 20  # one websocket frame (os1.server.serve.WS_MAX_FRAME): 32 s at 16 kHz


class Speech(Protocol):
    """Speech-to-text and a voice, shared by every user (one of each model)."""

    async def start(self) -> None:
        """Load the models (the server calls it once, at start; safe to call again)."""

    async def transcribe(self, wav: bytes) -> str:
        """What was said in a WAV clip (any rate, any channels); '' when nothing was.
        Raises InputError, with the fix, for audio that cannot be read."""
        ...

    async def speak(self, text: str, voice: str) -> bytes:
        """`text` spoken in the persona's voice ("female", "male" or "neutral"), as WAV."""
        ...


def unavailable() -> InputError:
    return InputError(
        "Voice is not set up on this server.", "Type your message instead, and press Enter."
    )


def check_clip(clip: bytes) -> None:
    if len(clip) > MAX_CLIP:
        raise TooLarge(
            f"That recording is {len(clip) / (1 << 20):.1f} MiB.",
            f"Hold the button for less than {MAX_CLIP // 32_000} seconds at a time.",
        )
    if not clip.startswith(b"RIFF"):
        raise InputError(
            "That binary frame is not a WAV recording.",
            "Send speech as one WAV file (16 kHz mono 16-bit) per frame, or text as JSON.",
        )


def nothing_heard() -> InputError:
    return InputError(
        "I didn't hear anything.", "Hold the button while you speak, and let go when you're done."
    )


class Speaker:
    """Speaks a reply sentence by sentence, in order, while the reply is still coming."""

    def __init__(self, speech: Speech, voice: str, send: Callable[[bytes], Awaitable[None]]):
        self._speech, self._voice, self._send = speech, voice, send
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._task = asyncio.create_task(self._run())

    def say(self, text: str) -> None:
        if text.strip():
            self._queue.put_nowait(text.strip())

    async def finish(self) -> int:
        """Wait until every sentence was sent; how many clips were. Raises what failed."""
        self._queue.put_nowait(None)
        return await self._task

    async def cancel(self) -> None:
        if not self._task.done():
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task

    async def _run(self) -> int:
        clips = 0
        while (text := await self._queue.get()) is not None:
            await self._send(await self._speech.speak(text, self._voice))
            clips += 1
        return clips
