"""Facts and episodes: repeats, supersession with history, forgetting, and users kept apart."""

from __future__ import annotations

import pytest

from os1.memory import Memory
from os1.memory.facts import normalised
from os1.memory.store import Store


def _history(
    store: Store, kind: str, item_id: int
) -> list[tuple[str, str | None, str | None, str]]:
    rows = store.query(
        "SELECT action, before, after, cause FROM memory_history"
        " WHERE item_kind = ? AND item_id = ? ORDER BY id",
        (kind, item_id),
    )
    return [(r["action"], r["before"], r["after"], r["cause"]) for r in rows]


def _fts_facts(store: Store, word: str) -> list[int]:
    rows = store.query("SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?", (f'"{word}"',))
    return [r["rowid"] for r in rows]


def _fts_messages(store: Store, word: str) -> list[int]:
    rows = store.query("SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?", (f'"{word}"',))
    return [r["rowid"] for r in rows]


# Facts


def test_normalised_ignores_case_punctuation_and_spacing() -> None:
    assert normalised("  My sister, Ines, lives in PORTO!  ") == "my sister ines lives in porto"
    assert normalised("...") == ""


def test_add_stores_a_fact_and_records_it(memory: Memory, store: Store) -> None:
    fact_id = memory.facts.add(
        "My sister   Ines lives in Porto.", "person", source_ids=(7, 9), importance=9
    )
    assert fact_id is not None
    fact = memory.facts.get(fact_id)
    assert fact is not None
    assert fact.statement == "My sister Ines lives in Porto."  # whitespace collapsed
    assert fact.about == "person"
    assert fact.source_ids == (7, 9)
    assert fact.importance == 5  # clamped to 1..5
    assert fact.current is True
    assert _history(store, "fact", fact_id) == [
        ("add", None, "My sister Ines lives in Porto.", "extracted from conversation")
    ]


@pytest.mark.parametrize(
    "repeat",
    [
        "My sister Ines lives in Porto.",
        "my sister ines lives in porto",
        "  MY SISTER, INES, lives in Porto!",
    ],
)
def test_add_ignores_a_repeat(memory: Memory, repeat: str) -> None:
    first = memory.facts.add("My sister Ines lives in Porto.")
    assert first is not None
    assert memory.facts.add(repeat) is None
    assert [f.id for f in memory.facts.current()] == [first]


@pytest.mark.parametrize("empty", ["", "   ", "?!..."])
def test_add_ignores_a_statement_without_words(memory: Memory, empty: str) -> None:
    assert memory.facts.add(empty) is None
    assert memory.facts.current() == []


def test_current_orders_by_importance_then_newest(memory: Memory) -> None:
    low = memory.facts.add("I like tea.", importance=1)
    old = memory.facts.add("I live in Lisbon.", importance=4)
    new = memory.facts.add("I work as a nurse.", importance=4)
    assert [f.id for f in memory.facts.current()] == [new, old, low]


def test_supersede_keeps_the_old_fact_as_history(memory: Memory, store: Store) -> None:
    old_id = memory.facts.add("My sister lives in Porto.", "person")
    assert old_id is not None
    new_id = memory.facts.supersede(old_id, "My sister lives in Lisbon now.", "she moved")
    assert new_id is not None and new_id != old_id

    old = memory.facts.get(old_id)
    new = memory.facts.get(new_id)
    assert old is not None and new is not None
    assert old.current is False
    assert old.valid_to is not None
    assert old.valid_to == new.valid_from
    assert new.current is True
    assert new.about == "person"
    assert [f.statement for f in memory.facts.current()] == ["My sister lives in Lisbon now."]
    superseded_by = store.query("SELECT superseded_by FROM facts WHERE id = ?", (old_id,))
    assert superseded_by[0]["superseded_by"] == new_id
    assert _history(store, "fact", old_id) == [
        ("add", None, "My sister lives in Porto.", "extracted from conversation"),
        ("supersede", "My sister lives in Porto.", "My sister lives in Lisbon now.", "she moved"),
    ]


def test_a_superseded_fact_cannot_be_superseded_again(memory: Memory) -> None:
    old_id = memory.facts.add("I live in Porto.")
    assert old_id is not None
    assert memory.facts.supersede(old_id, "I live in Lisbon.", "moved") is not None
    assert memory.facts.supersede(old_id, "I live in Faro.", "moved again") is None
    assert memory.facts.supersede(9999, "I live in Faro.", "no such fact") is None


def test_forget_removes_the_fact_search_row_and_recall_notes(memory: Memory, store: Store) -> None:
    fact_id = memory.facts.add("My sister Ines lives in Porto.", "person")
    other_id = memory.facts.add("I work at the hospital.")
    assert fact_id is not None and other_id is not None
    thread = memory.episodes.thread()
    citing = memory.episodes.add(
        thread, "context", "Ines lives in Porto", meta={"facts": [fact_id]}
    )
    unrelated = memory.episodes.add(
        thread, "context", "hospital", meta={"facts": [other_id], "messages": []}
    )
    assert [(r.kind, r.id) for r in memory.recall.search("Where is Porto?")] == [("fact", fact_id)]
    assert _fts_facts(store, "porto") == [fact_id]

    assert memory.facts.forget(fact_id, "asked to forget") is True

    assert memory.facts.get(fact_id) is None
    assert _fts_facts(store, "porto") == []
    assert memory.recall.search("Where is Porto?") == []
    assert memory.episodes.get(citing) is None
    assert memory.episodes.get(unrelated) is not None
    assert memory.facts.get(other_id) is not None
    assert _history(store, "fact", fact_id)[-1] == ("forget", None, None, "asked to forget")
    assert memory.facts.forget(fact_id, "again") is False


def test_forget_the_newer_of_a_superseded_pair(memory: Memory) -> None:
    old_id = memory.facts.add("I live in Porto.")
    assert old_id is not None
    new_id = memory.facts.supersede(old_id, "I live in Lisbon.", "moved")
    assert new_id is not None
    assert memory.facts.forget(new_id, "wrong") is True
    old = memory.facts.get(old_id)
    assert old is not None and old.valid_to is not None
    assert memory.facts.current() == []


# Episodes


def test_thread_is_created_once(memory: Memory, store: Store) -> None:
    first = memory.episodes.thread()
    assert memory.episodes.thread() == first
    assert memory.episodes.thread("main") == first
    other = memory.episodes.thread("travel")
    assert other != first
    assert store.query("SELECT count(*) AS n FROM threads")[0]["n"] == 2


def test_messages_are_stored_with_role_and_meta(memory: Memory) -> None:
    thread = memory.episodes.thread()
    said = memory.episodes.add(thread, "user", "Hello there.")
    answer = memory.episodes.add(thread, "assistant", "Hi!", interrupted=True, meta={"a": [1]})
    assert [(e.role, e.content) for e in memory.episodes.recent(thread)] == [
        ("user", "Hello there."),
        ("assistant", "Hi!"),
    ]
    stored = memory.episodes.get(answer)
    assert stored is not None
    assert stored.interrupted is True
    assert stored.meta == {"a": [1]}
    assert memory.episodes.recent(thread, after_id=said)[0].id == answer
    assert memory.episodes.count() == 2


def test_recall_notes_are_not_counted_or_listed(memory: Memory) -> None:
    thread = memory.episodes.thread()
    memory.episodes.add(thread, "user", "Hello there.")
    memory.episodes.add(thread, "context", "a note", meta={"messages": []})
    assert memory.episodes.count() == 1
    assert [e.role for e in memory.episodes.listing()] == ["user"]
    assert [e.role for e in memory.episodes.recent(thread)] == ["user", "context"]


def test_forget_a_message(memory: Memory, store: Store) -> None:
    thread = memory.episodes.thread()
    secret = memory.episodes.add(thread, "user", "My password is marmalade.")
    kept = memory.episodes.add(thread, "user", "I love marmalade on toast.")
    citing = memory.episodes.add(thread, "context", "note", meta={"messages": [kept, secret]})
    other_note = memory.episodes.add(thread, "context", "note", meta={"messages": [kept]})
    fact_note = memory.episodes.add(thread, "context", "note", meta={"facts": [secret]})
    assert sorted(_fts_messages(store, "password")) == [secret]

    assert memory.episodes.forget(secret, "user asked") is True

    assert memory.episodes.get(secret) is None
    assert _fts_messages(store, "password") == []
    assert _fts_messages(store, "marmalade") == [kept]
    assert memory.episodes.get(citing) is None
    assert memory.episodes.get(other_note) is not None
    assert memory.episodes.get(fact_note) is not None  # cites a fact id, not this message
    found = memory.recall.search("password marmalade")
    assert [(r.kind, r.id) for r in found] == [("message", kept)]
    history = _history(store, "message", secret)
    assert history == [("forget", "[user]", None, "user asked")]
    everything = store.query("SELECT * FROM memory_history")
    assert all("password" not in str(tuple(row)) for row in everything)
    assert memory.episodes.forget(secret, "again") is False


# Two users


def test_users_cannot_see_each_others_memories(store: Store) -> None:
    a = Memory(store, store.user_id("a"))
    b = Memory(store, store.user_id("b"))
    fact = a.facts.add("My sister Ines lives in Porto.", "person")
    assert fact is not None
    message = a.episodes.add(a.episodes.thread(), "user", "My sister lives in Porto.")

    assert b.facts.current() == []
    assert b.facts.get(fact) is None
    assert b.episodes.get(message) is None
    assert b.episodes.listing() == []
    assert b.episodes.count() == 0
    assert b.recall.search("Where does my sister live in Porto?") == []
    assert b.episodes.thread() != a.episodes.thread()

    # b cannot change a's memories either, and a repeat for b is not a repeat for a.
    assert b.facts.forget(fact, "not mine") is False
    assert b.facts.supersede(fact, "My sister lives in Lisbon.", "not mine") is None
    assert b.episodes.forget(message, "not mine") is False
    assert b.facts.add("My sister Ines lives in Porto.", "person") is not None
    assert [f.id for f in a.facts.current()] == [fact]
    assert a.episodes.get(message) is not None
    found = a.recall.search("Where does my sister live?")
    assert [(r.kind, r.id) for r in found] == [("fact", fact), ("message", message)]
