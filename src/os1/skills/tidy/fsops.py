"""Careful filesystem operations: no symlink is ever followed, any name and length works.

Every path below the root is reached one component at a time from an open directory
(`openat` with `O_NOFOLLOW`), so a folder swapped for a symlink between the scan and
the move is refused rather than followed out of the root, and paths longer than
PATH_MAX still work. Moves never overwrite: `renameat2(RENAME_NOREPLACE)` where the
kernel has it, a hard link (files) or a last look (folders) where it does not.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
NOATIME = getattr(os, "O_NOATIME", 0)  # reading for a scan must not make files look used
_RENAME_NOREPLACE = 1


class Changed(Exception):
    """The thing on disk is not what the scan saw (moved, replaced, or now a symlink)."""


def open_read(path: str | bytes, dir_fd: int | None = None) -> int:
    """Open a file for reading without following a final symlink or touching its atime."""
    try:
        return os.open(path, FILE_FLAGS | NOATIME, dir_fd=dir_fd)
    except PermissionError:  # O_NOATIME is only for the file's owner
        return os.open(path, FILE_FLAGS, dir_fd=dir_fd)


def components(relative: str) -> list[str]:
    return [part for part in relative.split("/") if part and part != "."]


@dataclass(frozen=True)
class Identity:
    """What identifies a file or folder as the one the scan saw."""

    dev: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> Identity:
        return cls(st.st_dev, st.st_ino)


class Tree:
    """A root folder, opened once; everything below it is reached without symlinks."""

    def __init__(self, root: str, cache: int = 64) -> None:
        self.root = root
        self.fd = os.open(root, DIR_FLAGS & ~os.O_NOFOLLOW)  # the root itself may be a link
        self._dirs: OrderedDict[str, int] = OrderedDict()
        self._cache = cache

    def close(self) -> None:
        for fd in self._dirs.values():
            os.close(fd)
        self._dirs.clear()
        os.close(self.fd)

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def relative(self, path: str) -> str:
        """The part of an absolute `path` below the root; refuses anything outside it."""
        root = self.root.rstrip("/")
        if path == root:
            return ""
        if not path.startswith(root + "/"):
            raise Changed(f"{path!r} is outside {root!r}")
        return path[len(root) + 1 :]

    def folder(self, relative: str, create: bool = False) -> int:
        """An open fd for the folder `relative` (below the root), reached with O_NOFOLLOW."""
        if relative in self._dirs:
            self._dirs.move_to_end(relative)
            return self._dirs[relative]
        fd = self.fd
        walked = ""
        for part in components(relative):
            walked = f"{walked}/{part}" if walked else part
            if walked in self._dirs:
                fd = self._dirs[walked]
                continue
            fd = self._open_child(fd, part, create)
            self._remember(walked, fd)
        return fd

    def _open_child(self, parent: int, name: str, create: bool) -> int:
        try:
            return os.open(name, DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                raise
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o700, dir_fd=parent)
            return os.open(name, DIR_FLAGS, dir_fd=parent)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise Changed(f"{name!r} is no longer a folder") from exc
            raise

    def _remember(self, relative: str, fd: int) -> None:
        self._dirs[relative] = fd
        while len(self._dirs) > self._cache:
            _, old = self._dirs.popitem(last=False)
            os.close(old)

    def forget(self, relative: str) -> None:
        """Drop cached folder fds at or below `relative` (after it moved)."""
        for key in [k for k in self._dirs if k == relative or k.startswith(relative + "/")]:
            os.close(self._dirs.pop(key))

    def parent(self, relative: str, create: bool = False) -> tuple[int, str]:
        """(fd of the containing folder, final name) for a path below the root."""
        parts = components(relative)
        if not parts:
            raise Changed("the root itself cannot be moved")
        return self.folder("/".join(parts[:-1]), create), parts[-1]

    def lstat(self, relative: str) -> os.stat_result:
        fd, name = self.parent(relative)
        return os.stat(name, dir_fd=fd, follow_symlinks=False)

    def open_file(self, relative: str) -> int:
        fd, name = self.parent(relative)
        try:
            return open_read(name, fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise Changed(f"{name!r} is now a symlink") from exc
            raise


def open_folder(root: str, relative: str) -> int:
    """An fd for a folder below `root`: by its full path when that fits in PATH_MAX, else
    one component at a time (never following a link either way but the root's own)."""
    path = f"{root}/{relative}" if relative else root
    if len(os.fsencode(path)) < 4000:
        return os.open(path, DIR_FLAGS if relative else DIR_FLAGS & ~os.O_NOFOLLOW)
    fd = os.open(root, DIR_FLAGS & ~os.O_NOFOLLOW)
    try:
        for part in components(relative):
            next_fd = os.open(part, DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = next_fd
    except BaseException:
        os.close(fd)
        raise
    return fd


def same_file(fd: int, expected: Identity) -> bool:
    st = os.fstat(fd)
    return stat.S_ISREG(st.st_mode) and Identity.of(st) == expected


# -- moving without overwriting -------------------------------------------------------

_libc: ctypes.CDLL | None = None


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    global _libc  # loaded once, on first use
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return getattr(_libc, "renameat2", None)


def rename_noreplace(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    """Move `src` to `dst` (both names in open folders); never replaces an existing `dst`."""
    function = _renameat2()
    if function is not None:
        result = function(src_fd, os.fsencode(src), dst_fd, os.fsencode(dst), _RENAME_NOREPLACE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS):  # EINVAL: the filesystem lacks it
            raise OSError(code, os.strerror(code), dst)
    _rename_fallback(src_fd, src, dst_fd, dst)


def _rename_fallback(src_fd: int, src: str, dst_fd: int, dst: str) -> None:
    st = os.stat(src, dir_fd=src_fd, follow_symlinks=False)
    if not stat.S_ISDIR(st.st_mode):
        try:
            os.link(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd, follow_symlinks=False)
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise
        else:
            os.unlink(src, dir_fd=src_fd)
            return
    if exists(dst_fd, dst):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
    os.rename(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)


def exists(dir_fd: int, name: str) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def fsync_dir(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.fsync(fd)


def read_chunks(fd: int, size: int = 1 << 20) -> Iterator[bytes]:
    while chunk := os.read(fd, size):
        yield chunk
