"""'Help me clean up my hard drive': a scan, a plan explained, nothing moved before a yes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from os1 import audit
from os1.app import App
from os1.events import ConfirmationNeeded, ToolCall
from os1.mind.base import Message
from os1.skills.tidy import build as tidy_build
from os1.skills.tidy.sample import make_tree
from os1.skills.tidy.skill import folder_from_words
from os1.testing import ScriptedMind

from ..conftest import collect, run
from .conftest import snapshot


def routing(choice: dict[str, Any]) -> Any:
    def answer(messages: list[Message], schema: dict[str, Any]) -> Any:
        return choice if "anyOf" in schema else {"facts": []}

    return answer


def test_cleaning_up_waits_for_a_yes_and_can_be_undone(
    tmp_path: Path, ready_app: App, mind: ScriptedMind
) -> None:
    tree = make_tree(tmp_path / "drive", 200, seed=8)
    before = snapshot(tree.root)
    mind.structured = routing({"skill": "tidy", "arguments": {"folder": str(tree.root)}})
    companion = ready_app.companion()
    events = run(collect(companion.reply("Could you help me clean up my hard drive?")))
    assert ToolCall("tidy", {"folder": str(tree.root)}) in events
    asked = next(e for e in events if isinstance(e, ConfirmationNeeded))
    assert asked.summary.startswith(f"Tidy {tree.root}: move ")
    assert "extra copies of duplicate files" in asked.summary
    note = mind.chats[-1].messages[-1].content
    assert "duplicate groups" in note and "Nothing is done until Theo says yes" in note
    assert "file1" not in note  # file names are data, not words for the model
    assert snapshot(tree.root) == before  # nothing moved yet

    run(collect(companion.reply("yes please")))
    assert snapshot(tree.root) != before
    assert "Moved" in mind.chats[-1].messages[-1].content
    memory = ready_app.memory()
    logged = [entry[1] for entry in audit.entries(memory.store, memory.user_id)]
    assert logged[:3] == ["tidy.done", "tidy.moved", "tidy.propose"]

    mind.structured = routing({"skill": "tidy_undo", "arguments": {}})
    events = run(collect(companion.reply("Oh no, undo that cleanup and put my files back")))
    assert any(isinstance(e, ConfirmationNeeded) for e in events)
    run(collect(companion.reply("yes")))
    assert snapshot(tree.root) == before


def test_a_no_moves_nothing(tmp_path: Path, ready_app: App, mind: ScriptedMind) -> None:
    tree = make_tree(tmp_path / "drive", 100, seed=2)
    before = snapshot(tree.root)
    mind.structured = routing({"skill": "tidy", "arguments": {"folder": str(tree.root)}})
    companion = ready_app.companion()
    run(collect(companion.reply("Please tidy up my files")))
    run(collect(companion.reply("no, leave it")))
    assert snapshot(tree.root) == before
    memory = ready_app.memory()
    assert audit.entries(memory.store, memory.user_id)[0][1] == "tidy.declined"


def test_a_system_folder_is_refused_in_conversation_too(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = routing({"skill": "tidy", "arguments": {"folder": "/usr"}})
    events = run(collect(ready_app.companion().reply("clean up the files in /usr")))
    assert not any(isinstance(e, ConfirmationNeeded) for e in events)
    assert "system folder" in mind.chats[-1].messages[-1].content


def test_talking_about_tidiness_routes_nowhere(ready_app: App, mind: ScriptedMind) -> None:
    run(collect(ready_app.companion().reply("My flat is so tidy today.")))
    assert not any(
        r.options.json_schema and "anyOf" in r.options.json_schema for r in mind.requests
    )


def test_words_for_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Downloads").mkdir()
    assert folder_from_words("my hard drive") == str(tmp_path)
    assert folder_from_words("/") == str(tmp_path)
    assert folder_from_words("downloads") == str(tmp_path / "Downloads")
    assert folder_from_words(str(tmp_path / "Downloads")) == str(tmp_path / "Downloads")
    with pytest.raises(Exception, match="no folder called"):
        folder_from_words("Holiday pictures")


@pytest.mark.parametrize(
    ("cores", "load", "running", "workers"),
    [
        (2, 0.1, None, 2),
        (2, 0.7, None, 1),
        (2, 17.0, None, 1),
        (4, 1.2, None, 3),
        (1, 0.0, None, 1),
        (2, 1.0, 0, 2),  # a burst that just ended still weighs on the 1-minute average
        (2, 17.0, 16, 1),
        (2, 0.1, 3, 2),  # a burst that just began: the average says quiet, and it costs little
    ],
)
def test_a_worker_for_each_idle_core(
    monkeypatch: pytest.MonkeyPatch, cores: int, load: float, running: int | None, workers: int
) -> None:
    monkeypatch.setattr(tidy_build.os, "sched_getaffinity", lambda _pid: set(range(cores)))
    monkeypatch.setattr(tidy_build.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(tidy_build, "running_others", lambda: running)
    assert tidy_build.idle_cores() == workers


def test_the_processes_running_now_are_read_from_the_kernel() -> None:
    others = tidy_build.running_others()
    assert others is not None and 0 <= others < 10_000
