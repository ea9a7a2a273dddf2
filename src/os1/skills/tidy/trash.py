"""Where moved things go: OS1's own trash, or the freedesktop trash, always on the same disk.

A move is a rename, never a copy: so the trash must be on the file's filesystem.
OS1's trash is a folder per plan in its data directory (`tidy/<plan>/trash/<n>`); the
desktop trash is `$XDG_DATA_HOME/Trash` with a `.trashinfo` beside each item, as the
freedesktop.org Trash specification says, so file managers can restore them too. For
a file on another filesystem than either, the spec's `$topdir/.Trash-$uid` is used.
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

OS1, DESKTOP = "os1", "desktop"
_NAME_MAX = 200  # room for a numeric suffix below the usual 255-byte limit


class NoTrash(Exception):
    """No trash can take things from that filesystem."""


@dataclass(frozen=True)
class Spot:
    """One trash folder on one filesystem."""

    files: str  # the folder items are moved into
    info: str  # freedesktop: the folder of .trashinfo files; '' for OS1's trash
    dev: int


def desktop_trash(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    data = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".local/share")
    return Path(data) / "Trash"


def _make(folder: Path) -> int | None:
    """Create a private folder if needed; its device, or None if impossible."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(folder, follow_symlinks=False)
    except OSError:
        return None
    return st.st_dev


def mount_point(path: str) -> str:
    """The top folder of the filesystem holding `path`."""
    current = os.path.realpath(path)
    dev = os.stat(current).st_dev
    while current != "/":
        parent = os.path.dirname(current)
        if os.stat(parent).st_dev != dev:
            break
        current = parent
    return current


class Trashes:
    """Picks (and creates) the trash for each filesystem a plan touches."""

    def __init__(self, mode: str, own: Path, desktop: Path | None = None) -> None:
        self.mode = mode
        self._own = own
        self._desktop = desktop or desktop_trash()
        self._spots: dict[int, Spot] = {}

    def spot(self, dev: int, near: str) -> Spot:
        """The trash for things on device `dev` (`near` is a path on that device)."""
        if dev in self._spots:
            return self._spots[dev]
        candidates = []
        if self.mode == OS1:
            candidates.append((self._own, ""))
        else:
            candidates.append((self._desktop / "files", str(self._desktop / "info")))
        top = Path(mount_point(near)) / f".Trash-{os.getuid()}"
        candidates.append((top / "files", str(top / "info")))
        for files, info in candidates:
            if _make(files) == dev and (not info or _make(Path(info)) == dev):
                self._spots[dev] = Spot(str(files), info, dev)
                return self._spots[dev]
        raise NoTrash("no trash on that filesystem can be written")


def trash_name(spot: Spot, number: int, original: str) -> str:
    """A fresh name in the trash: the item's number for OS1's, its own name for the desktop's."""
    if not spot.info:
        return str(number)
    base = os.path.basename(original)
    raw = os.fsencode(base)
    if len(raw) > _NAME_MAX:
        base = os.fsdecode(raw[:_NAME_MAX])
    return base


def reserve_info(spot: Spot, base: str, original: str) -> tuple[str, str]:
    """Reserve a desktop-trash name by creating its .trashinfo first (O_EXCL, as the spec
    says); returns (name in files/, path of the .trashinfo)."""
    quoted = urllib.parse.quote(os.fsencode(original), safe="/")
    when = datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
    text = f"[Trash Info]\nPath={quoted}\nDeletionDate={when}\n".encode()
    for attempt in range(1, 10_000):
        name = base if attempt == 1 else f"{base}.{attempt}"
        info = os.path.join(spot.info, name + ".trashinfo")
        if os.path.lexists(os.path.join(spot.files, name)):
            continue
        try:
            fd = os.open(info, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        with contextlib.closing(os.fdopen(fd, "wb")) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        return name, info
    raise NoTrash("the trash has no free name for it")


def drop_info(info: str) -> None:
    if info:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(info)
