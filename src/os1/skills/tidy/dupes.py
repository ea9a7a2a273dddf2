"""Exact duplicates: same size, then the same first block, then the same remaining bytes.

Only files whose size another inode shares are read. Files no bigger than the first
block (64 KiB) are read once, whole; larger ones whose first blocks match are read to
the end. Files are opened relative to their folder, with the raw descriptor calls
only, and a batch at a time: bytes already cached are read at once (RWF_NOWAIT), the
others are announced to the kernel (WILLNEED) so a cold disk serves them together.
Hard links to one inode are one file, hashed once, and never duplicates of each
other (removing one frees nothing). The hash is xxHash's XXH3-128: fast, and never
trusted alone for a deletion: applying a plan compares each copy with the one kept,
byte for byte, before moving it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from typing import Any

from os1.errors import InputError
from os1.skills.tidy import fsops, parallel
from os1.skills.tidy.scan import FileRecord, Scan, Skipped

BLOCK = 64 << 10  # the first read of every candidate; smaller files are read whole
CHUNK = 1 << 20
_BATCH = 64  # files per task: fewer, larger tasks keep the pool's overhead low

Key = tuple[int, int]  # (dev, ino)
Result = tuple[list[str | None], list[Skipped]]  # per file of a task: its digest; what failed
Progress = Callable[[int, int], None]


def hasher() -> Any:
    try:
        import xxhash
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError(
            "Finding duplicates needs the xxhash package.", "Run: pip install xxhash==4.1.0"
        ) from exc
    return xxhash.xxh3_128


def _one_shot() -> Any:
    import xxhash

    return xxhash.xxh3_128_digest


@dataclass(frozen=True)
class Group:
    size: int  # bytes of each copy
    digest: str
    files: list[FileRecord]  # every path, hard links included


_NOWAIT = getattr(os, "RWF_NOWAIT", 0)


def _advise(fd: int, length: int) -> None:
    """Tell the kernel these bytes are wanted soon (a hint: fine to go without)."""
    try:
        os.posix_fadvise(fd, 0, length, os.POSIX_FADV_WILLNEED)
    except (OSError, AttributeError):
        return


class _Opener:
    """Opens the files of a batch relative to their folder, one folder fd at a time."""

    def __init__(self, finder: DuplicateFinder) -> None:
        self._finder = finder
        self.folder = -1  # the folder open now (as `fd`), -1 for none
        self.fd = -1

    def open(self, record: FileRecord, skipped: list[Skipped]) -> int:
        """An fd for the file (never through a link, without touching its atime); -1,
        with the reason added to `skipped`, if it cannot be opened."""
        try:
            if record.folder != self.folder:
                self.close()
                self.folder = record.folder
                self.fd = self._finder._folder_fd(record.folder)
            return fsops.open_read(record.name, self.fd)
        except OSError as exc:
            skipped.append(self._finder._skip(record, exc))
            return -1

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
        self.fd = -1


def _read_upto(fd: int, size: int) -> bytes:
    data = os.read(fd, size)
    if len(data) < size:  # rare for regular files; short reads are allowed
        parts = [data]
        while chunk := os.read(fd, size - sum(map(len, parts))):
            parts.append(chunk)
        data = b"".join(parts)
    return data


def digest(fd: int, size: int, new: Any, twin: int | None = None) -> str | None:
    """The content digest of an open file of `size` bytes; None if its size changed, or
    if `twin` (another open file) is given and differs from it anywhere."""
    expected = min(size, BLOCK)
    first = _read_upto(fd, expected)
    if len(first) != expected or (twin is not None and _read_upto(twin, expected) != first):
        return None
    head: str = new(first).hexdigest()
    if size <= BLOCK:
        return head if os.read(fd, 1) == b"" else None
    rest = _rest(fd, size, new, twin)
    return None if rest is None else f"{head}{rest}"


def _rest(fd: int, size: int, new: Any, twin: int | None = None) -> str | None:
    """Hash from BLOCK to the end; None unless exactly `size` bytes were there (and
    `twin`, if given, holds the very same bytes)."""
    hasher = new()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    seen = BLOCK
    os.lseek(fd, BLOCK, os.SEEK_SET)
    if twin is not None:
        os.lseek(twin, BLOCK, os.SEEK_SET)
    while True:
        n = os.readv(fd, [buffer])
        if n == 0:
            break
        if twin is not None and _read_upto(twin, n) != view[:n]:
            return None
        hasher.update(view[:n])
        seen += n
        if seen > size:
            return None
    if twin is not None and os.read(twin, 1) != b"":
        return None
    result: str = hasher.hexdigest()
    return result if seen == size else None


class DuplicateFinder:
    """Finds the duplicate groups of a finished scan (`groups()`)."""

    def __init__(self, scan: Scan, threads: int = 4, processes: int = 0) -> None:
        self._scan = scan
        self._new = hasher()
        self._processes = processes  # > 1: forked workers (only where nothing else runs)
        self._threads = threads
        self._lazy_pool: ThreadPoolExecutor | None = None
        self._linked: list[FileRecord] = []  # candidates with other hard links
        self.skipped: list[Skipped] = []
        self.empty_digest: str = self._new(b"").hexdigest()
        self._one_shot = _one_shot()

    def __enter__(self) -> DuplicateFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lazy_pool is not None:
            self._lazy_pool.shutdown(wait=True, cancel_futures=True)

    @property
    def _pool(self) -> ThreadPoolExecutor:
        # Started on first use: a process with threads must not fork workers.
        if self._lazy_pool is None:
            self._lazy_pool = ThreadPoolExecutor(self._threads, thread_name_prefix="os1-tidy")
        return self._lazy_pool

    def digests(self, records: list[FileRecord]) -> dict[Key, str]:
        """Content digests of some files (junk), read relative to their folders."""
        ordered = sorted(records, key=lambda r: r.folder)
        batches = [ordered[i : i + _BATCH] for i in range(0, len(ordered), _BATCH)]
        found = self._map(self._wholes, batches, None)
        return {(r.dev, r.ino): d for r, d in found if d is not None}

    def _wholes(self, batch: list[FileRecord]) -> Result:
        return self._each(batch, self._whole)

    def _whole(self, fd: int, record: FileRecord) -> str | None:
        return digest(fd, record.size, self._new)

    def _candidates(self) -> dict[int, list[FileRecord]]:
        """Per folder, one file per inode whose size another inode shares."""
        by_size: dict[int, list[FileRecord]] = defaultdict(list)
        linked_sizes: set[int] = set()
        for record in self._scan.files:
            if record.size:
                by_size[record.size].append(record)
                if record.nlink > 1:
                    linked_sizes.add(record.size)
        per_folder: dict[int, list[FileRecord]] = defaultdict(list)
        for size, records in by_size.items():
            if len(records) < 2:
                continue
            if size not in linked_sizes:
                for record in records:
                    per_folder[record.folder].append(record)
                continue
            seen: set[Key] = set()
            for record in records:
                if record.nlink > 1:
                    self._linked.append(record)
                    key = (record.dev, record.ino)
                    if key in seen:
                        continue
                    seen.add(key)
                per_folder[record.folder].append(record)
        return per_folder

    def _tasks(self, per_folder: dict[int, list[FileRecord]]) -> list[list[FileRecord]]:
        """Batches of whole folders, so each folder is opened once per batch."""
        tasks: list[list[FileRecord]] = []
        batch: list[FileRecord] = []
        for folder in sorted(per_folder):
            batch.extend(per_folder[folder])
            if len(batch) >= _BATCH:
                tasks.append(batch)
                batch = []
        if batch:
            tasks.append(batch)
        return tasks

    def _folder_fd(self, index: int) -> int:
        """An fd for a scanned folder, checked to be the very folder the scan listed."""
        folder = self._scan.folders[index]
        fd = fsops.open_folder(self._scan.root, folder.rel)
        st = os.fstat(fd)
        if st.st_ino != folder.ino or st.st_dev != folder.dev:
            os.close(fd)
            raise FileNotFoundError("changed during the scan")
        return fd

    def _each(
        self, batch: list[FileRecord], read: Callable[[int, FileRecord], str | None]
    ) -> Result:
        """Open each file of a batch relative to its folder, check it is still the file
        the scan saw, and let `read` hash it."""
        out: list[str | None] = []
        skipped: list[Skipped] = []
        opener = _Opener(self)
        try:
            for record in batch:
                fd = opener.open(record, skipped)
                if fd < 0:
                    out.append(None)
                    continue
                try:
                    st = os.fstat(fd)
                    if st.st_ino != record.ino or st.st_size != record.size:
                        raise FileNotFoundError("changed during the scan")
                    out.append(read(fd, record))
                except OSError as exc:
                    out.append(None)
                    skipped.append(self._skip(record, exc))
                finally:
                    os.close(fd)
        finally:
            opener.close()
        return out, skipped

    def _first_blocks(self, batch: list[FileRecord]) -> Result:
        """The hot loop: open, read, close per file, relative to its folder.

        Each read first asks for cached bytes only (RWF_NOWAIT): the usual case costs
        one read. A file not in the page cache is instead announced to the kernel
        (WILLNEED) and read after the rest of the batch, so a cold disk gets the whole
        batch's reads at once. No fstat: a file swapped since the listing can only
        mislead the plan, and applying it checks every file again (inode, size, bytes)."""
        out: list[str | None] = [None] * len(batch)
        skipped: list[Skipped] = []
        view = memoryview(bytearray(BLOCK + 1))
        one_shot, nowait = self._one_shot, _NOWAIT
        deferred: list[tuple[int, FileRecord, int]] = []
        opener = _Opener(self)
        fast = fsops.FILE_FLAGS | fsops.NOATIME
        try:
            for position, record in enumerate(batch):
                try:  # the common case inline; anything unusual goes the careful way
                    if record.folder != opener.folder:
                        raise LookupError
                    fd = os.open(record.name, fast, dir_fd=opener.fd)
                except (LookupError, OSError):
                    fd = opener.open(record, skipped)
                if fd < 0:
                    continue
                size = record.size
                want = view[: size + 1 if size <= BLOCK else BLOCK]
                expected = size if size <= BLOCK else BLOCK
                try:
                    n = os.preadv(fd, [want], 0, nowait) if nowait else -1
                except BlockingIOError:
                    n = -1
                except OSError:  # the filesystem cannot say: read plainly from now on
                    nowait = 0
                    n = -1
                if n == expected:
                    out[position] = one_shot(view[:n]).hex()
                    os.close(fd)
                    continue
                _advise(fd, len(want))
                deferred.append((position, record, fd))
            for position, record, fd in deferred:
                size = record.size
                expected = size if size <= BLOCK else BLOCK
                try:
                    n = os.readv(fd, [view[: size + 1 if size <= BLOCK else BLOCK]])
                except OSError as exc:
                    skipped.append(self._skip(record, exc))
                    continue
                if n == expected:
                    out[position] = one_shot(view[:n]).hex()
        finally:
            opener.close()
            for _, _, fd in deferred:
                os.close(fd)
        return out, skipped

    def _open_batch(
        self, batch: list[FileRecord], wanted: Callable[[FileRecord], tuple[int, int]]
    ) -> tuple[list[tuple[FileRecord, int]], list[Skipped]]:
        """Open every file of a batch (fd -1 where that failed) and tell the kernel which
        bytes of each will be read (`wanted`: offset, length)."""
        opened: list[tuple[FileRecord, int]] = []
        skipped: list[Skipped] = []
        advise = getattr(os, "posix_fadvise", None)
        willneed = getattr(os, "POSIX_FADV_WILLNEED", 3)
        opener = _Opener(self)
        try:
            for record in batch:
                fd = opener.open(record, skipped)
                opened.append((record, fd))
                if fd >= 0 and advise is not None:
                    try:
                        advise(fd, *wanted(record), willneed)
                    except OSError:
                        advise = None  # a hint the filesystem does not take: go without
        except BaseException:
            for _, fd in opened:
                if fd >= 0:
                    os.close(fd)
            raise
        finally:
            opener.close()
        return opened, skipped

    def _rests(self, batch: list[FileRecord]) -> Result:
        """The rest of each large file (after its first block), read ahead as a batch."""
        opened, skipped = self._open_batch(batch, lambda r: (BLOCK, r.size - BLOCK))
        out: list[str | None] = []
        try:
            for record, fd in opened:
                try:
                    if fd < 0 or not fsops.same_file(fd, fsops.Identity(record.dev, record.ino)):
                        out.append(None)
                        continue
                    out.append(_rest(fd, record.size, self._new))
                except OSError as exc:
                    out.append(None)
                    skipped.append(self._skip(record, exc))
        finally:
            for _, fd in opened:
                if fd >= 0:
                    os.close(fd)
        return out, skipped

    def _skip(self, record: FileRecord, exc: OSError) -> Skipped:
        why = "permission denied" if isinstance(exc, PermissionError) else "it changed or vanished"
        return Skipped(self._scan.path(record), why)

    def _map(
        self,
        function: Callable[[list[FileRecord]], Result],
        tasks: list[list[FileRecord]],
        progress: Progress | None,
    ) -> Iterable[tuple[FileRecord, str | None]]:
        """Run `function` over every task, in processes or threads; each file with its
        digest (None where it could not be read)."""
        if self._processes > 1 and parallel.can_fork():
            results = parallel.fork_map(function, tasks, self._processes, progress)
        elif self._threads <= 1:
            results = parallel.fork_map(function, tasks, 1, progress)
        else:
            futures = [self._pool.submit(function, t) for t in tasks]
            results = []
            for n, future in enumerate(futures, 1):
                results.append(future.result())
                if progress is not None:
                    progress(n, len(futures))
        for _, skipped in results:
            self.skipped.extend(skipped)
        return chain.from_iterable(
            zip(task, digests, strict=True)
            for task, (digests, _) in zip(tasks, results, strict=True)
        )

    def groups(self, progress: Progress | None = None) -> list[Group]:
        """Finish hashing and return every group of two or more identical inodes."""
        tasks = self._tasks(self._candidates())
        by_head: dict[tuple[int, str], list[FileRecord]] = {}
        for record, head in self._map(self._first_blocks, tasks, progress):
            if head is not None:
                key = (record.size, head)
                same = by_head.get(key)
                if same is None:
                    by_head[key] = [record]
                else:
                    same.append(record)
        small = {k: v for k, v in by_head.items() if k[0] <= BLOCK and len(v) > 1}
        large = {k: v for k, v in by_head.items() if k[0] > BLOCK and len(v) > 1}
        final: dict[tuple[int, str], list[FileRecord]] = dict(small)
        for (size, full), records in self._full(large, progress):
            final.setdefault((size, full), []).extend(records)
        return self._with_links(final)

    def _full(
        self, large: dict[tuple[int, str], list[FileRecord]], progress: Progress | None
    ) -> Iterable[tuple[tuple[int, str], list[FileRecord]]]:
        """Hash the rest of each large candidate; group by size, first block and rest."""
        head_of: dict[Key, str] = {}
        tasks: list[list[FileRecord]] = []
        batch: list[FileRecord] = []
        weight = 0
        for (_, head), records in large.items():
            for record in records:
                head_of[(record.dev, record.ino)] = head
                batch.append(record)
                weight += record.size
                if weight >= 32 * CHUNK or len(batch) >= _BATCH:
                    tasks.append(batch)
                    batch, weight = [], 0
        if batch:
            tasks.append(batch)
        found: dict[tuple[int, str], list[FileRecord]] = defaultdict(list)
        for record, rest in self._map(self._rests, tasks, progress):
            if rest is not None:
                head = head_of[(record.dev, record.ino)]
                found[(record.size, head + rest)].append(record)
        return found.items()

    def _with_links(self, final: dict[tuple[int, str], list[FileRecord]]) -> list[Group]:
        """Groups of two or more inodes, each with every path that links to its inodes."""
        links: dict[Key, list[FileRecord]] = defaultdict(list)
        for record in self._linked:
            links[(record.dev, record.ino)].append(record)
        groups = []
        for (size, digest_), records in final.items():
            if len(records) < 2:
                continue
            if links:
                paths: list[FileRecord] = []
                for record in records:
                    paths.extend(links.get((record.dev, record.ino), [record]))
                records = paths
            groups.append(Group(size, digest_, records))
        return groups
