"""Walking a tree: every folder opened relative to its parent, nothing followed, nothing changed.

The walk stays below the root, never follows a symlink (each folder is opened with
`O_NOFOLLOW` from its parent's descriptor, so paths longer than PATH_MAX work too),
stays on the root's filesystem unless asked, refuses system folders, steps around
OS1's own data and any trash, and reports what it could not read instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from os1.errors import InputError
from os1.skills.tidy import fsops

# Folders that belong to the operating system: never a root, never entered.
SYSTEM_FOLDERS = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var",
    "/snap",
    "/System",
    "/Library",
    "/private",
)
SYSTEM_EXCEPTIONS = ("/var/tmp",)  # noqa: S108 - the one shared folder users may tidy
_TYPE, _REGULAR, _FOLDER = stat.S_IFMT(0o177777), stat.S_IFREG, stat.S_IFDIR
VCS_FOLDERS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", "CVS"})
TRASH_NAMES = frozenset({".Trash", "Trash"})


@dataclass(slots=True)
class FileRecord:
    folder: int  # index into Scan.folders
    name: str
    size: int
    dev: int
    ino: int
    nlink: int
    mtime_ns: int
    atime_ns: int


@dataclass(slots=True)
class Folder:
    rel: str  # below the root, '' for the root itself
    parent: int  # index, -1 for the root
    dev: int
    ino: int
    mtime_ns: int
    depth: int = 0
    entries: int = 0  # direct entries of any kind
    readable: bool = True
    protected: bool = False  # version control, or hidden (an app's state): never changed
    vcs: bool = False
    names: set[str] = field(default_factory=set)  # project markers seen here (build rules)


@dataclass(frozen=True)
class Skipped:
    path: str
    why: str


@dataclass
class Scan:
    root: str
    dev: int
    folders: list[Folder] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    bytes: int = 0

    def folder_path(self, index: int) -> str:
        rel = self.folders[index].rel
        return f"{self.root}/{rel}" if rel else self.root

    def path(self, record: FileRecord) -> str:
        rel = self.folders[record.folder].rel
        return f"{self.root}/{rel}/{record.name}" if rel else f"{self.root}/{record.name}"

    def rel(self, record: FileRecord) -> str:
        rel = self.folders[record.folder].rel
        return f"{rel}/{record.name}" if rel else record.name


def is_system_folder(path: str) -> bool:
    if path == "/" or any(path == e or path.startswith(e + "/") for e in SYSTEM_EXCEPTIONS):
        return path == "/"
    return any(path == s or path.startswith(s + "/") for s in SYSTEM_FOLDERS)


def resolve_root(raw: str) -> str:
    """The real, absolute folder to tidy; refuses files, missing paths and system folders."""
    resolved = Path(raw).expanduser().resolve()
    path = str(resolved)
    if not resolved.exists():
        raise InputError(f"There is no folder {raw!r}.", "Give the path of a folder to tidy.")
    if not resolved.is_dir():
        raise InputError(f"{raw!r} is a file, not a folder.", "Give the folder that holds it.")
    if is_system_folder(path):
        raise InputError(
            f"{path} is a system folder; tidying it could break the computer.",
            "Pick one of your own folders, like your home folder.",
        )
    return path


def _identities(paths: list[str]) -> set[tuple[int, int]]:
    found = set()
    for path in paths:
        with contextlib.suppress(OSError):
            st = Path(path).stat()
            found.add((st.st_dev, st.st_ino))
    return found


class Walker:
    """One scan of one root. `on_file` sees each regular file as soon as it is found."""

    def __init__(
        self,
        root: str,
        *,
        cross_filesystems: bool = False,
        avoid: list[str] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_listed: Callable[[Scan, int], None] | None = None,
    ) -> None:
        self.root = root
        self.on_listed = on_listed  # told of each folder's files: scan.files[start:]
        self.cross = cross_filesystems
        self.avoid = _identities(list(avoid or []))  # OS1's data, the trash
        self.system = _identities(list(SYSTEM_FOLDERS))
        self.on_progress = on_progress

    def run(self) -> Scan:
        fd = os.open(self.root, fsops.DIR_FLAGS & ~os.O_NOFOLLOW)
        st = os.fstat(fd)
        scan = Scan(self.root, st.st_dev)
        scan.folders.append(Folder("", -1, st.st_dev, st.st_ino, st.st_mtime_ns))
        try:
            self._walk(scan, 0, fd)
        finally:
            os.close(fd)
        return scan

    def _walk(self, scan: Scan, start: int, start_fd: int) -> None:
        """Walk the subtree of folder `start` (open as `start_fd`, which stays open)."""
        # Each pending folder is opened from its parent's fd, kept open until its last
        # child is opened: at most about one fd per level of depth.
        pending: list[tuple[int, str, int]] = [(start, "", -1)]  # (index, name, parent)
        open_fds: dict[int, list[int]] = {-1: [start_fd, 1]}  # index -> [fd, children left]
        try:
            while pending:
                index, name, parent = pending.pop()
                holder = open_fds[parent]
                fd = start_fd if index == start else self._open(scan, index, name, holder[0])
                holder[1] -= 1
                if holder[1] == 0 and parent not in (-1, start):
                    os.close(open_fds.pop(parent)[0])
                if fd < 0:
                    continue
                children = self._list(scan, index, fd)
                if children:
                    open_fds[index] = [fd, len(children)]
                    pending.extend(children)
                elif index != start:
                    os.close(fd)
        finally:
            for index, (fd, _) in open_fds.items():
                if index not in (-1, start):
                    os.close(fd)

    def _open(self, scan: Scan, index: int, name: str, parent_fd: int) -> int:
        folder = scan.folders[index]
        try:
            fd = os.open(name, fsops.DIR_FLAGS, dir_fd=parent_fd)
        except OSError as exc:
            folder.readable = False
            scan.skipped.append(Skipped(scan.folder_path(index), _why(exc)))
            return -1
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != (folder.dev, folder.ino):  # swapped since listed
            os.close(fd)
            folder.readable = False
            scan.skipped.append(Skipped(scan.folder_path(index), "it changed during the scan"))
            return -1
        return fd

    def _list(self, scan: Scan, index: int, fd: int) -> list[tuple[int, str, int]]:
        """Record one folder's files; return its subfolders to visit."""
        folder = scan.folders[index]
        children: list[tuple[int, str, int]] = []
        files = scan.files
        try:
            entries = list(os.scandir(fd))
        except OSError as exc:
            folder.readable = False
            scan.skipped.append(Skipped(scan.folder_path(index), _why(exc)))
            return children
        folder.entries = len(entries)
        append, record_of, total, start = files.append, FileRecord, 0, len(files)
        for entry in entries:
            name = entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                scan.skipped.append(Skipped(f"{scan.folder_path(index)}/{name}", _why(exc)))
                continue
            kind = st.st_mode & _TYPE
            if kind == _REGULAR:
                size = st.st_size
                total += size
                append(
                    record_of(
                        index,
                        name,
                        size,
                        st.st_dev,
                        st.st_ino,
                        st.st_nlink,
                        st.st_mtime_ns,
                        st.st_atime_ns,
                    )
                )
            elif kind == _FOLDER:
                child = self._folder(scan, index, name, st)
                if child is not None:
                    children.append((child, name, index))
            if name in _MARKERS:
                folder.names.add(name)
        scan.bytes += total
        if self.on_listed is not None and len(files) > start:
            self.on_listed(scan, start)
        if self.on_progress is not None:
            self.on_progress(len(files), scan.bytes)
        return children

    def _folder(self, scan: Scan, parent: int, name: str, st: os.stat_result) -> int | None:
        """A subfolder worth entering, recorded; None (and why, if it matters) if not."""
        up = scan.folders[parent]
        rel = f"{up.rel}/{name}" if up.rel else name
        where = f"{scan.root}/{rel}"
        if (
            (st.st_dev, st.st_ino) in self.avoid
            or name in TRASH_NAMES
            or name.startswith(".Trash-")
        ):
            return None  # OS1's own data or a trash: not the user's clutter
        if (st.st_dev, st.st_ino) in self.system:
            scan.skipped.append(Skipped(where, "a system folder"))
            return None
        if st.st_dev != scan.dev and not self.cross:
            scan.skipped.append(Skipped(where, "another filesystem (use --cross-filesystems)"))
            return None
        vcs = up.vcs or name in VCS_FOLDERS
        folder = Folder(
            rel,
            parent,
            st.st_dev,
            st.st_ino,
            st.st_mtime_ns,
            depth=up.depth + 1,
            protected=up.protected or vcs or name.startswith("."),
            vcs=vcs,
        )
        scan.folders.append(folder)
        return len(scan.folders) - 1


# Files whose presence makes a folder a project (so its build/ or node_modules/ is output).
_MARKERS = frozenset(
    {
        "setup.py",
        "pyproject.toml",
        "setup.cfg",
        "tox.ini",
        "noxfile.py",
        "package.json",
        "Cargo.toml",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "CMakeLists.txt",
        "Makefile",
        "meson.build",
    }
)


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__
