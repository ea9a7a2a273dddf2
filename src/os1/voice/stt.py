"""Speech-to-text: 16 kHz mono samples in, text out.

`Transcriber` is the seam (one async method); `WhisperTranscriber` runs Whisper through
faster-whisper (CTranslate2, int8) in a worker thread. A whole recorded clip (the web
page's push-to-talk) goes through `os1.voice.clips.ClipSpeech`.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, Protocol

from os1.errors import ModelFailure, ModelUnavailable
from os1.voice.audio import SPEECH_RATE, Samples, speech_from_wav_bytes

_INSTALL = ".venv/bin/pip install faster-whisper==1.2.1"
# Whisper's own thresholds for "this segment is not speech" (as in openai-whisper).
_NO_SPEECH = 0.6
_LOW_LOGPROB = -1.0
_MAX_SECONDS = 120.0  # bounded work per call; the listener cuts turns at 28 s


class Transcriber(Protocol):
    async def start(self) -> None:
        """Load the model (safe to call more than once)."""

    async def transcribe(self, audio: Samples) -> str:
        """What was said in `audio` (16 kHz mono float32); '' when nothing was."""
        ...


class WhisperTranscriber:
    """Whisper (base by default, tiny.en as the fast option) via faster-whisper."""

    def __init__(self, model_dir: Path, threads: int = 2, name: str = "whisper") -> None:
        self.model_dir = model_dir
        self.name = name
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()  # one transcription at a time

    async def start(self) -> None:
        if self._model is None:
            await asyncio.to_thread(self._load)

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            try:
                import tqdm
                from faster_whisper import WhisperModel
            except ImportError as exc:
                raise ModelUnavailable(
                    "Speech-to-text (faster-whisper) is not installed.", f"Run: {_INSTALL}"
                ) from exc
            # faster-whisper makes a (hidden) progress bar per call, and tqdm starts a
            # monitor thread for it that never ends: a process with a stray thread can no
            # longer fork safely (tidy's workers), so the monitor stays off.
            tqdm.tqdm.monitor_interval = 0
            try:
                self._model = WhisperModel(
                    str(self.model_dir),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self._threads,
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelUnavailable(
                    f"Whisper could not load {self.model_dir} ({exc}).",
                    f"Delete {self.model_dir} so it is prepared again.",
                ) from exc

    async def transcribe(self, audio: Samples) -> str:
        await self.start()
        if len(audio) == 0:
            return ""
        return await asyncio.to_thread(self._transcribe, audio[: int(_MAX_SECONDS * SPEECH_RATE)])

    def _transcribe(self, audio: Samples) -> str:
        with self._lock:
            try:
                segments, _ = self._model.transcribe(
                    audio,
                    language="en",
                    beam_size=1,
                    condition_on_previous_text=False,
                    without_timestamps=True,
                    vad_filter=False,  # the listener has already found the speech
                )
                kept = [
                    s.text.strip()
                    for s in segments
                    if not (s.no_speech_prob > _NO_SPEECH and s.avg_logprob < _LOW_LOGPROB)
                ]
            except (RuntimeError, ValueError) as exc:
                raise ModelFailure(f"Speech-to-text failed: {exc}.", "Try again.") from exc
        return " ".join(t for t in kept if t).strip()


async def transcribe_wav(transcriber: Transcriber, data: bytes, name: str = "The audio") -> str:
    """WAV bytes (any rate, any channels) to text: for interfaces that get whole files."""
    return await transcriber.transcribe(speech_from_wav_bytes(data, name))
