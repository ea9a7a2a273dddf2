"""Voice test helpers: speech made with espeak-ng, WAV files in every shape."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from os1.voice.audio import SPEECH_RATE, Samples, read_wav_bytes, resample, wav_bytes

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def espeak(text: str, voice: str = "en-us") -> Samples:
    """`text` spoken by espeak-ng, at 16 kHz."""
    out = subprocess.run(
        ["espeak-ng", "--stdout", "-v", voice, text], capture_output=True, check=True
    ).stdout
    samples, rate = read_wav_bytes(out)
    return resample(samples, rate, SPEECH_RATE)


def silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * SPEECH_RATE), np.float32)


def write(path: Path, samples: Samples, rate: int = SPEECH_RATE) -> Path:
    path.write_bytes(wav_bytes(samples, rate))
    return path


# The `os1` command in a subprocess, set up, with the tiny model (shared with tests/cli).
from ..cli.conftest import answers, cli_env, os1, set_up_os1, shared_models  # noqa: E402, F401


def recording(rate: int = 44_100, channels: int = 2, seconds: float = 1.0) -> bytes:
    """A tone as 16-bit PCM WAV bytes, in the shape given."""
    tone = 0.3 * np.sin(np.arange(int(rate * seconds)) * 2 * np.pi * 200 / rate)
    pcm = np.repeat((tone * 32767).astype("<i2"), channels)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()
