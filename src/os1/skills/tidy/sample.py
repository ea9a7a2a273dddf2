"""Generated trees with known duplicates: for the tests, the benchmark, and trying tidy safely.

Contents are pseudo-random and unique unless made a copy on purpose, so the duplicate
groups are known exactly. Some unique files share a size, and some share everything but
their last bytes, which is what makes a partial hash pass and a full hash necessary.
"""

from __future__ import annotations

import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

# (share of files, smallest size, largest size): log-uniform within each band.
MIXED_SIZES: tuple[tuple[float, int, int], ...] = (
    (0.85, 64, 16 << 10),
    (0.14, 16 << 10, 256 << 10),
    (0.01, 256 << 10, 4 << 20),
)
_COPY_NAMES = ("{stem} (1){ext}", "Copy of {stem}{ext}", "{stem} copy{ext}", "{stem}{ext}")


@dataclass
class SampleTree:
    root: Path
    files: int = 0
    folders: int = 0
    bytes: int = 0
    groups: list[set[str]] = field(default_factory=list)  # relative paths, two or more each


def _size(rng: random.Random, bands: tuple[tuple[float, int, int], ...]) -> int:
    pick = rng.random()
    for share, low, high in bands:
        if pick < share:
            return int(math.exp(rng.uniform(math.log(low), math.log(high))))
        pick -= share
    return bands[-1][1]


def _content(rng: random.Random, size: int, serial: int, tail: bool = False) -> bytes:
    """Unique bytes of exactly `size`: the serial number sits at the start (or the end)."""
    mark = serial.to_bytes(8, "little")
    body = rng.randbytes(max(0, size - 8))
    data = body + mark if tail else mark + body
    return data[-size:] if tail else data[:size]


class _Writer:
    def __init__(self, root: Path, rng: random.Random, per_folder: int) -> None:
        self.tree = SampleTree(root)
        self._rng = rng
        self._per_folder = per_folder
        self._folder = root
        self._in_folder = per_folder

    def _next_folder(self) -> Path:
        if self._in_folder >= self._per_folder:
            n = self.tree.folders
            self._folder = self.tree.root / f"d{n // 100 % 100:02}" / f"e{n // 10 % 10}" / f"f{n}"
            self._folder.mkdir(parents=True, exist_ok=True)
            self.tree.folders += 1
            self._in_folder = 0
        self._in_folder += 1
        return self._folder

    def write(self, data: bytes, name: str) -> str:
        path = self._next_folder() / name
        path.write_bytes(data)
        self.tree.files += 1
        self.tree.bytes += len(data)
        return path.relative_to(self.tree.root).as_posix()


def make_tree(
    root: Path,
    files: int = 1000,
    *,
    seed: int = 0,
    copies: float = 0.3,
    sizes: tuple[tuple[float, int, int], ...] = MIXED_SIZES,
    per_folder: int = 60,
) -> SampleTree:
    """Write about `files` files under `root`; a share `copies` of them are duplicates."""
    rng = random.Random(seed)  # noqa: S311 - test data, repeatable by seed
    writer = _Writer(root, rng, per_folder)
    root.mkdir(parents=True, exist_ok=True)
    serial = 0
    while writer.tree.files < files:
        serial += 1
        size = _size(rng, sizes)
        kind = rng.random()
        twin = kind < 0.05 and size > 8  # same size and start, different end
        data = _content(rng, size, serial, tail=twin)
        stem, ext = f"file{serial}", rng.choice((".jpg", ".txt", ".pdf", ".mp3", ".dat"))
        first = writer.write(data, f"{stem}{ext}")
        if twin:
            other = data[:-8] + (serial + 10**9).to_bytes(8, "little")
            writer.write(other[-size:], f"{stem}-twin{ext}")
        elif kind < 0.05 + copies / (1 + copies):
            group = {first}
            for n in range(rng.choice((1, 1, 1, 2, 3))):
                name = _COPY_NAMES[n % len(_COPY_NAMES)].format(stem=stem, ext=ext)
                group.add(writer.write(data, name))
            writer.tree.groups.append(group)
    return writer.tree


def group_key(paths: set[str] | list[str]) -> frozenset[str]:
    return frozenset(os.fsdecode(p) for p in paths)
