"""Speech for whole clips: a recorded turn (WAV bytes) to text, a sentence to WAV bytes.

This is the shape the web server's push-to-talk asks for (`os1.server.speech.Speech`:
`start()`, `transcribe(wav) -> str`, `speak(text, voice) -> bytes`); the server does the
turn-taking (the user holds a button) and calls `Companion.reply()` itself. Built by
`os1.app.build_clip_speech(settings)`.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

from os1.errors import InputError
from os1.voice.audio import Samples, speech_from_wav_bytes, wav_bytes, wav_info
from os1.voice.stt import Transcriber
from os1.voice.tts import Synthesizer
from os1.voice.words import for_speech

MAX_CLIP_SECONDS = 120.0  # a clip longer than this is refused without decoding it


def clip_speech(wav: bytes, name: str = "The recording") -> Samples:
    """A clip as speech-to-text hears it (16 kHz mono); bad or overlong clips: InputError."""
    seconds = wav_info(io.BytesIO(wav), len(wav), name).seconds
    if seconds > MAX_CLIP_SECONDS:
        raise InputError(
            f"{name} is {seconds:.0f} seconds long; one spoken turn may last "
            f"{MAX_CLIP_SECONDS:.0f} seconds.",
            "Hold the button for a shorter turn.",
        )
    return speech_from_wav_bytes(wav, name)


class ClipSpeech:
    """One transcriber, and a synthesizer per persona voice ("female", "male", "neutral")."""

    def __init__(
        self, transcriber: Callable[[], Transcriber], voices: Callable[[str], Synthesizer]
    ) -> None:
        """`transcriber` and `voices` make the models (they prepare and verify packaged
        files, so they run at `start()`, in a worker thread, not when this is built)."""
        self._make_transcriber = transcriber
        self._transcriber: Transcriber | None = None
        self._voices = voices
        self._made: dict[str, Synthesizer] = {}

    def voice(self, persona_voice: str) -> Synthesizer:
        if persona_voice not in self._made:
            self._made[persona_voice] = self._voices(persona_voice)
        return self._made[persona_voice]

    async def start(self) -> None:
        """Load Whisper and the default voice now (safe to call again). Raises
        ModelUnavailable, with the fix, when a speech package is missing."""
        transcriber = await self._ready_transcriber()
        synthesizer = await asyncio.to_thread(self.voice, "neutral")
        await asyncio.gather(transcriber.start(), synthesizer.start())

    async def _ready_transcriber(self) -> Transcriber:
        if self._transcriber is None:
            self._transcriber = await asyncio.to_thread(self._make_transcriber)
        return self._transcriber

    async def transcribe(self, wav: bytes) -> str:
        """What was said in a WAV clip (any rate, channels, PCM or float); '' if nothing."""
        speech = clip_speech(wav)
        return await (await self._ready_transcriber()).transcribe(speech)

    async def speak(self, text: str, voice: str) -> bytes:
        """`text` spoken in the persona's voice, as mono 16-bit WAV bytes."""
        synthesizer = await asyncio.to_thread(self.voice, voice)
        audio = await synthesizer.synthesize(for_speech(text))
        return wav_bytes(audio, synthesizer.rate)
