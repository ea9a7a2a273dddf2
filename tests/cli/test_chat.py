"""`os1`, the conversation: first start runs the interview, later starts greet and talk."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from os1.persona.interview import QUESTIONS

from .conftest import Run, no_traceback

pytestmark = pytest.mark.real_model


def test_first_start_interviews_names_and_talks(os1: Run, hermetic: Path) -> None:
    answers = "Theo\nAnti-social, I guess.\nIt's complicated.\n\n\n\nHello there!\n"
    done = os1(stdin=answers)
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    out = done.stdout
    for question in QUESTIONS:
        assert question.text in out
    assert "I think I'll be " in out and "Theo" in out
    assert "I just read a book of " in out
    with sqlite3.connect(hermetic / "os1.sqlite3") as db:
        said = [r[0] for r in db.execute("SELECT role FROM messages ORDER BY id")]
    assert said[-2:] == ["user", "assistant"]


def test_an_empty_name_is_asked_again(os1: Run) -> None:
    done = os1(stdin="\n???\nTheo\nsocial\nclose\n\n\n\n")
    assert done.returncode == 0
    assert done.stderr.count("A name needs at least one letter.") == 2


def test_a_returning_user_is_greeted_and_can_leave(set_up_os1: Run) -> None:
    done = set_up_os1(stdin="How are you?\n/bye\n")
    assert done.returncode == 0, done.stderr
    assert ", Theo. I'm glad you're here." in done.stdout
    assert done.stdout.count("\u203a") >= 3  # greeting, the prompt, and a reply


def test_invalid_utf8_typed_in_the_conversation(set_up_os1: Run, hermetic: Path) -> None:
    done = set_up_os1(stdin=b"caf\xe9 au lait\n")
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    with sqlite3.connect(hermetic / "os1.sqlite3") as db:
        said = db.execute("SELECT content FROM messages WHERE role = 'user'").fetchone()[0]
    assert said == "caf\ufffd au lait"
