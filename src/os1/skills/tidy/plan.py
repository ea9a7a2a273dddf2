"""A tidy plan: what was found, what would go to the trash, what each part frees.

The plan is data: JSON for scripts (`os1 tidy --json`), saved beside its journal when
applied, and the payload behind the proposal in conversation. Each action records
what the file or folder must still be (inode, size, times, content digest) when the
plan is applied; anything that changed since the scan is left where it is.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from os1.errors import InputError, StorageError

PARTS = ("duplicates", "junk", "empty files", "empty folders")
FORMAT = 1


@dataclass
class Action:
    """One file or folder to move to the trash, and what it must still be at that moment."""

    path: str
    part: str  # one of PARTS
    folder: bool
    frees: int  # bytes freed by moving it (0 when other hard links keep the data)
    size: int  # a file's size, or the bytes inside a folder
    dev: int
    ino: int
    mtime_ns: int
    digest: str = ""  # files: content digest at the scan
    keep: str = ""  # duplicates: the copy kept, which must still match byte for byte
    keep_ino: int = 0
    keep_mtime_ns: int = 0
    files: int = 0  # folders: regular files inside, at any depth
    entries: int = 0  # folders: everything inside, at any depth
    newest_ns: int = 0  # folders: newest change inside


@dataclass
class Plan:
    id: str
    root: str
    created: str
    scanned: dict[str, int]
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    junk: list[dict[str, Any]] = field(default_factory=list)
    empty_files: list[dict[str, Any]] = field(default_factory=list)
    empty_folders: list[dict[str, Any]] = field(default_factory=list)
    largest: list[dict[str, Any]] = field(default_factory=list)
    untouched: list[dict[str, Any]] = field(default_factory=list)
    kept_in_place: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def frees(self) -> int:
        return sum(a.frees for a in self.actions)

    def parts(self) -> dict[str, dict[str, int]]:
        """Per part: how many things it moves and the bytes it frees."""
        totals = {part: {"items": 0, "frees": 0} for part in PARTS}
        for action in self.actions:
            totals[action.part]["items"] += 1
            totals[action.part]["frees"] += action.frees
        return totals

    def to_json(self, actions: bool = True) -> dict[str, Any]:
        """The plan as JSON data; `actions` (what applying checks, inode by inode) are for
        the saved plan, and left out of what scripts read."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "actions"}
        data["format"] = FORMAT
        data["frees"] = self.frees
        data["parts"] = self.parts()
        if actions:
            data["actions"] = [dict(vars(a)) for a in self.actions]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        if data.get("format") != FORMAT:
            raise InputError("That plan was written by another version of OS1.", "Scan again.")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and k != "actions"}
        plan = cls(**values)
        plan.actions = [Action(**a) for a in data.get("actions", [])]
        return plan


def new_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(data: Any) -> str:
    """JSON that keeps any file name: undecodable bytes stay as \\udcXX escapes. (No
    indent: only compact output goes through the C encoder, ten times faster.)"""
    return json.dumps(data, ensure_ascii=True)


def write_private(path: Path, text: str) -> None:
    """Write a file only the user can read, atomically (a crash leaves old or new)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        temporary.replace(path)
    except OSError as exc:
        raise StorageError(
            f"OS1 could not save the tidy plan in {path.parent} ({exc.strerror}).",
            "Free some space or make the data folder writable, then try again.",
        ) from exc


class Plans:
    """Saved plans and their journals, one folder per plan under OS1's data directory."""

    def __init__(self, home: Path) -> None:
        self.base = home / "tidy"

    def folder(self, plan_id: str) -> Path:
        if not plan_id or "/" in plan_id or plan_id.startswith("."):
            raise InputError(f"{plan_id!r} is not a plan id.", "See `os1 tidy --plans`.")
        return self.base / plan_id

    def save(self, plan: Plan) -> Path:
        path = self.folder(plan.id) / "plan.json"
        write_private(path, dumps(plan.to_json()))
        return path

    def load(self, plan_id: str) -> Plan:
        path = self.folder(plan_id) / "plan.json"
        try:
            return Plan.from_json(json.loads(path.read_text(encoding="ascii")))
        except FileNotFoundError:
            raise InputError(
                f"There is no tidy plan {plan_id}.", "See `os1 tidy --plans`."
            ) from None
        except (ValueError, TypeError) as exc:
            raise InputError(f"The tidy plan {plan_id} is damaged ({exc}).") from exc

    def ids(self) -> list[str]:
        """Saved plans, oldest first."""
        if not self.base.is_dir():
            return []
        return sorted(p.name for p in self.base.iterdir() if (p / "plan.json").is_file())
