"""First blocks, read while the walk is still going: the first pass of finding duplicates.

A file is queued the moment a second file of its size turns up (and the first of that
size with it), so reading starts long before the walk ends, and a file whose size
nothing else shares is never read. Queued files go out in small tasks: to a forked
helper process where one has room, else to this process once the walk is done. Each
task names its folders by path, device and inode, so a helper that forked before the
walk needs nothing of the scan, and a folder swapped since the listing is refused.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial

from os1.skills.tidy import fsops, parallel
from os1.skills.tidy.scan import FileRecord, Scan, Skipped

BLOCK = 64 << 10  # the first read of every candidate; smaller files are read whole
BATCH = 64  # files per task: fewer, larger tasks keep the hand-over cheap

Place = tuple[str, int, int]  # a folder: its path below the root, device, inode
Task = list[tuple[Place, list[tuple[str, int]]]]  # (name, size) of files, by folder
Result = tuple[list[str | None], list[Skipped]]  # per file of a task: its digest; what failed
_NOWAIT = getattr(os, "RWF_NOWAIT", 0)


def _one_shot() -> Callable[[memoryview], bytes]:
    import xxhash

    digest: Callable[[memoryview], bytes] = xxhash.xxh3_128_digest
    return digest


def why_skipped(path: str, exc: OSError) -> Skipped:
    why = "permission denied" if isinstance(exc, PermissionError) else "it changed or vanished"
    return Skipped(path, why)


class FolderOpener:
    """Opens files relative to their folder, keeping the last folder open, and checks
    each folder is the very one the scan listed."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.place: Place | None = None  # the folder open now (as `fd`)
        self.fd = -1

    def open(self, place: Place, name: str) -> int:
        """An fd for the file (never through a link, without touching its atime)."""
        if place != self.place:
            self.close()
            fd = fsops.open_folder(self.root, place[0])
            st = os.fstat(fd)
            if (st.st_ino, st.st_dev) != (place[2], place[1]):
                os.close(fd)
                raise FileNotFoundError("changed during the scan")
            self.place, self.fd = place, fd
        return fsops.open_read(name, self.fd)

    def path(self, place: Place, name: str) -> str:
        return f"{self.root}/{place[0]}/{name}" if place[0] else f"{self.root}/{name}"

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
        self.place, self.fd = None, -1


def _advise(fd: int, length: int) -> None:
    """Tell the kernel these bytes are wanted soon (a hint: fine to go without)."""
    try:
        os.posix_fadvise(fd, 0, length, os.POSIX_FADV_WILLNEED)
    except (OSError, AttributeError):
        return


def read_heads(root: str, task: Task) -> Result:
    """The hot loop: the digest of each file's first block (of the whole file when it is
    no bigger), None where the file is not the size the scan saw.

    Each read first asks for cached bytes only (RWF_NOWAIT): the usual case costs one
    read. A file not in the page cache is instead announced to the kernel (WILLNEED)
    and read after the rest of the task, so a cold disk gets the whole task's reads at
    once. No fstat: a file swapped since the listing can only mislead the plan, and
    applying it checks every file again (inode, size, bytes)."""
    out: list[str | None] = []
    failed: list[Skipped] = []
    view = memoryview(bytearray(BLOCK + 1))
    one_shot, nowait = _one_shot(), _NOWAIT
    deferred: list[tuple[int, int, int, str]] = []  # (position, fd, size, path)
    opener = FolderOpener(root)
    try:
        for place, files in task:
            for name, size in files:
                out.append(None)
                try:
                    fd = opener.open(place, name)
                except OSError as exc:
                    failed.append(why_skipped(opener.path(place, name), exc))
                    continue
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
                    out[-1] = one_shot(view[:n]).hex()
                    os.close(fd)
                    continue
                _advise(fd, len(want))
                deferred.append((len(out) - 1, fd, size, opener.path(place, name)))
        for position, fd, size, path in deferred:
            expected = size if size <= BLOCK else BLOCK
            try:
                n = os.readv(fd, [view[: size + 1 if size <= BLOCK else BLOCK]])
            except OSError as exc:
                failed.append(why_skipped(path, exc))
                continue
            if n == expected:
                out[position] = one_shot(view[:n]).hex()
    finally:
        opener.close()
        for _, fd, _, _ in deferred:
            os.close(fd)
    return out, failed


def place_of(scan: Scan, record: FileRecord) -> Place:
    folder = scan.folders[record.folder]
    return folder.rel, folder.dev, folder.ino


class HeadStart:
    """Queues files for their first block as the walk finds them (`listed`, the
    walker's hook), hands tasks to helpers while it goes, and finishes the rest
    (`finish`) once the walk is done."""

    def __init__(self, root: str, helpers: int = 0) -> None:
        self.root = root
        self._helpers = parallel.Helpers(partial(read_heads, root), helpers)
        self._first: dict[int, FileRecord | None] = {}  # size -> its one file so far; None: queued
        self._links: list[FileRecord] = []  # files with other hard links, left for `late`
        self._queue: list[FileRecord] = []
        self._given: dict[int, list[FileRecord]] = {}  # task key -> its files, with a helper
        self._kept: list[list[FileRecord]] = []  # tasks for this process
        self.skipped: list[Skipped] = []

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, *exc: object) -> None:
        self._helpers.close()

    def listed(self, scan: Scan, start: int) -> None:
        """The walker has just listed the files `scan.files[start:]`."""
        first, queue = self._first, self._queue
        for record in scan.files[start:]:
            if record.nlink > 1:
                self._links.append(record)
                continue
            if not record.size:
                continue  # empty files are a part of their own
            earlier = first.get(record.size, record)
            if earlier is record:
                first[record.size] = record
                continue
            if earlier is not None:
                queue.append(earlier)
                first[record.size] = None
            queue.append(record)
        if len(queue) >= BATCH:
            self._dispatch(scan)

    def late(self) -> tuple[list[FileRecord], list[FileRecord]]:
        """After the walk: the files still to read (one path per hard-linked inode whose
        size another file shares, and a lone unlinked file of such a size), and every
        path of those inodes."""
        first = self._first
        per_size = Counter(record.size for record in self._links if record.size)
        linked = [r for r in self._links if r.size and (per_size[r.size] > 1 or r.size in first)]
        late: list[FileRecord] = []
        seen: set[tuple[int, int]] = set()
        for record in linked:
            key = (record.dev, record.ino)
            if key not in seen:
                seen.add(key)
                late.append(record)
        for size in {record.size for record in linked}:
            lone = first.get(size)
            if lone is not None:
                late.append(lone)
        return late, linked

    def add(self, scan: Scan, records: list[FileRecord]) -> None:
        self._queue.extend(records)
        self._dispatch(scan, everything=True)

    def _dispatch(self, scan: Scan, everything: bool = False) -> None:
        queue = self._queue
        while len(queue) >= BATCH or (everything and queue):
            records = queue[:BATCH]
            del queue[:BATCH]
            key = len(self._given) + len(self._kept)
            if self._helpers and self._helpers.offer(key, task_of(scan, records)):
                self._given[key] = records
            else:
                self._kept.append(records)

    def finish(
        self, scan: Scan, progress: Callable[[int, int], None] | None = None
    ) -> Iterator[tuple[FileRecord, str | None]]:
        """Every queued file with its digest (None where it could not be read)."""
        self._dispatch(scan, everything=True)
        kept = self._kept
        total = len(kept)
        for done, records in enumerate(kept, 1):
            key = -done  # keys of kept tasks never meet a helper's
            task = task_of(scan, records)
            if self._helpers and self._helpers.offer(key, task):
                self._given[key] = records
                continue
            yield from self._zip(records, read_heads(self.root, task))
            if progress is not None:
                progress(done, total)
        answered: dict[int, Result] = self._helpers.collect() if self._helpers else {}
        for key, records in self._given.items():
            result = answered.get(key)
            if result is None:  # the helper failed: read them here
                result = read_heads(self.root, task_of(scan, records))
            yield from self._zip(records, result)
        self._given.clear()
        kept.clear()

    def _zip(
        self, records: list[FileRecord], result: Result
    ) -> Iterator[tuple[FileRecord, str | None]]:
        digests, failed = result
        self.skipped.extend(failed)
        return zip(records, digests, strict=True)


def task_of(scan: Scan, records: list[FileRecord]) -> Task:
    task: Task = []
    folder = -1
    files: list[tuple[str, int]] = []
    for record in records:
        if record.folder != folder:
            folder = record.folder
            files = []
            task.append((place_of(scan, record), files))
        files.append((record.name, record.size))
    return task
