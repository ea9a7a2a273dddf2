"""From a walk of the tree to a plan: duplicates, junk, empty things, the largest, the forgotten."""

from __future__ import annotations

import contextlib
import gc
import heapq
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from os1.skills.tidy.dupes import DuplicateFinder, Group
from os1.skills.tidy.heads import HeadStart
from os1.skills.tidy.junk import MEANINGFUL_EMPTY, find_junk
from os1.skills.tidy.keep import Chooser
from os1.skills.tidy.plan import Action, Plan, new_id, now_iso
from os1.skills.tidy.scan import FileRecord, Scan, Walker, resolve_root
from os1.skills.tidy.trash import desktop_trash

if TYPE_CHECKING:
    from os1.settings import Settings

Progress = Callable[[str, int, int], None]  # (phase, done, total; 0 when unknown)
YEAR_NS = 365 * 86_400 * 10**9
_MOST_HELPERS = 3


@dataclass(frozen=True)
class Options:
    cross_filesystems: bool = False
    # One thread reads fastest (BENCHMARKS.md): read-ahead hints give a cold disk its
    # parallel reads. Forked workers (only where no other thread runs) pay where cores
    # are idle and cost where they are not: `idle_cores()` picks, when asked.
    threads: int = 1
    processes: int = 1
    untouched_years: float = 2.0
    listed: int = 20  # how many of the largest and of the untouched files to list
    avoid: tuple[str, ...] = ()  # folders never entered: OS1's data, the trash


def scan_options(settings: Settings, **overrides: Any) -> Options:
    """Scan options that keep OS1's own data and the trash out of every scan, with a
    worker process for each idle core."""
    values: dict[str, Any] = {
        "avoid": (str(settings.home), str(desktop_trash())),
        "processes": idle_cores(),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Options(**values)


def idle_cores() -> int:
    """How many of this process's cores nothing else is using now (at least one). On a
    quiet 2-core machine a helper process makes a warm scan 1.3 times faster; on a busy
    one, where the scheduler gives this session one share however many processes it
    runs, a helper only adds its own overhead. The load average alone lags a minute
    behind (a burst that just ended still counts), so the processes running right now
    are asked too, and the smaller figure wins."""
    cores = len(os.sched_getaffinity(0))
    busy = os.getloadavg()[0]
    others = running_others()
    if others is not None:
        busy = min(busy, others)
    return max(1, min(cores, round(cores - busy)))


def running_others() -> int | None:
    """Processes running or ready to run this instant, this one left out (Linux)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(0, running - 1)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A scan makes hundreds of thousands of objects and no reference cycles; Python's
    cycle collector would walk them all again and again (a tenth of a warm scan)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _quiet(phase: str, done: int, total: int) -> None:
    del phase, done, total


def make_plan(raw_root: str, options: Options, progress: Progress = _quiet) -> Plan:
    """Scan `raw_root` and plan its tidying; nothing on disk changes."""
    root = resolve_root(raw_root)
    # Helper processes (one per idle core but this one) read first blocks during the walk;
    # past three, the walk cannot keep more of them busy.
    helpers = min(options.processes - 1, _MOST_HELPERS)
    with _no_cycle_collection(), HeadStart(root, helpers=helpers) as heads:
        walker = Walker(
            root,
            cross_filesystems=options.cross_filesystems,
            avoid=list(options.avoid),
            on_progress=lambda files, _bytes: progress("scanning", files, 0),
            on_listed=heads.listed,
        )
        scan = walker.run()
        with DuplicateFinder(scan, options.threads, options.processes, heads) as finder:
            groups = finder.groups(lambda done, total: progress("comparing", done, total))
            plan = _Builder(scan, finder, options, time.time_ns()).build(groups)
    plan.skipped = [{"path": s.path, "why": s.why} for s in scan.skipped + finder.skipped]
    return plan


class _Builder:
    def __init__(self, scan: Scan, finder: DuplicateFinder, options: Options, now: int) -> None:
        self.scan = scan
        self.finder = finder
        self.options = options
        self.now = now
        self._stats = self._subtrees()
        self.junk_folders, self.junk_files = find_junk(scan, now, self._stats[3])
        self.in_junk = self._inside_junk()
        self.actions: dict[str, Action] = {}
        self.kept: list[dict[str, str]] = []
        self._unreadable, self._folders_below = self._unreadable_below()

    def build(self, groups: list[Group]) -> Plan:
        scan = self.scan
        plan = Plan(
            new_id(),
            scan.root,
            now_iso(),
            {"files": len(scan.files), "folders": len(scan.folders), "bytes": scan.bytes},
        )
        plan.junk = self._junk()
        plan.duplicates = self._duplicates(groups)
        plan.empty_files = self._empty_files()
        plan.junk.extend(self._junk_folders())
        plan.empty_folders = self._empty_folders()
        plan.largest, plan.untouched = self._worth_a_look()
        plan.kept_in_place = self.kept
        plan.actions = list(self.actions.values())
        return plan

    # -- helpers ------------------------------------------------------------------

    def _inside_junk(self) -> set[int]:
        inside = {j.folder for j in self.junk_folders}
        for index, folder in enumerate(self.scan.folders):
            if folder.parent in inside:
                inside.add(index)
        return inside

    def _protected(self, record: FileRecord) -> bool:
        return self.scan.folders[record.folder].protected or record.name.startswith(".")

    def _file_action(self, record: FileRecord, part: str, digest: str, frees: bool) -> Action:
        return Action(
            self.scan.path(record),
            part,
            False,
            record.size if frees else 0,
            record.size,
            record.dev,
            record.ino,
            record.mtime_ns,
            digest,
        )

    def _add(self, action: Action) -> bool:
        if action.path in self.actions:
            return False
        self.actions[action.path] = action
        return True

    # -- the parts ------------------------------------------------------------------

    def _junk(self) -> list[dict[str, object]]:
        records = [j.record for j in self.junk_files]
        digests = self.finder.digests(records)
        listed: list[dict[str, object]] = []
        for item in self.junk_files:
            record = item.record
            digest = digests.get((record.dev, record.ino))
            if digest is None:
                continue  # unreadable or changed: skipped already
            self._add(self._file_action(record, "junk", digest, record.nlink == 1))
            listed.append(
                {
                    "path": self.scan.path(record),
                    "kind": item.kind,
                    "why": item.why,
                    "size": record.size,
                    "folder": False,
                }
            )
        return listed

    def _duplicates(self, groups: list[Group]) -> list[dict[str, object]]:
        chooser = Chooser(self.scan, self.in_junk)
        listed = []
        path = self.scan.path
        for group in sorted(groups, key=lambda g: (-g.size * len(g.files), g.digest)):
            keep, why = chooser.choose(group.files)
            paths = [path(r) for r in group.files]
            removed, frees = self._remove_copies(group, keep, paths)
            listed.append(
                {
                    "size": group.size,
                    "hash": group.digest,
                    "files": sorted(paths),
                    "keep": path(keep),
                    "why": why,
                    "remove": sorted(removed),
                    "frees": frees,
                }
            )
        return listed

    def _remove_copies(
        self, group: Group, keep: FileRecord, paths: list[str]
    ) -> tuple[list[str], int]:
        """Queue every copy but the kept one: the paths queued (or already queued as junk),
        and the bytes this group's own moves free (hard links counted once)."""
        files = group.files
        linked = any(r.nlink > 1 for r in files)
        per_inode = Counter(r.ino for r in files) if linked else None
        removed: list[str] = []
        frees = 0
        counted: set[int] = set()
        for record, path in zip(files, paths, strict=True):
            if record.ino == keep.ino and record.dev == keep.dev:
                continue
            if record.folder in self.in_junk:
                continue  # its junk folder goes whole
            if self._protected(record):
                self.kept.append({"path": path, "why": "in a hidden or version-controlled folder"})
                continue
            if per_inode is not None and record.nlink > per_inode[record.ino]:
                self.kept.append({"path": path, "why": "hard-linked elsewhere: frees nothing"})
                continue
            existing = self.actions.get(path)
            if existing is not None:  # already junk: it goes, counted there
                removed.append(path)
                continue
            first = record.ino not in counted
            counted.add(record.ino)
            action = Action(
                path, "duplicates", False, group.size if first else 0, group.size,
                record.dev, record.ino, record.mtime_ns, group.digest,
                self.scan.path(keep), keep.ino, keep.mtime_ns,
            )  # fmt: skip
            self.actions[path] = action
            frees += action.frees
            removed.append(path)
        return removed, frees

    def _empty_files(self) -> list[dict[str, object]]:
        listed: list[dict[str, object]] = []
        for record in self.scan.files:
            if record.size or record.folder in self.in_junk or self._protected(record):
                continue
            if MEANINGFUL_EMPTY.match(record.name):
                continue
            empty = self.finder.empty_digest
            if self._add(self._file_action(record, "empty files", empty, False)):
                listed.append({"path": self.scan.path(record)})
        return listed

    def _worth_a_look(self) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        """The largest files, and the largest of those untouched for years (listed only)."""
        count = self.options.listed
        cutoff = self.now - int(self.options.untouched_years * YEAR_NS)
        files = [r for r in self.scan.files if r.folder not in self.in_junk]
        old = [r for r in files if r.size and max(r.mtime_ns, r.atime_ns) < cutoff]
        return (
            [self._listed(r) for r in _largest(files, count)],
            [self._listed(r) for r in _largest(old, count)],
        )

    def _listed(self, record: FileRecord) -> dict[str, object]:
        used = max(record.mtime_ns, record.atime_ns) / 1e9
        return {
            "path": self.scan.path(record),
            "size": record.size,
            "last_used": datetime.fromtimestamp(used, UTC).strftime("%Y-%m-%d"),
        }

    # -- folders --------------------------------------------------------------------

    def _subtrees(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """Per folder, at any depth: files, bytes, entries of any kind, newest change."""
        folders = self.scan.folders
        files, size = [0] * len(folders), [0] * len(folders)
        entries = [f.entries for f in folders]
        newest = [f.mtime_ns for f in folders]
        for record in self.scan.files:
            files[record.folder] += 1
            size[record.folder] += record.size
            newest[record.folder] = max(newest[record.folder], record.mtime_ns)
        for index in range(len(folders) - 1, 0, -1):
            parent = folders[index].parent
            files[parent] += files[index]
            size[parent] += size[index]
            entries[parent] += entries[index]
            newest[parent] = max(newest[parent], newest[index])
        return files, size, entries, newest

    def _folder_action(self, index: int, part: str, stats: tuple[list[int], ...]) -> Action:
        folder = self.scan.folders[index]
        files, size, entries, newest = (s[index] for s in stats)
        return Action(
            self.scan.folder_path(index),
            part,
            True,
            size,
            size,
            folder.dev,
            folder.ino,
            folder.mtime_ns,
            files=files,
            entries=entries,
            newest_ns=newest,
        )

    def _junk_folders(self) -> list[dict[str, object]]:
        listed: list[dict[str, object]] = []
        for junk in self.junk_folders:
            action = self._folder_action(junk.folder, "junk", self._stats)
            self._add(action)
            listed.append(
                {
                    "path": action.path,
                    "kind": junk.kind,
                    "why": junk.why,
                    "size": action.size,
                    "folder": True,
                }
            )
        return listed

    def _empty_folders(self) -> list[dict[str, object]]:
        files, _, entries, _ = self._stats
        folders = self.scan.folders
        unreadable = self._unreadable
        listed: list[dict[str, object]] = []
        chosen: set[int] = set()
        for index, folder in enumerate(folders):
            if index == 0 or folder.protected or index in self.in_junk:
                continue
            if folder.parent in chosen:
                chosen.add(index)
                continue
            if files[index] or unreadable[index] or not self._only_folders(index, entries):
                continue
            chosen.add(index)
            action = self._folder_action(index, "empty folders", self._stats)
            if self._add(action):
                listed.append({"path": action.path, "folders_inside": entries[index]})
        return listed

    def _only_folders(self, index: int, entries: list[int]) -> bool:
        """Whether everything below a folder is a folder (no files, links or others)."""
        return entries[index] == self._folders_below[index]

    def _unreadable_below(self) -> tuple[list[bool], list[int]]:
        """Per folder: whether anything below could not be read; how many folders are below."""
        folders = self.scan.folders
        bad = [not f.readable for f in folders]
        below = [0] * len(folders)
        for index in range(len(folders) - 1, 0, -1):
            parent = folders[index].parent
            below[parent] += below[index] + 1
            bad[parent] = bad[parent] or bad[index]
        return bad, below


def _largest(records: list[FileRecord], count: int) -> list[FileRecord]:
    """The `count` largest files, each inode once (hard links are one file)."""
    out: list[FileRecord] = []
    seen: set[tuple[int, int]] = set()
    for record in heapq.nlargest(count * 4, records, key=lambda r: r.size):
        if (record.dev, record.ino) not in seen:
            seen.add((record.dev, record.ino))
            out.append(record)
    return out[:count]
