"""Speech-to-text: 16 kHz mono samples in, text out.

`Transcriber` is the seam (one async method); `WhisperTranscriber` runs Whisper through
faster-whisper (CTranslate2, int8) in a worker thread. A whole recorded clip (the web
page's push-to-talk) goes through `os1.voice.clips.ClipSpeech`.
"""

from __future__ import annotations

import asyncio
import re
import threading
import zlib
from pathlib import Path
from typing import Any, Protocol

from os1.errors import ModelFailure, ModelUnavailable
from os1.imports import IMPORTING
from os1.voice.audio import SPEECH_RATE, Samples, speech_from_wav_bytes

_INSTALL = ".venv/bin/pip install faster-whisper==1.2.1"
# Whisper's own thresholds for "this segment is not speech" (as in openai-whisper).
_NO_SPEECH = 0.6
_LOW_LOGPROB = -1.0
_MAX_SECONDS = 120.0  # bounded work per call; the listener cuts turns at 28 s
# Whisper reads 30 s windows, padding short speech with silence, and its encoder costs
# the same for one word as for 30 s (0.67 s for base on 2 cores; 0.05 s for 5 s of
# frames). A window of the speech plus some silence costs 2-3.5 points of WER on our
# synthetic sets (BENCHMARKS.md) for 0.5 s a turn; a result that looks lost (looping,
# unsure, no speech) is decoded again the usual way.
_SAMPLES_A_FRAME = 160  # Whisper's features: 100 frames a second of 16 kHz audio
_SHORT_MAX_FRAMES = 2000  # 20 s of speech; longer turns take the usual way
_SHORT_MIN_FRAMES = 1000
_SHORT_MARGIN_FRAMES = 100
_MOST_TOKENS_A_SECOND = 8  # fast speech is about 4: more is a loop
_REPETITIVE = 2.4  # zlib compression ratio of the text, as openai-whisper uses
# One to four words said three times running ("music music music"): a loop too short
# for the compression ratio to see (a real "no, no, no" only takes the usual way).
_STUTTER = re.compile(r"\b(\w+(?:\W+\w+){0,3})(?:\W+\1\b){2,}", re.IGNORECASE)


class Transcriber(Protocol):
    async def start(self) -> None:
        """Load the model (safe to call more than once)."""

    async def transcribe(self, audio: Samples) -> str:
        """What was said in `audio` (16 kHz mono float32); '' when nothing was."""
        ...


class WhisperTranscriber:
    """Whisper (base by default, tiny.en as the fast option) via faster-whisper."""

    def __init__(
        self, model_dir: Path, threads: int = 2, name: str = "whisper", short_window: bool = True
    ) -> None:
        self.model_dir = model_dir
        self.name = name
        self.short_window = short_window
        self._threads = threads
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()  # one transcription at a time

    async def start(self) -> None:
        if self._model is None:
            await asyncio.to_thread(self._load)

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            try:
                with IMPORTING:
                    import tqdm
                    from faster_whisper import WhisperModel
                    from faster_whisper.tokenizer import Tokenizer
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
            model = self._model
            self._tokenizer = Tokenizer(
                model.hf_tokenizer, model.model.is_multilingual, "transcribe", "en"
            )

    async def transcribe(self, audio: Samples) -> str:
        await self.start()
        if len(audio) == 0:
            return ""
        return await asyncio.to_thread(self._transcribe, audio[: int(_MAX_SECONDS * SPEECH_RATE)])

    def _transcribe(self, audio: Samples) -> str:
        with self._lock:
            if self.short_window:
                heard = self._short(audio)
                if heard is not None:
                    return heard
            return self._whole(audio)

    def _short(self, audio: Samples) -> str | None:
        """One greedy pass over a window a little longer than the speech, or None when
        the result looks like the model lost its way (then the 30 s window decides)."""
        from faster_whisper.audio import pad_or_trim

        frames = len(audio) // _SAMPLES_A_FRAME
        if frames > _SHORT_MAX_FRAMES:
            return None
        model, tokenizer = self._model, self._tokenizer
        features = model.feature_extractor(audio)
        window = max(_SHORT_MIN_FRAMES, features.shape[-1] + _SHORT_MARGIN_FRAMES)
        cap = int(frames / 100 * _MOST_TOKENS_A_SECOND) + 8
        try:
            encoded = model.encode(pad_or_trim(features, window))
            result = model.model.generate(
                encoded,
                [[*tokenizer.sot_sequence, tokenizer.no_timestamps]],
                beam_size=1,
                max_length=len(tokenizer.sot_sequence) + 1 + cap,
                return_scores=True,
                return_no_speech_prob=True,
                suppress_blank=True,
                suppress_tokens=[-1],
            )[0]
        except (RuntimeError, ValueError) as exc:
            raise ModelFailure(f"Speech-to-text failed: {exc}.", "Try again.") from exc
        generated: list[int] = result.sequences_ids[0]
        tokens = [t for t in generated if t < tokenizer.eot]
        text: str = tokenizer.decode(tokens).strip()
        # The score is the sum of log probabilities over the length (CTranslate2's
        # default length penalty); like faster-whisper, count the end token too.
        mean_logprob = result.scores[0] * len(generated) / (len(generated) + 1)
        lost = len(tokens) >= cap or _looks_lost(text, mean_logprob, result.no_speech_prob)
        return None if lost else text

    def _whole(self, audio: Samples) -> str:
        """faster-whisper's own decoding, in 30 s windows, with its fallbacks."""
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


def _looks_lost(text: str, mean_logprob: float, no_speech_prob: float) -> bool:
    """Unsure, looping, or likely no speech at all (silence, noise, a cough)."""
    if mean_logprob < _LOW_LOGPROB or no_speech_prob > _NO_SPEECH:
        return True
    return bool(text) and (_compression_ratio(text) > _REPETITIVE or bool(_STUTTER.search(text)))


def _compression_ratio(text: str) -> float:
    """How well the text compresses: a looping transcript compresses very well."""
    data = text.encode()
    return len(data) / len(zlib.compress(data))


async def transcribe_wav(transcriber: Transcriber, data: bytes, name: str = "The audio") -> str:
    """WAV bytes (any rate, any channels) to text: for interfaces that get whole files."""
    return await transcriber.transcribe(speech_from_wav_bytes(data, name))
