"""Questions about something never told get OS1's own honest opening, not an invention."""

from __future__ import annotations

import pytest

from os1.app import App
from os1.memory.questions import asked_to_remember
from os1.testing import ScriptedMind

from ..conftest import collect, run


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("What did I tell you about my brother?", "brother"),
        ("Do you remember what my dog is called?", "dog"),
        ("Have I ever mentioned my job?", "job"),
        ("Do you remember my name?", None),  # OS1 knows it
        ("Do you remember where I grew up?", None),  # no one thing asked about
        ("My brother is visiting.", None),  # no question
        ("Is my brother nice?", None),  # no memory asked for
        ("Do you remember my brother and my sister?", None),  # two things
    ],
)
def test_what_a_question_asks_to_remember(message: str, subject: str | None) -> None:
    assert asked_to_remember(message) == subject


def _last(mind: ScriptedMind) -> tuple[str, str]:
    last = mind.chats[-1].messages[-1]
    return last.role, last.content


def test_nothing_told_opens_with_saying_so(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = [" What is he like?"]
    events = run(collect(ready_app.companion().reply("What did I tell you about my brother?")))
    assert _last(mind) == ("assistant", "You haven't told me about your brother yet.")
    said = "".join(getattr(e, "text", "") for e in events)
    assert said.startswith("You haven't told me about your brother yet. What is he like?")


def test_something_told_is_left_to_memory(ready_app: App, mind: ScriptedMind) -> None:
    companion = ready_app.companion()
    run(collect(companion.reply("My brother Rui is a chef in Braga.")))
    run(collect(companion.reply("What did I tell you about my brother?")))
    assert _last(mind)[0] == "user"
    # The interview's answer about the mother is in the profile: known too.
    run(collect(companion.reply("Do you remember what I said about my mother?")))
    assert _last(mind)[0] == "user"
