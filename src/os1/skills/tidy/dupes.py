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
from os1.skills.tidy import fsops, heads, parallel
from os1.skills.tidy.heads import BATCH, BLOCK, FolderOpener, HeadStart, place_of
from os1.skills.tidy.scan import FileRecord, Scan, Skipped

CHUNK = 1 << 20

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


@dataclass(frozen=True)
class Group:
    size: int  # bytes of each copy
    digest: str
    files: list[FileRecord]  # every path, hard links included


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

    def __init__(
        self, scan: Scan, threads: int = 4, processes: int = 0, heads: HeadStart | None = None
    ) -> None:
        self._scan = scan
        # First blocks the walk has queued already (else all are read in `groups`).
        if heads is None:
            heads = HeadStart(scan.root)
            heads.listed(scan, 0)
        self._heads = heads
        self._new = hasher()
        self._processes = processes  # > 1: forked workers (only where nothing else runs)
        self._threads = threads
        self._lazy_pool: ThreadPoolExecutor | None = None
        self._linked: list[FileRecord] = []  # candidates with other hard links
        self.skipped: list[Skipped] = []
        self.empty_digest: str = self._new(b"").hexdigest()

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
        batches = [ordered[i : i + BATCH] for i in range(0, len(ordered), BATCH)]
        found = self._map(self._wholes, batches, None)
        return {(r.dev, r.ino): d for r, d in found if d is not None}

    def _wholes(self, batch: list[FileRecord]) -> Result:
        return self._each(batch, self._whole)

    def _whole(self, fd: int, record: FileRecord) -> str | None:
        return digest(fd, record.size, self._new)

    def _each(
        self, batch: list[FileRecord], read: Callable[[int, FileRecord], str | None]
    ) -> Result:
        """Open each file of a batch relative to its folder, check it is still the file
        the scan saw, and let `read` hash it."""
        out: list[str | None] = []
        skipped: list[Skipped] = []
        opener = FolderOpener(self._scan.root)
        try:
            for record in batch:
                fd = self._open(opener, record, skipped)
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

    def _open(self, opener: FolderOpener, record: FileRecord, failed: list[Skipped]) -> int:
        """An fd for the file, or -1 with the reason added to `failed`."""
        try:
            return opener.open(place_of(self._scan, record), record.name)
        except OSError as exc:
            failed.append(self._skip(record, exc))
            return -1

    def _open_batch(
        self, batch: list[FileRecord], wanted: Callable[[FileRecord], tuple[int, int]]
    ) -> tuple[list[tuple[FileRecord, int]], list[Skipped]]:
        """Open every file of a batch (fd -1 where that failed) and tell the kernel which
        bytes of each will be read (`wanted`: offset, length)."""
        opened: list[tuple[FileRecord, int]] = []
        skipped: list[Skipped] = []
        advise = getattr(os, "posix_fadvise", None)
        willneed = getattr(os, "POSIX_FADV_WILLNEED", 3)
        opener = FolderOpener(self._scan.root)
        try:
            for record in batch:
                fd = self._open(opener, record, skipped)
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
        return heads.why_skipped(self._scan.path(record), exc)

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
        late, self._linked = self._heads.late()
        self._heads.add(self._scan, late)
        by_head: dict[tuple[int, str], list[FileRecord]] = defaultdict(list)
        for record, head in self._heads.finish(self._scan, progress):
            if head is not None:
                by_head[record.size, head].append(record)
        self.skipped.extend(self._heads.skipped)
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
                if weight >= 32 * CHUNK or len(batch) >= BATCH:
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
