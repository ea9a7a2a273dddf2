"""Which copy of a duplicate to keep, and why: the better place, the better name, the original.

A copy in an app's hidden folder or in version control is always kept (OS1 never
changes those); then a copy outside scratch places (Downloads, Desktop, temp) and
junk folders wins; then a name that does not look like a copy ("report (1).pdf",
"Copy of report.pdf"); then the oldest; then the shallowest path, then path order.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from os1.skills.tidy.scan import FileRecord, Scan

_COPY_NAME = re.compile(
    r"(^copy of |^copy \(\d+\) of |[ _-]copy( \d+)?$|[ _-]?\(\d+\)$| \d$)", re.IGNORECASE
)
_COPY_ENDINGS = ("~", ".bak", ".orig", ".BAK", ".ORIG")
SCRATCH_PLACES = frozenset(
    {
        "downloads",
        "download",
        "desktop",
        "tmp",
        "temp",
        "cache",
        "new folder",
        "untitled folder",
        "copies",
        "copy",
        "old",
    }
)


def looks_like_copy(name: str) -> bool:
    if name.endswith(_COPY_ENDINGS):
        return True
    if "(" not in name and " " not in name and "opy" not in name and "OPY" not in name:
        return False  # the usual name: no need for the expression
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return _COPY_NAME.search(stem) is not None


def _scratch(rel_folder: str) -> bool:
    return any(part.lower() in SCRATCH_PLACES for part in rel_folder.split("/") if part)


def _day(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).strftime("%Y-%m-%d")


class Chooser:
    """Ranks the copies of one group; folder facts are worked out once per folder."""

    def __init__(self, scan: Scan, in_junk: set[int]) -> None:
        self._scan = scan
        self._junk = in_junk
        self._places: dict[int, int] = {}

    def place(self, record: FileRecord) -> int:
        """0: never changed (hidden, version control); 1: a good place; 2: a scratch
        place; 3: inside a junk folder."""
        if record.name.startswith("."):
            return 0
        index = record.folder
        known = self._places.get(index)
        if known is None:
            folder = self._scan.folders[index]
            if folder.protected:
                known = 0
            elif index in self._junk:
                known = 3
            else:
                known = 2 if _scratch(folder.rel) else 1
            self._places[index] = known
        return known

    def rank(self, record: FileRecord) -> tuple[int, int, int, int, str, str]:
        folder = self._scan.folders[record.folder]
        return (
            self.place(record),
            int(looks_like_copy(record.name)),
            record.mtime_ns,
            folder.depth,
            folder.rel,
            record.name,
        )

    def choose(self, files: list[FileRecord]) -> tuple[FileRecord, str]:
        """The copy to keep, and why, in words."""
        ranked = sorted((self.rank(f), n, f) for n, f in enumerate(files))
        (a, _, keep), (b, _, _) = ranked[0], ranked[1]
        if a[0] == 0:
            return (
                keep,
                "it lives in a hidden or version-controlled folder, which OS1 never changes",
            )
        if a[0] != b[0]:
            where = "Downloads, Desktop or a temporary folder" if b[0] == 2 else "a junk folder"
            return keep, f"the better place: the others sit in {where}"
        if a[1] != b[1]:
            return keep, "the better name: the others are named like copies"
        if a[2] != b[2]:
            return keep, f"the older original (last changed {_day(keep.mtime_ns)})"
        if a[3] != b[3]:
            return keep, "the tidier place: it sits higher up in the folders"
        return keep, "the copies are alike in place, name and age; this one comes first by name"
