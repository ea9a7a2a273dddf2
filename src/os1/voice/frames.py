"""What flows through the voice pipeline: small immutable frames, in order.

    Captured -> [echo] -> Heard -> [listener] -> UserTurn -> [speech-to-text] -> Transcript
    -> [responder: Companion.reply] -> ReplyText -> [text-to-speech] -> ReplyAudio -> [output]

An interruption is not a frame in these queues: it must overtake everything queued, so
the pipeline delivers it to every stage at once (`Pipeline.interrupt`), as pipecat
treats its interruption frames as system frames.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from os1.voice.audio import Samples


@dataclass(frozen=True)
class Captured:
    """One device block: what the microphone heard and what the speaker played meanwhile,
    both at 16 kHz. `at` is the wall-clock time (perf_counter) of the block's first sample."""

    mic: Samples
    played: Samples
    at: float


@dataclass(frozen=True)
class Heard:
    """Microphone audio with OS1's own voice taken out, at 16 kHz."""

    audio: Samples
    at: float
    echo_free: bool = True  # False while OS1's echo may still be in it


@dataclass(frozen=True)
class UserTurn:
    """The user finished speaking. `speech_end` is when their voice stopped (wall clock);
    `early` is the transcription of this same audio started at the pause, if any
    (finished or still running)."""

    audio: Samples
    speech_end: float
    ended: float
    early: asyncio.Task[str] | None = None


@dataclass(frozen=True)
class Transcript:
    text: str
    turn: UserTurn
    at: float


@dataclass(frozen=True)
class Announcement:
    """Something OS1 says unasked (urgent mail), already written into the conversation."""

    text: str


@dataclass(frozen=True)
class ReplyText:
    """A piece of OS1's reply to speak: `start:end` is its place in the reply's text."""

    reply: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ReplyAudio:
    piece: ReplyText
    audio: Samples  # at the device's rate


@dataclass
class TurnTimings:
    """Wall-clock moments of one turn (perf_counter seconds), for the stage breakdown."""

    speech_end: float = 0.0
    endpoint: float = 0.0
    transcript: float = 0.0
    first_text: float = 0.0
    model_text: float = 0.0  # the model's first words, after any opening of OS1's own
    first_audio: float = 0.0
    reply: int = 0  # which reply of the session answered this turn
    speculative: bool = False  # the transcript came from audio taken during the pause
    text: str = ""

    def stages(self) -> dict[str, float]:
        """Seconds spent in each stage, and the total from end of speech to first sound."""
        return {
            "endpoint": self.endpoint - self.speech_end,
            "speech_to_text": self.transcript - self.endpoint,
            "first_text": self.first_text - self.transcript,
            "model_words": (self.model_text or self.first_text) - self.transcript,
            "first_audio": self.first_audio - self.first_text,
            "total": self.first_audio - self.speech_end,
        }
