"""Voice activity: Silero VAD v6 (the ONNX file shipped inside faster-whisper), streamed.

faster-whisper runs Silero over whole files; a live conversation needs it window by
window, carrying the model's state, so this small wrapper runs the same ONNX file with
onnxruntime directly. One window is 512 samples at 16 kHz (32 ms) and costs well under
a millisecond.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from os1.errors import ModelUnavailable
from os1.imports import IMPORTING
from os1.voice.audio import SPEECH_RATE, Samples

WINDOW = 512  # samples at 16 kHz: 32 ms
WINDOW_SECONDS = WINDOW / SPEECH_RATE
_CONTEXT = 64  # samples of the previous window the model sees with each one


def silero_path() -> Path:
    try:
        with IMPORTING:
            from faster_whisper.utils import get_assets_path
    except ImportError as exc:
        raise ModelUnavailable(
            "Voice activity detection needs faster-whisper (it ships the Silero model).",
            "Run: .venv/bin/pip install faster-whisper==1.2.1",
        ) from exc
    return Path(get_assets_path()) / "silero_vad_v6.onnx"


class SileroVAD:
    """Speech probability for each 32 ms window of a 16 kHz stream."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._session: Any = None
        self.reset()

    def load(self) -> None:
        if self._session is not None:
            return
        with IMPORTING:
            import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 4
        try:
            self._session = onnxruntime.InferenceSession(
                str(self._path or silero_path()), options, providers=["CPUExecutionProvider"]
            )
        except (OSError, RuntimeError) as exc:
            raise ModelUnavailable(
                f"The voice activity model could not load ({exc}).",
                "Run: .venv/bin/pip install --force-reinstall faster-whisper==1.2.1",
            ) from exc

    def reset(self) -> None:
        """Forget the stream so far (a new conversation)."""
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)

    def probability(self, window: Samples) -> float:
        """Speech probability of one window of exactly WINDOW samples."""
        self.load()
        batch = np.concatenate([self._context, window.astype(np.float32, copy=False)])[None, :]
        out, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self._context = batch[0, -_CONTEXT:]
        return float(np.asarray(out).ravel()[0])


def speech_spans(audio: Samples, threshold: float = 0.5) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in a whole 16 kHz signal, windows merged over
    gaps shorter than 0.3 s. Used to find where speech ends in a recorded file."""
    vad = SileroVAD()
    spans: list[tuple[float, float]] = []
    for index in range(len(audio) // WINDOW):
        if vad.probability(audio[index * WINDOW : (index + 1) * WINDOW]) < threshold:
            continue
        start, end = index * WINDOW_SECONDS, (index + 1) * WINDOW_SECONDS
        if spans and start - spans[-1][1] < 0.3:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans
