"""Which copy of a duplicate to keep, and why: the better place, the better name, the original.

A copy in an app's hidden folder or in version control is always kept (OS1 never
changes those); then a copy outside scratch places (Downloads, Desktop, temp) and
junk folders wins; then a name that does not look like a copy ("report (1).pdf",
"Copy of report.pdf"); then the oldest; then the shallowest path, then path order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from os1.skills.tidy.scan import FileRecord

_COPY_NAME = re.compile(
    r"(^copy of |^copy \(\d+\) of |[ _-]copy( \d+)?$|[ _-]?\(\d+\)$| \d$|~$|\.bak$|\.orig$)",
    re.IGNORECASE,
)
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
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return bool(_COPY_NAME.search(stem)) or bool(_COPY_NAME.search(name))


def _scratch(rel_folder: str) -> bool:
    return any(part.lower() in SCRATCH_PLACES for part in rel_folder.split("/") if part)


def _day(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).strftime("%Y-%m-%d")


class Chooser:
    """Ranks the copies of one group; `rel` gives a record's folder path below the root."""

    def __init__(
        self,
        rel: Callable[[FileRecord], str],
        protected: Callable[[FileRecord], bool],
        in_junk: Callable[[FileRecord], bool],
    ) -> None:
        self._rel = rel
        self._protected = protected
        self._in_junk = in_junk

    def place(self, record: FileRecord) -> int:
        if self._protected(record):
            return 0
        if self._in_junk(record):
            return 3
        return 2 if _scratch(self._rel(record)) else 1

    def rank(self, record: FileRecord) -> tuple[int, int, int, int, str]:
        rel = self._rel(record)
        return (
            self.place(record),
            int(looks_like_copy(record.name)),
            record.mtime_ns,
            rel.count("/"),
            rel + "/" + record.name,
        )

    def choose(self, files: list[FileRecord]) -> tuple[FileRecord, str]:
        """The copy to keep, and why, in words."""
        ranked = sorted(files, key=self.rank)
        keep, runner = ranked[0], ranked[1]
        if self._protected(keep):
            return (
                keep,
                "it lives in a hidden or version-controlled folder, which OS1 never changes",
            )
        a, b = self.rank(keep), self.rank(runner)
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
