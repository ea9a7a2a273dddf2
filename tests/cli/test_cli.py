"""The `os1` command as a user runs it, with the real runtime and the tiny model."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from os1 import __version__

from .conftest import Run, no_traceback

pytestmark = pytest.mark.real_model


def test_version_and_the_installed_command(os1: Run) -> None:
    done = os1("--version")
    assert done.stdout.strip() == f"os1 {__version__}"
    assert shutil.which("os1", path=str(Path(sys.executable).parent))


def test_config_show_says_what_and_where(os1: Run, hermetic: Path) -> None:
    done = os1("config", "show", OS1_THREADS="3")
    assert done.returncode == 0
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.strip()}
    assert str(hermetic) in lines["home"] and "(OS1_HOME)" in lines["home"]
    assert "smollm2" in lines["model"] and "(OS1_MODEL)" in lines["model"]
    assert "3" in lines["threads"] and "(OS1_THREADS)" in lines["threads"]
    assert str(hermetic / "os1.sqlite3") in lines["database"]
    assert "SmolLM2" in lines["engine"]


def test_setup_names_itself_and_says_how_long_reading_took(os1: Run, answers: Path) -> None:
    done = os1("setup", "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    sentence, announcement = done.stdout.strip().splitlines()
    assert "Theo" in sentence
    assert "I just read a book of " in announcement and " seconds. I like " in announcement
    assert "keep mostly to yourself" in announcement or "family" in announcement


def test_ask_before_setup_says_what_to_do(os1: Run) -> None:
    done = os1("ask", "hello")
    assert done.returncode == 1
    assert done.stderr.strip() == "os1: OS1 has not been set up yet. Run `os1 setup` first."


def test_ask_replies_and_remembers_across_processes(set_up_os1: Run, hermetic: Path) -> None:
    first = set_up_os1("ask", "My sister's name is Ines and she lives in Porto.")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip()
    no_traceback(first)
    listed = set_up_os1("memory", "list", "--turns")
    assert "user: My sister's name is Ines and she lives in Porto." in listed.stdout
    # Two more turns, so the first is no longer just above in the prompt (where it
    # needs no memory line), each in a process of its own.
    for text in ("I had pasta for lunch.", "It rained all day."):
        assert set_up_os1("ask", text).returncode == 0
    second = set_up_os1("ask", "Where does my sister live?")
    assert second.returncode == 0
    # The last process recalled the first one's words for the model.
    with sqlite3.connect(hermetic / "os1.sqlite3") as db:
        notes = [r[0] for r in db.execute("SELECT content FROM messages WHERE role = 'context'")]
    assert "My sister's name is Ines and she lives in Porto." in notes[-1]


def test_memory_search_forget_and_export(set_up_os1: Run, tmp_path: Path) -> None:
    set_up_os1("ask", "My cat is called Pixel.")
    found = set_up_os1("memory", "search", "cat")
    assert "My cat is called Pixel." in found.stdout
    ids = [line.split()[0] for line in found.stdout.splitlines()]  # the turn, and any facts
    assert any(i.startswith("m") for i in ids)
    refused = set_up_os1("memory", "forget", *ids)  # no TTY, no --yes
    assert refused.returncode == 2 and "--yes" in refused.stderr
    forgot = set_up_os1("memory", "forget", *ids, "--yes")
    assert forgot.returncode == 0
    assert "Pixel" not in set_up_os1("memory", "search", "cat").stdout
    out = tmp_path / "export.json"
    assert set_up_os1("memory", "export", "--out", str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o600
    document = json.loads(out.read_text())
    assert document["persona"]["user_name"] == "Theo"
    assert any(a["action"] == "memory.forget" for a in document["audit_log"])
    assert not any("Pixel" in m["content"] for m in document["messages"] if m["role"] == "user")


def test_unknown_memory_ids_are_refused(set_up_os1: Run) -> None:
    for bad in ("f999", "zebra"):
        done = set_up_os1("memory", "forget", bad, "--yes")
        assert done.returncode == 2
        assert done.stderr.startswith("os1: ") and len(done.stderr.strip().splitlines()) == 1


def test_data_files_are_private(set_up_os1: Run, hermetic: Path) -> None:
    assert hermetic.stat().st_mode & 0o777 == 0o700
    assert (hermetic / "os1.sqlite3").stat().st_mode & 0o777 == 0o600
