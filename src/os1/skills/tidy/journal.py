"""The journal of an applied plan: append-only JSON lines, made durable before each move.

A batch of intended moves is written and fsynced before any of them happens, so
after a crash every move is either in the journal or did not happen. Whether an
intended move happened is then read from the disk itself (a rename is atomic: the
item is at its old path or in the trash, by inode), which is what `reconcile` does.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from os1.errors import StorageError


@dataclass
class Move:
    n: int  # the action's index in the plan
    source: str  # original absolute path
    target: str  # absolute path in the trash
    info: str  # desktop trash: the .trashinfo path
    dev: int
    ino: int
    folder: bool
    parent_times: tuple[int, int]  # the original folder's (atime_ns, mtime_ns) before


@dataclass
class State:
    """What the journal says, folded: moves intended, done, left, undone."""

    started: bool = False
    finished: bool = False
    emptied: bool = False
    trash: str = ""
    moves: dict[int, Move] = field(default_factory=dict)
    done: set[int] = field(default_factory=set)
    left: dict[int, str] = field(default_factory=dict)
    restored: set[int] = field(default_factory=set)
    unrestored: dict[int, str] = field(default_factory=dict)

    @property
    def in_trash(self) -> list[Move]:
        """Moves that happened and were not undone, newest first (undo order)."""
        return [
            self.moves[n]
            for n in sorted(self.done, reverse=True)
            if n in self.moves and n not in self.restored
        ]


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None

    def __enter__(self) -> Journal:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise _storage(self.path, exc) from exc
        self._fh = os.fdopen(fd, "a", encoding="ascii")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None

    def write(self, entries: Iterable[dict[str, Any]], durable: bool = False) -> None:
        try:
            for entry in entries:
                self._fh.write(json.dumps(entry, ensure_ascii=True) + "\n")
            if durable:
                self.sync()
        except OSError as exc:
            raise _storage(self.path, exc) from exc

    def sync(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def state(self) -> State:
        return read_state(self.path)


def move_entry(move: Move) -> dict[str, Any]:
    return {
        "op": "move",
        "n": move.n,
        "from": move.source,
        "to": move.target,
        "info": move.info,
        "dev": move.dev,
        "ino": move.ino,
        "folder": move.folder,
        "parent_times": list(move.parent_times),
    }


def read_state(path: Path) -> State:
    state = State()
    try:
        lines = path.read_text(encoding="ascii", errors="replace").splitlines()
    except FileNotFoundError:
        return state
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash: its move never started
        _fold(state, entry)
    return state


def _fold(state: State, entry: dict[str, Any]) -> None:
    op, n = entry.get("op"), entry.get("n", -1)
    if op == "begin":
        state.started, state.trash = True, entry.get("trash", "")
    elif op == "move":
        state.moves[n] = Move(
            n,
            entry["from"],
            entry["to"],
            entry.get("info", ""),
            entry["dev"],
            entry["ino"],
            entry["folder"],
            tuple(entry.get("parent_times", (0, 0))),
        )
    elif op == "void":
        state.moves.pop(n, None)
    elif op == "done":
        state.done.add(n)
        state.left.pop(n, None)
    elif op == "left":
        state.left[n] = entry.get("why", "")
    elif op == "end":
        state.finished = True
    elif op == "restored":
        state.restored.add(n)
        state.unrestored.pop(n, None)
    elif op == "unrestored":
        state.unrestored[n] = entry.get("why", "")
    elif op == "emptied":
        state.emptied = True


def reconcile(state: State) -> list[dict[str, Any]]:
    """Settle moves a crash left unconfirmed by looking at the disk; the entries to add."""
    entries: list[dict[str, Any]] = []
    for n, move in state.moves.items():
        if n in state.done or n in state.left:
            continue
        if _is(move.target, move):
            state.done.add(n)
            entries.append({"op": "done", "n": n})
        else:
            # Not in the trash: the rename never happened, so the intent is void (and a
            # .trashinfo reserved for it goes); resuming tries that item again.
            if move.info:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(move.info)
            entries.append({"op": "void", "n": n})
    for entry in entries:
        if entry["op"] == "void":
            del state.moves[entry["n"]]
    return entries


def _is(path: str, move: Move) -> bool:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (move.dev, move.ino)


def _storage(path: Path, exc: OSError) -> StorageError:
    return StorageError(
        f"OS1 could not write its tidy journal {path} ({exc.strerror}).",
        "Free some space or make the data folder writable; nothing more was moved.",
    )
