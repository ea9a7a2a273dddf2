"""A crash in the middle of applying loses nothing: it can be resumed, or undone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from os1.skills.tidy import fsops
from os1.skills.tidy.apply import Tidier
from os1.skills.tidy.journal import Move
from os1.skills.tidy.plan import Plans
from os1.skills.tidy.sample import make_tree

from .conftest import OS1, RunTidy, plan_of, snapshot


class Crash(BaseException):
    """The process dying: nothing after it runs (not even `except Exception`)."""


class CrashingTidier(Tidier):
    """Dies on the `after`-th move: before its rename, or just after it (before the
    journal says it is done)."""

    def __init__(self, plans: Plans, after: int, renamed: bool) -> None:
        super().__init__(plans)
        self.after = after
        self.renamed = renamed
        self.count = 0

    def _move(self, tree: fsops.Tree, move: Move) -> str:
        self.count += 1
        if self.count == self.after:
            if self.renamed:
                super()._move(tree, move)
            raise Crash
        return super()._move(tree, move)


@pytest.mark.parametrize("renamed", [False, True])
@pytest.mark.parametrize("then", ["undo", "resume"])
def test_a_crash_mid_apply_can_be_undone_or_resumed(
    tmp_path: Path, hermetic: Path, renamed: bool, then: str
) -> None:
    tree = make_tree(tmp_path / "tree", 400, seed=9)
    before = snapshot(tree.root)
    plan = plan_of(tree.root)
    assert len(plan.actions) > 100
    plans = Plans(hermetic)
    with pytest.raises(Crash):
        CrashingTidier(plans, after=70, renamed=renamed).apply(plan)
    tidier = Tidier(plans)  # a new process, later
    state = tidier.state(plan.id)
    assert state.started and not state.finished
    if then == "resume":
        outcome = tidier.apply(plans.load(plan.id))
        assert outcome.left == []
        assert len(tidier.state(plan.id).in_trash) == len(plan.actions)
        remaining = snapshot(tree.root)
        assert all(
            os.fsencode(os.path.relpath(a.path, tree.root)) not in remaining for a in plan.actions
        )
    tidier.undo(plan.id)
    assert snapshot(tree.root) == before


def test_a_killed_process_loses_nothing(tmp_path: Path, tidy_cli: RunTidy, hermetic: Path) -> None:
    """The real thing: SIGKILL while `os1 tidy --yes` is moving files."""
    root = tmp_path / "tree"
    tree = make_tree(root, 500, seed=12, copies=0.6, sizes=((1.0, 256 << 10, 512 << 10),))
    before = snapshot(root)
    process = subprocess.Popen(
        [*OS1, "tidy", str(root), "--yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "OS1_HOME": str(hermetic)},
    )
    journal = None
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        found = list((hermetic / "tidy").glob("*/journal.jsonl"))
        if found and found[0].read_text().count('"op": "done"') >= 20:
            journal = found[0]
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    assert journal is not None and process.returncode == -signal.SIGKILL, "finished too soon"
    ops = [json.loads(line)["op"] for line in journal.read_text().splitlines() if line.strip()]
    assert "end" not in ops
    assert tree.groups and snapshot(root) != before
    listed = tidy_cli("--plans").stdout.decode()
    assert "interrupted" in listed
    tidy_cli("--resume", "--yes")
    tidy_cli("--undo")
    assert snapshot(root) == before
