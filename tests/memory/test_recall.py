"""Recall: which words are searched, hostile queries, stemming, and what is never returned."""

from __future__ import annotations

import pytest

from os1.memory import Memory, recall
from os1.memory.recall import fts_query, search_terms

INES = "My sister's name is Ines and she lives in Porto."


def test_search_terms_drop_stopwords() -> None:
    assert search_terms("Where does my sister live?") == ["sister", "live"]
    assert search_terms("Do you remember what I told you about her?") == []


def test_search_terms_drop_short_words_and_repeats() -> None:
    assert search_terms("x y z Porto porto PORTO go") == ["porto", "go"]


def test_search_terms_keep_years_but_not_other_numbers() -> None:
    terms = search_terms("In 1990 I was 7 and had 12345 stickers, 42 of them red")
    assert terms == ["1990", "stickers", "red"]


def test_search_terms_keep_unicode_words() -> None:
    assert search_terms("Vivo em São Paulo, perto do café") == [
        "vivo",
        "em",
        "são",
        "paulo",
        "perto",
        "café",
    ]


def test_search_terms_are_capped() -> None:
    words = [f"word{chr(97 + i)}" for i in range(26)]
    assert search_terms(" ".join(words)) == words[:16]


def test_fts_query_quotes_every_term() -> None:
    assert fts_query("Where does my sister live?") == '"sister" OR "live"'
    assert fts_query("what is it?") == ""


HOSTILE = [
    '"',
    'sister" OR "',
    "(sister",
    "sister)",
    "NEAR(sister porto, 2)",
    "sister NEAR porto",
    "sister AND NOT porto",
    "sist*",
    "*",
    "^porto",
    "content: porto",
    "messages_fts:porto",
    'sister\'s "brother" (cousin) -porto +lisbon',
    "Ñandú ünïcödé 東京 Zürich",
    "emoji 🎉🔥 sister 👩‍👧",
    "\x00\x01 porto \u200b\ufeff",
    "'; DROP TABLE facts; --",
    "a" * 10_000,
    "porto " * 2_000,
    "",
    "   ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_breaks_the_query(memory: Memory, text: str) -> None:
    memory.facts.add("My sister lives in Porto.", "person")
    memory.episodes.add(memory.episodes.thread(), "user", INES)
    query = fts_query(text)
    assert query.count('"') == 2 * len(search_terms(text))
    found = memory.recall.search(text)  # must not raise
    assert len(found) <= 6
    if "porto" in search_terms(text) or "sister" in search_terms(text):
        assert {r.kind for r in found} == {"fact", "message"}
    else:
        assert found == []


def test_stemming_finds_lives_for_live(memory: Memory) -> None:
    thread = memory.episodes.thread()
    memory.episodes.add(thread, "user", "I had pasta for dinner.")
    message = memory.episodes.add(thread, "user", INES)
    found = memory.recall.search("Where does my sister live?")
    assert [(r.kind, r.id, r.text) for r in found] == [("message", message, INES)]
    assert found[0].score > 0


def test_a_question_with_nothing_to_search_returns_nothing(memory: Memory) -> None:
    memory.episodes.add(memory.episodes.thread(), "user", INES)
    assert memory.recall.search("What is it?") == []


def test_facts_rank_above_messages_on_ties(memory: Memory) -> None:
    message = memory.episodes.add(memory.episodes.thread(), "user", "My sister lives in Porto.")
    fact = memory.facts.add("My sister lives in Porto.", "person")
    found = memory.recall.search("sister Porto")
    assert [(r.kind, r.id) for r in found] == [("fact", fact), ("message", message)]
    assert found[0].score > found[1].score


def test_only_the_users_own_words_are_searched(memory: Memory) -> None:
    thread = memory.episodes.thread()
    memory.episodes.add(thread, "assistant", "Your sister lives in Porto, you said.")
    memory.episodes.add(thread, "context", "sister Porto", meta={"messages": []})
    said = memory.episodes.add(thread, "user", "My sister is a doctor.")
    found = memory.recall.search("Where does my sister live in Porto?")
    assert [(r.kind, r.id) for r in found] == [("message", said)]


def test_superseded_facts_are_not_returned(memory: Memory) -> None:
    old = memory.facts.add("My sister lives in Porto.", "person")
    assert old is not None
    new = memory.facts.supersede(old, "My sister lives in Lisbon.", "she moved")
    porto = memory.recall.search("Does my sister live in Porto?")
    assert [(r.kind, r.id) for r in porto] == [("fact", new)]  # "sister" still matches
    assert memory.recall.search("Porto") == []


def test_excluded_messages_are_left_out(memory: Memory) -> None:
    thread = memory.episodes.thread()
    first = memory.episodes.add(thread, "user", "My sister lives in Porto.")
    second = memory.episodes.add(thread, "user", "My sister loves Porto.")
    found = memory.recall.search("sister Porto", exclude_messages={second})
    assert [(r.kind, r.id) for r in found] == [("message", first)]


def test_limit_is_respected(memory: Memory) -> None:
    thread = memory.episodes.thread()
    for day in range(10):
        memory.episodes.add(thread, "user", f"Porto again, day {day}.")
    assert len(memory.recall.search("Porto", limit=3)) == 3


def test_when_every_word_is_common_the_newest_rows_holding_all_come_first(
    memory: Memory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Common words are never ranked by BM25 (its weight for a word reads the word's
    whole row list); the newest turns holding every word are what comes back."""
    monkeypatch.setattr(recall, "_COMMON", 5)
    thread = memory.episodes.thread()
    both = [memory.episodes.add(thread, "user", f"Coffee with Paul, day {n}.") for n in range(6)]
    for n in range(6):
        memory.episodes.add(thread, "user", f"Coffee alone, evening {n}.")
        memory.episodes.add(thread, "user", f"Paul called, night {n}.")
    found = memory.recall.search("coffee Paul", limit=3)
    assert [r.id for r in found] == both[::-1][:3]
