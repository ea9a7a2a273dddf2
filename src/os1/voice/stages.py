"""The speaking stages: transcript -> Companion.reply() -> pieces of text -> audio -> player.

Voice holds no conversation logic: the responder hands the user's words to
`Companion.reply()`, exactly as the terminal does, and speaks what comes back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from os1.companion import Companion
from os1.errors import OS1Error
from os1.events import ConfirmationNeeded, Done, Failed, Notice, TextDelta
from os1.voice.audio import resample
from os1.voice.frames import (
    Announcement,
    ReplyAudio,
    ReplyText,
    Transcript,
    TurnTimings,
    UserTurn,
)
from os1.voice.player import Player
from os1.voice.processors import Processor
from os1.voice.stt import Transcriber
from os1.voice.tts import Synthesizer
from os1.voice.words import Chunker, for_speech

Say = Callable[[str, str], None]  # (kind, text): what the interface shows


class TranscribeStage(Processor):
    name = "speech-to-text"

    def __init__(self, transcriber: Transcriber, timings: Callable[[], TurnTimings]) -> None:
        super().__init__()
        self._transcriber = transcriber
        self._timings = timings

    async def handle(self, frame: object) -> None:
        assert isinstance(frame, UserTurn)
        timing = self._timings()
        timing.speech_end, timing.endpoint = frame.speech_end, frame.ended
        timing.speculative = frame.early is not None
        text = await self._early(frame) if frame.early else None
        if text is None:
            text = await self._transcriber.transcribe(frame.audio)
        timing.transcript = time.perf_counter()
        timing.text = text
        await self.push(Transcript(text, frame, timing.transcript))

    @staticmethod
    async def _early(frame: UserTurn) -> str | None:
        """The transcript started at the pause; None if it failed."""
        assert frame.early is not None
        try:
            return await frame.early
        except OS1Error:
            return None


class RespondStage(Processor):
    """Asks the companion, and cuts what it says into pieces to speak."""

    name = "companion"

    def __init__(
        self,
        companion: Companion,
        thread: str,
        say: Say,
        timings: Callable[[], TurnTimings],
        *,
        acknowledge: bool,  # VoiceParts.acknowledge: the session's setting, not a second one
    ) -> None:
        super().__init__()
        self.companion = companion
        self.thread = thread
        self._acknowledge = acknowledge
        self._say = say
        self._timings = timings
        self.reply = 0  # the reply being spoken (counts up)
        self.texts: dict[int, str] = {}  # reply -> its text so far

    async def handle(self, frame: object) -> None:
        if isinstance(frame, Announcement):
            await self._announce(frame.text)
            return
        assert isinstance(frame, Transcript)
        if not frame.text.strip():
            self._say("notice", "(I didn't catch that.)")
            return
        self._say("user", frame.text)
        self.reply += 1
        chunker = Chunker()
        async for event in self.companion.reply(
            frame.text, self.thread, acknowledge=self._acknowledge
        ):
            if isinstance(event, TextDelta):
                self._first_text(event.ours)
                pieces = chunker.feed(event.text)
                self.texts[self.reply] = chunker.text
                self._say("delta", event.text)
                await self._push_pieces(chunker.text, pieces)
            elif isinstance(event, Failed):
                self._say("error", str(event.error))
            elif isinstance(event, Notice):
                self._say("notice", event.text)
            elif isinstance(event, ConfirmationNeeded):
                self._say("notice", event.summary)
            elif isinstance(event, Done):
                self._say("done", event.text)
        await self._push_pieces(chunker.text, chunker.finish())

    async def _announce(self, text: str) -> None:
        """Speak a note as its own reply, so the user can talk over it like any other."""
        self.reply += 1
        chunker = Chunker()
        pieces = chunker.feed(text) + chunker.finish()
        self.texts[self.reply] = chunker.text
        self._say("note", text)
        await self._push_pieces(chunker.text, pieces)

    async def _push_pieces(self, text: str, pieces: list[tuple[int, int]]) -> None:
        for start, end in pieces:
            await self.push(ReplyText(self.reply, text[start:end], start, end))

    def _first_text(self, ours: bool) -> None:
        timing = self._timings()
        now = time.perf_counter()
        timing.first_text = timing.first_text or now
        if not ours:
            timing.model_text = timing.model_text or now


class SpeakStage(Processor):
    """Text-to-speech, one piece at a time, resampled to the device's rate."""

    name = "text-to-speech"

    def __init__(self, synthesizer: Synthesizer, rate: int) -> None:
        super().__init__()
        self._synthesizer = synthesizer
        self._rate = rate

    async def handle(self, frame: object) -> None:
        assert isinstance(frame, ReplyText)
        audio = await self._synthesizer.synthesize(for_speech(frame.text))
        await self.push(ReplyAudio(frame, resample(audio, self._synthesizer.rate, self._rate)))


class OutputStage(Processor):
    """Hands audio to the player; the device plays it."""

    name = "output"

    def __init__(self, player: Player) -> None:
        super().__init__()
        self.player = player

    async def handle(self, frame: object) -> None:
        assert isinstance(frame, ReplyAudio)
        self.player.add(frame.piece, frame.audio)

    async def reset(self) -> None:
        self.player.clear()

    @property
    def idle(self) -> bool:
        return super().idle and not self.player.playing
