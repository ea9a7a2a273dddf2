"""One spoken turn from a recording: WAV bytes in, the reply as events and WAV pieces out.

For interfaces that record the user's whole turn before sending it (the web page's
push-to-talk). The microphone path (`VoiceSession`) finds turns itself; here the turn
is given, so there is no voice activity detection or echo to handle:

    talk = PushToTalk(app.companion(), build_voice(app.settings, persona.voice))
    await talk.start()
    async for event in talk.turn(wav):
        ...  # Heard, then TextDelta / Notice / ConfirmationNeeded, Spoken pieces, Done or Failed

The reply is the same `Companion.reply()` as text. Each `Spoken` piece (a first clause,
then sentences) is ready while the model still writes the rest. If the user speaks over
the reply, stop iterating (`aclose()`) and call `interrupted(reply_offset)` with how much
of the reply text was played; memory then keeps only what was heard.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from os1.companion import Companion
from os1.errors import InputError, OS1Error
from os1.events import Event, Failed, TextDelta
from os1.voice.audio import wav_bytes
from os1.voice.clips import clip_speech
from os1.voice.session import VoiceParts
from os1.voice.words import Chunker, for_speech, heard_until


@dataclass(frozen=True)
class Heard:
    """What speech-to-text made of the recording."""

    text: str


@dataclass(frozen=True)
class Spoken:
    """One piece of the reply, spoken: `text` is `reply_text[start:end]`; `wav` is mono
    16-bit PCM at `rate` Hz."""

    text: str
    start: int
    end: int
    wav: bytes
    rate: int

    def heard_until(self, reply_text: str, fraction: float) -> int:
        """Offset in the reply text heard when `fraction` of this piece had played."""
        return heard_until(reply_text, self.start, self.end, fraction)


VoiceEvent = Heard | Spoken | Event


class PushToTalk:
    """Spoken turns for one conversation thread, with models loaded once."""

    def __init__(self, companion: Companion, parts: VoiceParts, thread: str = "main") -> None:
        self.companion = companion
        self.parts = parts
        self.thread = thread
        self.reply_text = ""  # the last reply's text so far

    async def start(self) -> None:
        """Load the models and read the persona into the engine, before the first turn."""
        await asyncio.gather(
            self.parts.transcriber.start(),
            self.parts.synthesizer.start(),
            self.companion.warm_up(self.thread),
        )

    async def turn(
        self, wav: bytes, name: str = "The recording"
    ) -> AsyncGenerator[VoiceEvent, None]:
        """Hear `wav` (any rate, channels, PCM or float WAV), answer, and speak the answer.
        A recording without words ends with `Failed` (an InputError saying what to do)."""
        try:
            text = await self.parts.transcriber.transcribe(clip_speech(wav, name))
        except OS1Error as exc:
            yield Failed(exc)
            return
        if not text.strip():
            yield Failed(InputError(f"I couldn't make out any words in {name}.", "Say it again."))
            return
        yield Heard(text)
        self.reply_text = ""
        async with contextlib.aclosing(self._speak(text)) as events:
            async for event in events:
                yield event

    async def _speak(self, text: str) -> AsyncGenerator[VoiceEvent, None]:
        """The companion writes in a task of its own, so that synthesising one piece
        never holds up the model; closing this stops the reply (stored as written)."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue()  # None: no more events
        writer = asyncio.create_task(self._write(text, queue))
        chunker = Chunker()
        try:
            while (event := await queue.get()) is not None:
                yield event
                if isinstance(event, TextDelta):
                    for start, end in chunker.feed(event.text):
                        yield await self._piece(chunker.text, start, end)
            for start, end in chunker.finish():
                yield await self._piece(chunker.text, start, end)
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer

    async def _write(self, text: str, queue: asyncio.Queue[Event | None]) -> None:
        try:
            async for event in self.companion.reply(text, self.thread):
                if isinstance(event, TextDelta):
                    self.reply_text += event.text
                queue.put_nowait(event)
        finally:
            queue.put_nowait(None)

    async def _piece(self, text: str, start: int, end: int) -> Spoken:
        synthesizer = self.parts.synthesizer
        audio = await synthesizer.synthesize(for_speech(text[start:end]))
        return Spoken(
            text[start:end], start, end, wav_bytes(audio, synthesizer.rate), synthesizer.rate
        )

    def interrupted(self, heard_until_offset: int) -> None:
        """The user spoke over the last reply after hearing `reply_text[:offset]` of it
        (see `Spoken.heard_until`): memory keeps that, marked interrupted."""
        heard = self.reply_text[: max(0, heard_until_offset)]
        if len(heard.strip()) < len(self.reply_text.strip()):
            self.companion.heard(heard, self.thread)
