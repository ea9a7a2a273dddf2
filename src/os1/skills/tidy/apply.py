"""Carrying out a plan, and undoing it: every move journaled first, nothing ever overwritten.

`apply` moves each planned item to the trash after a last look (`verify.check`);
run again on a plan a crash interrupted, it settles the journal against the disk and
goes on where it stopped. `undo` puts every item back at its original path (the
same inode, so the same bytes, mode and times) and the folders' times as they were.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from os1.errors import InputError
from os1.skills.tidy import fsops, verify
from os1.skills.tidy.dupes import hasher
from os1.skills.tidy.journal import Journal, Move, State, move_entry, read_state, reconcile
from os1.skills.tidy.plan import Plan, Plans, now_iso
from os1.skills.tidy.trash import OS1, NoTrash, Trashes, drop_info, reserve_info, trash_name

BATCH = 64  # moves made durable in the journal together, before any of them happens
Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    plan: str
    moved: int = 0
    freed: int = 0
    left: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    restored: int = 0
    trash: set[str] = field(default_factory=set)


def _quiet(done: int, total: int) -> None:
    del done, total


def open_tree(root: str) -> fsops.Tree:
    try:
        return fsops.Tree(root)
    except OSError as exc:
        raise InputError(
            f"The folder {root} cannot be opened ({exc.strerror}).",
            "Put it back where it was, then try again.",
        ) from exc


class Tidier:
    def __init__(self, plans: Plans, trash: str = OS1, desktop: Path | None = None) -> None:
        self.plans = plans
        self.mode = trash
        self.desktop = desktop
        self._new = hasher()

    def journal(self, plan_id: str) -> Path:
        return self.plans.folder(plan_id) / "journal.jsonl"

    def state(self, plan_id: str) -> State:
        return read_state(self.journal(plan_id))

    # -- apply ---------------------------------------------------------------------

    def apply(self, plan: Plan, progress: Progress = _quiet) -> Outcome:
        """Move the plan's items to the trash; resumes a plan a crash interrupted."""
        if not (self.plans.folder(plan.id) / "plan.json").exists():
            self.plans.save(plan)
        state = self.state(plan.id)
        if state.finished:
            raise InputError(f"Plan {plan.id} was already applied.", "Scan again for a new plan.")
        mode = state.trash or self.mode
        trashes = Trashes(mode, self.plans.folder(plan.id) / "trash", self.desktop)
        outcome = Outcome(plan.id)
        with Journal(self.journal(plan.id)) as journal, open_tree(plan.root) as tree:
            journal.write(reconcile(state), durable=True)
            if not state.started:
                journal.write([{"op": "begin", "trash": mode, "time": now_iso()}], durable=True)
            todo = [
                n for n in range(len(plan.actions)) if n not in state.done and n not in state.left
            ]
            for start in range(0, len(todo), BATCH):
                self._batch(plan, tree, journal, trashes, todo[start : start + BATCH], outcome)
                progress(min(start + BATCH, len(todo)), len(todo))
            journal.write([{"op": "end", "time": now_iso()}], durable=True)
        return outcome

    def _batch(
        self,
        plan: Plan,
        tree: fsops.Tree,
        journal: Journal,
        trashes: Trashes,
        numbers: list[int],
        outcome: Outcome,
    ) -> None:
        ready: list[Move] = []
        for n in numbers:
            action = plan.actions[n]
            try:
                why = verify.check(tree, action, self._new)
                move = None if why else self._prepare(tree, trashes, n, plan)
            except NoTrash as exc:
                why, move = str(exc), None
            except OSError as exc:
                why, move = _why(exc), None
            if move is None:
                journal.write([{"op": "left", "n": n, "why": why}])
                outcome.left.append((action.path, why or "it could not be moved"))
            else:
                ready.append(move)
        journal.write([move_entry(m) for m in ready], durable=True)
        for move in ready:
            why = self._move(tree, move)
            if why:
                drop_info(move.info)
                journal.write(
                    [{"op": "void", "n": move.n}, {"op": "left", "n": move.n, "why": why}]
                )
                outcome.left.append((move.source, why))
                continue
            journal.write([{"op": "done", "n": move.n}])
            outcome.moved += 1
            outcome.freed += plan.actions[move.n].frees
            outcome.trash.add(os.path.dirname(move.target))

    def _prepare(self, tree: fsops.Tree, trashes: Trashes, n: int, plan: Plan) -> Move:
        action = plan.actions[n]
        spot = trashes.spot(action.dev, os.path.dirname(action.path))
        parent_fd, _ = tree.parent(tree.relative(action.path))
        parent = os.fstat(parent_fd)
        name = trash_name(spot, n, action.path)
        info = ""
        if spot.info:
            name, info = reserve_info(spot, name, action.path)
        return Move(
            n,
            action.path,
            os.path.join(spot.files, name),
            info,
            action.dev,
            action.ino,
            action.folder,
            (parent.st_atime_ns, parent.st_mtime_ns),
        )

    def _move(self, tree: fsops.Tree, move: Move) -> str:
        """Rename into the trash; '' when done, else why not."""
        rel = tree.relative(move.source)
        try:
            parent_fd, name = tree.parent(rel)
            _trash_rename(move, parent_fd, name, back=False)
        except fsops.Changed:
            return "its folder was replaced by a link"
        except OSError as exc:
            return _why(exc)
        if move.folder:
            tree.forget(rel)
        return ""

    # -- undo ----------------------------------------------------------------------

    def undo(self, plan_id: str, progress: Progress = _quiet) -> Outcome:
        """Put everything a plan moved back where it was."""
        plan = self.plans.load(plan_id)
        state = self.state(plan_id)
        if state.emptied:
            raise InputError(f"The trash of plan {plan_id} was emptied; nothing can come back.")
        outcome = Outcome(plan_id)
        with Journal(self.journal(plan_id)) as journal:
            journal.write(reconcile(state), durable=True)
            moves = state.in_trash
            if not moves:
                return outcome
            with open_tree(plan.root) as tree:
                times: dict[str, tuple[int, int]] = {}
                for count, move in enumerate(moves, 1):
                    why = self._restore(tree, move)
                    if why:
                        journal.write([{"op": "unrestored", "n": move.n, "why": why}])
                        outcome.left.append((move.source, why))
                    else:
                        journal.write([{"op": "restored", "n": move.n}])
                        outcome.restored += 1
                        times[os.path.dirname(move.source)] = move.parent_times
                    progress(count, len(moves))
                journal.sync()
                _restore_times(tree, times)
        return outcome

    def _restore(self, tree: fsops.Tree, move: Move) -> str:
        try:
            st = os.stat(move.target, follow_symlinks=False)
        except OSError:
            return f"it is no longer in the trash ({move.target})"
        if (st.st_dev, st.st_ino) != (move.dev, move.ino):
            return f"something else is in the trash at {move.target}"
        rel = tree.relative(move.source)
        try:
            parent_fd, name = tree.parent(rel, create=True)
            if fsops.exists(parent_fd, name):
                return f"something new is at its place; it stays in the trash at {move.target}"
            _trash_rename(move, parent_fd, name, back=True)
        except fsops.Changed:
            return "a folder on its way back was replaced by a link"
        except OSError as exc:
            return _why(exc)
        drop_info(move.info)
        if move.folder:
            tree.forget(rel)
        return ""

    # -- emptying ------------------------------------------------------------------

    def empty(self, plan_id: str) -> Outcome:
        """Delete for good what a plan moved to the trash (after the user's yes)."""
        state = self.state(plan_id)
        outcome = Outcome(plan_id)
        with Journal(self.journal(plan_id)) as journal:
            journal.write(reconcile(state), durable=True)
            for move in state.in_trash:
                try:
                    st = os.stat(move.target, follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if (st.st_dev, st.st_ino) != (move.dev, move.ino):
                    continue
                if move.folder:
                    shutil.rmtree(move.target)  # fd-based on Linux: follows no link
                else:
                    os.unlink(move.target)
                drop_info(move.info)
                outcome.moved += 1
            journal.write([{"op": "emptied", "time": now_iso()}], durable=True)
        own = self.plans.folder(plan_id) / "trash"
        if own.is_dir():
            shutil.rmtree(own)
        return outcome


def _restore_times(tree: fsops.Tree, times: dict[str, tuple[int, int]]) -> None:
    """Give folders back the times they had before the plan touched them."""
    for folder, (atime, mtime) in times.items():
        try:
            fd = tree.folder(tree.relative(folder))
            os.utime(fd, ns=(atime, mtime))
        except (OSError, fsops.Changed):
            continue  # a folder's time is a nicety; its contents are what matters


def _trash_rename(move: Move, parent_fd: int, name: str, back: bool) -> None:
    """Rename `name` (in `parent_fd`) to the move's place in the trash, or `back` from it;
    never over anything."""
    trash_fd = os.open(os.path.dirname(move.target), fsops.DIR_FLAGS)
    try:
        here, there = (parent_fd, name), (trash_fd, os.path.basename(move.target))
        if back:
            here, there = there, here
        fsops.rename_noreplace(*here, *there)
    finally:
        os.close(trash_fd)


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileExistsError):
        return "something else already has that name"
    return exc.strerror or type(exc).__name__


def latest(tidier: Tidier, want: Callable[[State], bool]) -> str:
    for plan_id in reversed(tidier.plans.ids()):
        if want(tidier.state(plan_id)):
            return plan_id
    return ""
