"""A fact corrected in a later session: superseded (kept as history), and the corrected
value is what the model is shown; extraction sees the facts it may correct."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from os1.app import App
from os1.memory.extract import ProposedFact, extract_facts, facts_schema
from os1.memory.facts import Fact
from os1.memory.reading import read_text
from os1.memory.remembering import corrected_statement, restated
from os1.mind.base import Message
from os1.testing import ScriptedMind

from ..conftest import collect, run


def _profile(prompt: list[Message]) -> str:
    return next(m.content for m in prompt if m.content.startswith("Everything from here on"))


async def _session(app: App, text: str) -> None:
    """One session: a companion, one turn, and what happens after it."""
    companion = app.companion()
    await collect(companion.reply(text))
    await companion.settle()


def _extractor(messages: Sequence[Message], schema: dict[str, Any]) -> Any:
    said = messages[-1].content
    if "now" in schema["properties"]:  # the old fact rewritten to be true now
        return {"now": "My sister Ines lives in Lisbon."}
    known = "replaces" in schema["properties"]["facts"]["items"]["properties"]
    if "Porto" in said:
        return {
            "facts": [
                {
                    "about": "person",
                    "statement": "My sister Ines lives in Porto.",
                    "importance": 4,
                    **({"replaces": 0} if known else {}),
                }
            ]
        }
    if "Lisbon" in said:
        assert known and "[1] My sister Ines lives in Porto." in messages[0].content
        return {
            "facts": [
                {
                    "about": "person",
                    "statement": "Ines moved to Lisbon last week.",  # in the user's words
                    "importance": 4,
                    "replaces": 1,
                }
            ]
        }
    return {"facts": []}


def _told_then_corrected(app: App, mind: ScriptedMind) -> None:
    mind.structured = _extractor
    run(_session(app, "My sister Ines lives in Porto, by the river."))
    run(_session(app, "Big news: Ines moved to Lisbon last week."))


def _asked(app: App, mind: ScriptedMind, question: str) -> list[Message]:
    """The prompt of a question asked in a new session, no earlier turns in it."""
    fresh = app.companion()
    fresh._first_history = 0
    run(collect(fresh.reply(question)))
    return list(mind.chats[-1].messages)


def test_extraction_offers_known_facts_by_number(ready_app: App) -> None:
    memory = ready_app.memory()
    fact_id = memory.facts.add("My sister Ines lives in Porto.", "person")
    fact = memory.facts.get(fact_id or 0)
    assert fact is not None
    mind = ScriptedMind(structured=_extractor)
    found = run(extract_facts(mind, "Theo", "Ines moved to Lisbon last week.", [fact]))
    assert found == [ProposedFact("person", "Ines moved to Lisbon last week.", 4, fact.id)]
    assert mind.requests[0].options.json_schema == facts_schema(1)
    enum = facts_schema(3)["properties"]["facts"]["items"]["properties"]["replaces"]["enum"]
    assert enum == [0, 1, 2, 3]


def test_a_correction_in_a_later_session_supersedes_and_is_what_is_recalled(
    ready_app: App, mind: ScriptedMind
) -> None:
    _told_then_corrected(ready_app, mind)
    memory = ready_app.memory()
    current = [f.statement for f in memory.facts.current()]
    # The old fact in its own words, made true now, and the news as it was told.
    assert "My sister Ines lives in Lisbon." in current
    assert "Ines moved to Lisbon last week." in current
    assert "My sister Ines lives in Porto." not in current
    lisbon = next(f for f in memory.facts.current() if f.statement.endswith("in Lisbon."))
    chain = memory.facts.history(lisbon.id)
    assert [f.statement for f, _ in chain] == [
        "My sister Ines lives in Lisbon.",
        "My sister Ines lives in Porto.",
    ]
    assert chain[1][1][-1][1] == "supersede"
    assert "corrected it in conversation" in chain[1][1][-1][3]
    # A third session asks: the corrected value is what the model is shown.
    prompt = _asked(ready_app, mind, "Where does my sister Ines live?")
    profile = _profile(prompt)
    assert "Lisbon" in profile  # the profile: current facts only
    assert "My sister Ines lives in Porto." not in profile
    lines = prompt[-1].content.split("\n")
    assert lines[-1] == "Where does my sister Ines live?"
    # The correction names what is no longer true.
    assert (
        "[You remember Theo correcting this: \u201cMy sister Ines lives in Lisbon.\u201d"
        " (no longer \u201cMy sister Ines lives in Porto.\u201d).]"
    ) in lines


def test_passages_join_the_memory_lines_only_when_talking_of_reading(
    ready_app: App, mind: ScriptedMind, tmp_path: Path
) -> None:
    book = tmp_path / "names.txt"
    book.write_text("Baby names\n\nSamantha means listener. Theodore means gift of god.")
    ready_app.memory().documents.store(read_text(book))
    companion = ready_app.companion()
    run(collect(companion.reply("Samantha is a lovely name, I think.")))
    assert "reading in" not in mind.chats[-1].messages[-1].content
    run(collect(companion.reply("What did that book say Samantha means?")))
    note = mind.chats[-1].messages[-1].content
    assert "[You remember reading in names.txt: \u201cBaby names" in note


def test_the_core_blocks_join_the_profile(ready_app: App, mind: ScriptedMind) -> None:
    run(collect(ready_app.companion().reply("Hi.")))
    assert "How things stand" not in _profile(mind.chats[-1].messages)
    reflections = ready_app.memory().reflections
    reflections.set_core("relationship", "Close friends by now.", "test")
    reflections.set_core("profile", "Theo writes letters for a living.", "test")
    reflections.set_core("self", "Curious about music lately.", "test")
    run(collect(ready_app.companion().reply("Hi.")))
    profile = _profile(mind.chats[-1].messages)
    assert "How things stand between you and Theo: Close friends by now." in profile
    assert "keep in mind about them: Theo writes letters for a living." in profile
    assert "How you see yourself now: Curious about music lately." in profile


def _fact(fact_id: int, statement: str) -> Fact:
    return Fact(fact_id, "person", statement, (), 0.8, 3, "2026-01-01T00:00:00+00:00")


def test_a_change_restating_an_old_fact_replaces_it() -> None:
    known = [_fact(1, "Ines lives in Porto"), _fact(2, "Ines works as a nurse")]
    message = "Big news: my sister Ines moved to Lisbon last month. She lives in Lisbon now."
    new = "Ines moved to Lisbon last month and now lives there."
    assert restated(new, message, known) == known[0]
    # No word of change: both can be true.
    assert restated("Ines lives in Lisbon too.", "Ines lives in Lisbon too.", known) is None
    # A change, but about something else.
    assert restated("I bought a new bike.", "I bought a new bike.", known) is None
    # Saying more about the same thing is not a change.
    assert restated("Ines lives in Porto with Rui now.", "Ines lives in Porto now.", known) is None


def test_a_change_in_other_words_about_the_same_subject_replaces_it() -> None:
    porto = _fact(1, "Ines lives in Porto and teaches piano there.")
    nurse = _fact(2, "My partner Sam works as a nurse.")
    porto_me = _fact(3, "I live in Porto.")
    known = [porto, nurse, porto_me]
    message = "Big news: Ines moved to Lisbon last month, she got a job at the conservatory."
    new = "Ines moved to Lisbon last month, she got a job at the conservatory."
    assert restated(new, message, known) == porto
    # Sam's work changed, not Ines's home nor mine.
    assert restated("Sam is a paramedic now.", "Sam is a paramedic now.", known) is None
    assert restated("Sam works as a paramedic now.", "Sam quit, he's a paramedic.", known) == nurse
    # My own move replaces my home, never someone else's.
    assert restated("I moved to Bristol.", "I moved to Bristol.", known) == porto_me
    # Moving furniture is no move, and quitting smoking is no job.
    assert restated("I moved my desk to the window.", "I moved my desk now.", known) is None
    assert restated("I quit smoking.", "I quit smoking now.", [nurse, porto_me]) is None


@pytest.mark.parametrize(
    ("about", "statement", "kept"),
    [
        ("os1", "Ines moved to Lisbon last month.", "person"),
        ("os1", "I love long walks.", "user"),
        ("os1", "You are a good listener.", "os1"),
        ("world", "Porto is by the sea.", "world"),
    ],
)
def test_facts_about_others_are_not_filed_under_os1(about: str, statement: str, kept: str) -> None:
    answer = {"facts": [{"about": about, "statement": statement, "importance": 3}]}
    mind = ScriptedMind(structured=lambda _m, _s: answer)
    assert run(extract_facts(mind, "Theo", "x " * 5))[0].about == kept


def test_a_correction_the_model_did_not_mark_still_supersedes(
    ready_app: App, mind: ScriptedMind
) -> None:
    def unmarked(messages: Sequence[Message], schema: dict[str, Any]) -> Any:
        said = messages[-1].content
        if "now" in schema["properties"]:
            return {"now": "Ines lives in Porto"}  # unchanged: not used, the news stands
        known = "replaces" in schema["properties"]["facts"]["items"]["properties"]
        statement = (
            "Ines lives in Porto" if "Porto" in said else "Ines moved to Lisbon and lives there"
        )
        return {
            "facts": [
                {
                    "about": "person",
                    "statement": statement,
                    "importance": 3,
                    **({"replaces": 0} if known else {}),
                }
            ]
        }

    mind.structured = unmarked

    run(_session(ready_app, "My sister Ines lives in Porto."))
    run(_session(ready_app, "Ines moved to Lisbon last month, she lives there now."))
    current = [f.statement for f in ready_app.memory().facts.current()]
    assert current.count("Ines moved to Lisbon and lives there") == 1
    assert "Ines lives in Porto" not in current
    # The turn that said Porto now sinks below the one that corrected it.
    hits = ready_app.memory().recall.search("Where does Ines live?", kinds=("message",))
    assert "Lisbon" in hits[0].text


def test_a_recalled_turn_whose_facts_all_changed_shows_only_what_is_true_now(
    ready_app: App, mind: ScriptedMind
) -> None:
    _told_then_corrected(ready_app, mind)
    prompt = _asked(ready_app, mind, "Is she still by the river?")  # only the old turn has it
    lines = prompt[-1].content.split("\n")
    assert not any("by the river" in line for line in lines if line != "Is she still by the river?")
    assert lines[0].startswith("[You remember Theo correcting this: \u201cMy sister Ines")


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("My sister Ines lives in Lisbon.", "My sister Ines lives in Lisbon."),
        ("My sister Ines lives in Porto.", None),  # nothing new taken from the news
        ("She is happy there.", None),  # the old fact's words are gone
    ],
)
def test_the_old_fact_rewritten_must_keep_its_words_and_take_the_news(
    answer: str, kept: str | None
) -> None:
    mind = ScriptedMind(structured=lambda _m, _s: {"now": answer})
    said = "Ines moved to Lisbon last week, she is happy there."
    assert run(corrected_statement(mind, "Theo", "My sister Ines lives in Porto.", said)) == kept


def test_an_outdated_turn_leads_to_what_holds_today(ready_app: App) -> None:
    facts = ready_app.memory().facts
    porto = facts.add("Ines lives in Porto.", "person", source_ids=(1,)) or 0
    kept = facts.add("Ines plays the cello.", "person", source_ids=(3,)) or 0
    lisbon = facts.supersede(porto, "Ines lives in Lisbon.", "moved", source_ids=(2,)) or 0
    facts.supersede(lisbon, "Ines lives in Faro.", "moved again", source_ids=(4,))
    assert kept
    # Turn 1's only fact was corrected twice; turn 3's still holds; turn 2's was corrected.
    assert facts.outdated([1, 2, 3]) == {
        1: [("Ines lives in Porto.", "Ines lives in Faro.")],
        2: [("Ines lives in Lisbon.", "Ines lives in Faro.")],
    }
