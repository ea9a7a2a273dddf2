"""The packaged embedding model, for real: verified files, unit vectors, meaning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from os1.errors import ModelUnavailable
from os1.memory.embedding import (
    DIMENSIONS,
    MODEL_SHA256,
    LazyEmbedder,
    MiniLM,
    _checked,
    embed_long,
    packaged_files,
    windows,
)


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM(threads=2)


def test_the_packaged_files_are_verified() -> None:
    onnx, tokenizer = packaged_files()
    assert onnx.name == "model.onnx" and tokenizer.name == "tokenizer.json"


def test_a_damaged_or_missing_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="is damaged"):
        _checked(bad, MODEL_SHA256, "model")
    with pytest.raises(ModelUnavailable, match="is missing"):
        _checked(tmp_path / "gone.onnx", MODEL_SHA256, "model")


def test_a_model_that_cannot_load_leaves_keyword_search() -> None:
    def broken() -> MiniLM:
        raise ModelUnavailable("gone", "reinstall")

    lazy = LazyEmbedder(broken)
    assert lazy.load() is None and lazy.loaded() is None
    assert lazy.error is not None and "gone" in str(lazy.error)


def test_vectors_are_unit_length_and_carry_meaning(model: MiniLM) -> None:
    vectors = model.embed(
        ["I sprained my ankle playing football.", "How did he get injured?", "I love pasta."]
    )
    assert vectors.shape == (3, DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[1, 2] + 0.1
    assert model.embed([]).shape == (0, DIMENSIONS)


def test_long_texts_are_the_mean_of_their_windows(model: MiniLM) -> None:
    long = " ".join(["The harbour at dawn, boats and gulls."] * 80)
    assert len(windows(long)) > 2
    vectors = embed_long(model, [long, "Boats in the harbour at dawn.", "Tax forms."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
