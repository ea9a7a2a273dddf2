"""A spoken conversation: the voice pipeline around one Companion, fed by a device.

    device -> echo -> listener -> speech-to-text -> companion -> text-to-speech -> output
                         \\-- the user speaks over OS1: interrupt, record what was heard

`VoiceSession.run(device)` runs until the device has nothing more to say (a file ends
and OS1 has answered) or is stopped (Ctrl-C at the microphone).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from os1.companion import Companion
from os1.errors import OS1Error
from os1.memory.episodes import Episodes
from os1.proactive import ProactiveNotes
from os1.voice.audio import Samples
from os1.voice.frames import Announcement, Captured, TurnTimings
from os1.voice.listener import EchoStage, Listener
from os1.voice.player import Player
from os1.voice.processors import Pipeline
from os1.voice.stages import OutputStage, RespondStage, Say, SpeakStage, TranscribeStage
from os1.voice.stt import Transcriber
from os1.voice.tts import Synthesizer
from os1.voice.turns import TurnPolicy

log = logging.getLogger(__name__)


class Device(Protocol):
    """Sound in and out, block by block: a microphone and speaker, or files."""

    rate: int  # the output rate the player runs at

    async def run(self, session: VoiceSession) -> None:
        """Capture blocks into `session.capture`, play `session.player`, until done."""


@dataclass
class Interruption:
    at: float  # when the listener noticed the user's voice
    reply: int
    heard: str
    silenced: float = 0.0  # when the player was emptied


@dataclass
class VoiceParts:
    transcriber: Transcriber
    synthesizer: Synthesizer
    policy: TurnPolicy = field(default_factory=TurnPolicy)
    notices: tuple[str, ...] = ()  # what the user should know (a fallback voice...)
    acknowledge: bool = True  # replies may open with a small word ("Oh.") at once


class VoiceSession:
    def __init__(
        self,
        companion: Companion,
        parts: VoiceParts,
        rate: int,
        say: Say | None = None,
        thread: str = "main",
    ) -> None:
        self.companion = companion
        self.parts = parts
        self.player = Player(rate)
        self.turns: list[TurnTimings] = []
        self.interruptions: list[Interruption] = []
        self._say: Say = say or (lambda _kind, _text: None)
        self.listener = Listener(parts.transcriber, parts.policy, self.os1_talking, self._barge_in)
        self.responder = RespondStage(
            companion, thread, self._said, self._timing, acknowledge=parts.acknowledge
        )
        self.echo = EchoStage(lambda: self.listener.user_speaking)
        self._unhold: Callable[[], None] | None = None
        self.pipeline = Pipeline(
            [
                self.echo,
                self.listener,
                TranscribeStage(parts.transcriber, self._new_timing),
                self.responder,
                SpeakStage(parts.synthesizer, rate),
                OutputStage(self.player),
            ]
        )

    async def start(self) -> None:
        """Load every model now, so the first answer does not wait for them."""
        self.pipeline.start()
        if self._unhold is None:
            self._unhold = self.companion.busy.also_while(self.listener.wants_engine)
        await asyncio.gather(
            self.parts.transcriber.start(),
            self.parts.synthesizer.start(),
            asyncio.to_thread(self.listener.vad.load),
            self.companion.warm_up(self.responder.thread),
        )

    async def stop(self) -> None:
        """Stop every stage; the companion no longer listens for this session's user."""
        if self._unhold is not None:
            self._unhold()
            self._unhold = None
        await self.pipeline.stop()

    # -- what the device calls -------------------------------------------------------

    def capture(self, mic: Samples, played: Samples, at: float) -> None:
        self.pipeline.put(Captured(mic, played, at))

    def announce(self, text: str) -> None:
        """Say `text` unasked (a proactive note), after whatever OS1 is saying now."""
        self.responder.inbox.put_nowait(Announcement(text))

    def say_due(self, notes: ProactiveNotes, episodes: Episodes) -> int:
        """Say the notes that are due (urgent mail), if nobody is talking; how many."""
        if not self.idle():
            return 0
        return notes.say_due(episodes, self.responder.thread, "voice", self.announce)

    def idle(self) -> bool:
        """Nobody is speaking and nothing is on its way."""
        return not self.listener.in_turn and self.pipeline.idle(after=2)

    def check(self) -> None:
        """Raise what broke a stage (a missing model, a failing engine)."""
        failure = self.pipeline.failure()
        if failure is not None:
            raise failure

    def os1_talking(self) -> bool:
        return not self.pipeline.idle(after=2)

    # -- turns and interruptions -------------------------------------------------------

    def _new_timing(self) -> TurnTimings:
        self.turns.append(TurnTimings())
        return self.turns[-1]

    def _timing(self) -> TurnTimings:
        return self.turns[-1] if self.turns else self._new_timing()

    def _said(self, kind: str, text: str) -> None:
        if kind == "user" and self.turns:
            self.turns[-1].reply = self.responder.reply + 1
        self._say(kind, text)

    def finish_timings(self) -> None:
        """Fill in when each reply's first sound played (the player noted it)."""
        for timing in self.turns:
            if not timing.first_audio and timing.reply in self.player.first_sound:
                timing.first_audio = self.player.first_sound[timing.reply]

    async def _barge_in(self, at: float) -> None:
        """The user spoke over OS1: fall silent now, stop the reply, keep what was heard."""
        self.player.clear()
        silenced = time.perf_counter()
        reply, writing = self.responder.reply, self.responder.busy
        await self.pipeline.interrupt(after=self.listener)
        text = self.responder.texts.get(reply, "")
        heard = text[: self.player.heard.get(reply, 0)].strip()
        if writing or len(heard) < len(text.strip()):  # else it had all been heard
            try:
                self.companion.heard(heard, self.responder.thread)
            except OS1Error as exc:
                log.warning("could not record what was heard: %s", type(exc).__name__)
        self.interruptions.append(Interruption(at, reply, heard, silenced))
        self._say("interrupted", heard)
