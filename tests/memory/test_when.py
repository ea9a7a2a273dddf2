"""Time in a question, relative to now and by the calendar."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from os1.memory.when import time_window

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What did I say today?", "2026-11-20", "2026-11-21"),
        ("what did I tell you yesterday", "2026-11-19", "2026-11-20"),
        ("What did I tell you last week?", "2026-11-09", "2026-11-16"),
        ("anything this week?", "2026-11-16", "2026-11-23"),
        ("What happened last month?", "2026-10-01", "2026-11-01"),
        ("three days ago I said", "2026-11-16", "2026-11-19"),
        ("what did I say on Monday", "2026-11-16", "2026-11-17"),
        ("What did Ben cook in June 2023?", "2023-06-01", "2023-07-01"),
        ("What happened on 8 May, 2023?", "2023-05-08", "2023-05-09"),
        ("What happened on May 8th 2023?", "2023-05-08", "2023-05-09"),
        ("Where did we go in May?", "2026-05-01", "2026-06-01"),
        ("What did I do in 2022?", "2022-01-01", "2023-01-01"),
        # No year: the latest such month or day that has begun, since memory looks back.
        ("What did I say in December?", "2025-12-01", "2026-01-01"),
        ("and in November?", "2026-11-01", "2026-12-01"),
        ("what happened on 30 November", "2025-11-30", "2025-12-01"),
        ("what happened on November 20", "2026-11-20", "2026-11-21"),
    ],
)
def test_windows(question: str, start: str, end: str) -> None:
    window = time_window(question, NOW)
    assert window is not None
    assert window.start.date().isoformat() == start
    assert window.end.date().isoformat() == end
    assert window.words in question.lower()


@pytest.mark.parametrize(
    "question",
    [
        "Where does my sister live?",
        "I may go out.",
        "I have 3 cats",
        "Tell me more",
        # Plans name a month to come, not one to look back at.
        "Do you think I should visit her in December?",
        "I'll see Ana in May.",
        "We're going to Lisbon on 12 March.",
    ],
)
def test_no_time_named(question: str) -> None:
    assert time_window(question, NOW) is None


def test_a_question_about_plans_made_then_still_looks_back() -> None:
    window = time_window("What did I say I would do in June?", NOW)
    assert window is not None
    assert window.start.date().isoformat() == "2026-06-01"
