"""Fact extraction through a scripted mind, and the export a user can take with them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from os1 import __version__
from os1.app import App
from os1.errors import StructuredOutputError
from os1.memory import Memory
from os1.memory.export import export_user
from os1.memory.extract import FACTS_SCHEMA, ProposedFact, extract_facts, tells_something
from os1.memory.store import Store
from os1.mind.base import Message
from os1.testing import ScriptedMind

from ..conftest import run


@pytest.mark.parametrize(
    "text",
    [
        "My sister's name is Ines and she lives in Porto.",
        "I started a new job today",
        "Hm? I moved to Lisbon last spring.",
        "Where are you?\nI live by the sea.",
    ],
)
def test_statements_are_tells_something(text: str) -> None:
    assert tells_something(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "Where does my sister live?",
        "What did I tell you? Do you remember it?",
        "ok",
        "Yes.",
        "Haha, sure!",
        "",
        "   \n  ",
    ],
)
def test_questions_and_tiny_replies_are_not(text: str) -> None:
    assert tells_something(text) is False


def _facts(*items: dict[str, Any]) -> dict[str, Any]:
    return {"facts": list(items)}


def test_extract_facts_returns_proposed_facts() -> None:
    seen: list[tuple[list[Message], dict[str, Any]]] = []

    def answer(messages: Sequence[Message], schema: dict[str, Any]) -> Any:
        seen.append((list(messages), schema))
        return _facts(
            {"about": "person", "statement": "My sister Ines lives in Porto.", "importance": 4},
            {"about": "user", "statement": "  I   love\nthe sea.  ", "importance": 2},
        )

    mind = ScriptedMind(structured=answer)
    found = run(extract_facts(mind, "Theo", "My sister Ines lives in Porto. I love the sea."))
    assert found == [
        ProposedFact("person", "My sister Ines lives in Porto.", 4),
        ProposedFact("user", "I love the sea.", 2),
    ]
    assert len(seen) == 1
    messages, schema = seen[0]
    assert schema == FACTS_SCHEMA
    assert [m.role for m in messages] == ["system", "user"]
    assert "Theo" in messages[0].content
    assert "My sister Ines lives in Porto. I love the sea." in messages[1].content
    options = mind.requests[0].options
    assert options.json_schema == FACTS_SCHEMA
    assert options.cache_key == "background"


def test_extract_facts_reads_at_most_2000_characters() -> None:
    mind = ScriptedMind()
    run(extract_facts(mind, "Theo", "a" * 1990 + "b" * 100))
    said = mind.requests[0].messages[1].content
    assert "a" * 1990 + "b" * 10 in said
    assert "b" * 11 not in said


def test_empty_and_oversized_statements_are_dropped() -> None:
    mind = ScriptedMind(
        structured=lambda _m, _s: _facts(
            {"about": "user", "statement": "", "importance": 3},
            {"about": "user", "statement": "   \n ", "importance": 3},
            {"about": "user", "statement": "ok", "importance": 3},
            {"about": "world", "statement": "x" * 301, "importance": 3},
            {"about": "world", "statement": "Porto is by the sea.", "importance": 3},
        )
    )
    found = run(extract_facts(mind, "Theo", "Porto is by the sea, you know."))
    assert found == [ProposedFact("world", "Porto is by the sea.", 3)]


def test_no_facts_is_an_empty_list() -> None:
    assert run(extract_facts(ScriptedMind(), "Theo", "I had a nice day today.")) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"facts": [{"about": "cat", "statement": "I have a cat.", "importance": 3}]},
        {"facts": [{"about": "user", "statement": "I have a cat.", "importance": 9}]},
        {"facts": [{"about": "user", "statement": "I have a cat."}]},
        {"facts": [{"about": "user", "statement": "I have a cat.", "importance": True}]},
        {"facts": "I have a cat."},
        {"facts": [{"about": "user", "statement": "x", "importance": 1}] * 6},
        {},
        ["I have a cat."],
    ],
)
def test_a_schema_invalid_answer_twice_raises(bad: Any) -> None:
    calls: list[int] = []

    def answer(_m: Sequence[Message], _s: dict[str, Any]) -> Any:
        calls.append(1)
        return bad

    with pytest.raises(StructuredOutputError) as caught:
        run(extract_facts(ScriptedMind(structured=answer), "Theo", "I have a cat at home."))
    assert len(calls) == 2  # retried once, then gave up
    assert "The model's structured answer was unusable" in str(caught.value)
    assert caught.value.transient is True


def test_a_schema_invalid_answer_once_is_retried() -> None:
    answers = [
        {"facts": [{"about": "cat", "statement": "I have a cat.", "importance": 3}]},
        _facts({"about": "user", "statement": "I have a cat.", "importance": 3}),
    ]
    mind = ScriptedMind(structured=lambda _m, _s: answers.pop(0))
    found = run(extract_facts(mind, "Theo", "I have a cat at home."))
    assert found == [ProposedFact("user", "I have a cat.", 3)]
    assert len(mind.requests) == 2


# Export


def test_export_holds_one_users_memory(ready_app: App) -> None:
    mine = ready_app.memory()
    theirs = ready_app.memory("someone-else")
    thread = mine.episodes.thread()
    said = mine.episodes.add(thread, "user", "My sister Ines lives in Porto.")
    mine.episodes.add(thread, "assistant", "Porto! Lovely.", meta={"recalled": [said]})
    fact = mine.facts.add("My sister Ines lives in Porto.", "person", source_ids=(said,))
    assert fact is not None
    theirs.episodes.add(theirs.episodes.thread(), "user", "My brother Rui lives in Faro.")
    theirs.facts.add("My brother Rui lives in Faro.", "person")

    document = export_user(ready_app.store, mine.user_id)

    assert json.loads(json.dumps(document)) == document
    assert set(document) == {
        "os1_version",
        "exported_at",
        "persona",
        "facts",
        "messages",
        "threads",
        "memory_history",
        "core_blocks",
        "persona_history",
        "audit_log",
        "documents",
        "passages",
        "reflections",
    }
    assert document["persona"]["user_name"] == "Theo"
    persona = ready_app.persona()
    assert persona is not None
    assert document["persona"]["name"] == persona.name
    assert document["persona"]["traits"]["mother_relation"] == "complicated"
    statements = [f["statement"] for f in document["facts"]]
    assert "My sister Ines lives in Porto." in statements
    assert all("Rui" not in s for s in statements)
    by_id = {f["id"]: f for f in document["facts"]}
    assert by_id[fact]["source_ids"] == [said]  # JSON columns come back as JSON
    assert [(m["role"], m["content"]) for m in document["messages"]] == [
        ("user", "My sister Ines lives in Porto."),
        ("assistant", "Porto! Lovely."),
    ]
    assert document["messages"][1]["meta"] == {"recalled": [said]}
    assert [t["title"] for t in document["threads"]] == ["main"]
    assert len(document["persona_history"]) == 1
    assert document["persona_history"][0]["cause"] == "first interview"
    assert {h["item_kind"] for h in document["memory_history"]} == {"fact"}
    assert "Rui" not in json.dumps(document)
    assert all("user_id" not in row for row in document["facts"] + document["messages"])


def test_export_of_a_user_with_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "os1.sqlite3")
    try:
        memory = Memory(store, store.user_id("new"))
        document = export_user(store, memory.user_id)
    finally:
        store.close()
    assert document["persona"] is None
    assert document["facts"] == document["messages"] == document["audit_log"] == []
    assert document["os1_version"] == __version__
