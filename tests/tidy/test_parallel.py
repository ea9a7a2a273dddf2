"""Helper processes: tasks handed over while the walk goes on, and nothing lost when one fails."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from os1.skills.tidy import parallel
from os1.skills.tidy.dupes import DuplicateFinder
from os1.skills.tidy.heads import BATCH, HeadStart
from os1.skills.tidy.sample import make_tree
from os1.skills.tidy.scan import Walker


def _square(task: int) -> int:
    return task * task


def _slow_length(task: str) -> int:
    time.sleep(0.005)
    return len(task)


def test_helpers_take_what_fits_and_answer_by_key() -> None:
    helpers = parallel.Helpers(_slow_length, 2)
    assert helpers
    given, kept = [], []
    for key in range(200):  # 800 KB, more than the pipes hold: some must come back to us
        (given if helpers.offer(key, "x" * (4000 + key)) else kept).append(key)
    done = helpers.collect()
    assert given and kept
    assert done == {key: 4000 + key for key in given}


def test_a_helper_that_dies_loses_only_its_answers() -> None:
    helpers = parallel.Helpers(_square, 1)
    assert helpers.offer(1, 1)
    os.kill(helpers._children[0][0], signal.SIGKILL)
    assert helpers.collect() == {}


def test_a_big_task_goes_over_whole() -> None:
    helpers = parallel.Helpers(len, 1)
    big = "x" * (1 << 20)  # far more than a pipe holds at once
    assert helpers.offer(7, big)  # an empty pipe takes a part, and the rest follows
    assert helpers.collect() == {7: len(big)}


def _heads_of(root: Path, helpers: int, kill: bool = False) -> dict[str, str | None]:
    with HeadStart(str(root), helpers=helpers) as heads:
        scan = Walker(str(root), on_listed=heads.listed).run()
        if kill:
            for pid, _, _ in heads._helpers._children:
                os.kill(pid, signal.SIGKILL)
        with DuplicateFinder(scan, 1, helpers + 1, heads) as finder:
            late, _ = heads.late()
            heads.add(scan, late)
            found = {scan.rel(record): head for record, head in heads.finish(scan)}
            assert not finder.skipped
    return found


def test_first_blocks_are_the_same_with_helpers_and_without(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    make_tree(root, 2000, seed=3)
    alone = _heads_of(root, 0)
    assert len(alone) > 4 * BATCH and all(alone.values())
    assert _heads_of(root, 2) == alone
    assert _heads_of(root, 2, kill=True) == alone  # their tasks are read here instead
