"""Voice test helpers: speech made with espeak-ng, WAV files in every shape."""

from __future__ import annotations

import shutil
import subprocess
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
