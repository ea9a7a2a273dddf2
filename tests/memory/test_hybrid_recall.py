"""Hybrid recall: keyword + vectors fused, time-aware, speaker-aware, newest first for
"now", sources on every hit; vectors stored, forgotten and resumed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from os1.memory import Memory
from os1.memory.embedding import LazyEmbedder
from os1.memory.episodes import ImportedTurn
from os1.memory.indexing import embed_pending
from os1.memory.recall import excerpt, with_sources
from os1.memory.store import Store
from os1.memory.vectors import Vectors
from os1.testing import WordEmbedder

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
MEANING = {"injured": "hurt", "sprained": "hurt", "ankle": "body", "job": "work"}


@pytest.fixture
def words() -> WordEmbedder:
    return WordEmbedder(dict(MEANING))


@pytest.fixture
def memory(store: Store, words: WordEmbedder) -> Memory:
    lazy = LazyEmbedder(lambda: words)
    lazy.load()
    return Memory(store, store.user_id("a"), lazy, clock=lambda: NOW)


def _import(memory: Memory, *turns: tuple[str, str, str, str]) -> list[int]:
    thread = memory.episodes.thread("import:test")
    return memory.episodes.import_turns(
        thread, [ImportedTurn(text, at, speaker, source) for speaker, source, at, text in turns]
    )


def _word(n: int) -> str:
    """A made-up word per number (the fake embedder reads letters only)."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[digit]
        if not n:
            return "q" + letters


def _embed(memory: Memory, words: WordEmbedder) -> None:
    report = embed_pending(memory.recall.vectors, words)
    assert report.finished


def test_a_match_by_meaning_alone_is_found_through_vectors(
    memory: Memory, words: WordEmbedder
) -> None:
    _import(
        memory,
        ("Ben", "D1:1", "2023-05-01T10:00:00+00:00", "I sprained my ankle at football."),
        ("Ben", "D1:2", "2023-05-01T10:00:00+00:00", "The weather was lovely today."),
    )
    everything = ("fact", "message", "passage")
    assert memory.recall.search("injured", kinds=everything) == []  # no vectors yet: no match
    _embed(memory, words)
    hits = memory.recall.search("injured", kinds=everything)
    assert [(h.source_id, h.speaker) for h in hits][:1] == [("D1:1", "Ben")]


def test_a_neighbour_by_meaning_alone_must_be_as_near_as_asked(
    memory: Memory, words: WordEmbedder
) -> None:
    """The companion asks for nearer neighbours than search does: each memory line costs
    the model time to read, and a far one is noise."""
    _import(
        memory,
        ("Ben", "D1:1", "2023-05-01T10:00:00+00:00", "I sprained my ankle at football."),
    )
    _embed(memory, words)
    cosine = memory.recall.vectors.search(words.embed(["injured"])[0], 1)[0][2]
    assert 0.15 < cosine < 0.9
    assert len(memory.recall.search("injured")) == 1
    assert memory.recall.search("injured", near_enough=cosine + 0.01) == []
    assert len(memory.recall.search("injured", near_enough=cosine - 0.01)) == 1


def test_one_rare_word_finds_the_row_holding_it_before_any_neighbour(
    memory: Memory, words: WordEmbedder
) -> None:
    words.meaning["quixotically"] = "hurt"
    filler = " ".join(_word(n) for n in range(60))  # far from any query by meaning
    _import(
        memory,
        ("Ben", "D1:1", "2023-05-01T10:00:00+00:00", f"He smiled quixotically, {filler}."),
        ("Ben", "D1:2", "2023-06-01T10:00:00+00:00", "Sprained, hurt, injured."),
        ("Ben", "D1:3", "2023-06-02T10:00:00+00:00", "Hurt again."),
    )
    _embed(memory, words)
    hits = memory.recall.search("quixotically", kinds=("fact", "message", "passage"))
    assert [h.source_id for h in hits][:1] == ["D1:1"]
    assert {"D1:2", "D1:3"} <= {h.source_id for h in hits}  # neighbours still follow


def test_keyword_and_vector_agreement_ranks_first(memory: Memory, words: WordEmbedder) -> None:
    _import(
        memory,
        ("Ana", "D1:1", "2023-05-01T10:00:00+00:00", "My job at the bakery starts early."),
        ("Ana", "D1:2", "2023-05-01T10:00:00+00:00", "Work was long today."),
        ("Ana", "D1:3", "2023-05-01T10:00:00+00:00", "The bakery sells rye bread."),
    )
    _embed(memory, words)
    hits = memory.recall.search("job bakery", kinds=("message",))
    assert hits[0].source_id == "D1:1"
    assert hits[0].score > hits[1].score > 0


def test_a_question_naming_a_speaker_prefers_their_words(
    memory: Memory, words: WordEmbedder
) -> None:
    _import(
        memory,
        ("Ana", "D1:1", "2023-05-01T10:00:00+00:00", "I hurt my back lifting boxes."),
        ("Ben", "D1:2", "2023-05-01T10:00:00+00:00", "I sprained my ankle at football."),
    )
    _embed(memory, words)
    hits = memory.recall.search("How did Ben get injured?", kinds=("message",))
    assert hits[0].source_id == "D1:2"


def test_now_favours_the_newer_of_two_answers(memory: Memory, words: WordEmbedder) -> None:
    _import(
        memory,
        ("Ben", "D1:1", "2023-01-01T10:00:00+00:00", "I work as a teacher in Leeds."),
        ("Ben", "D7:1", "2023-09-01T10:00:00+00:00", "I work as a paramedic in Leeds."),
    )
    _embed(memory, words)
    hits = memory.recall.search("Where does Ben work now?", kinds=("message",))
    assert [h.source_id for h in hits] == ["D7:1", "D1:1"]


def test_a_named_month_favours_what_was_said_then(memory: Memory) -> None:
    _import(
        memory,
        ("Ben", "D4:1", "2023-03-10T10:00:00+00:00", "I made a risotto for the dinner party."),
        ("Ben", "D8:1", "2023-06-12T10:00:00+00:00", "I made a tagine for the dinner party."),
    )
    march = memory.recall.search("What did Ben cook for the dinner party in March 2023?")
    june = memory.recall.search("What did Ben cook for the dinner party in June 2023?")
    assert march[0].source_id == "D4:1"
    assert june[0].source_id == "D8:1"


def test_last_week_with_no_other_words_lists_that_weeks_turns(memory: Memory) -> None:
    _import(
        memory,
        ("Ana", "A", "2026-11-11T09:00:00+00:00", "Something from last week."),
        ("Ana", "B", "2026-10-01T09:00:00+00:00", "Something from long ago."),
    )
    hits = memory.recall.search("What did I tell you last week?")
    assert [h.source_id for h in hits] == ["A"]


def test_fact_hits_carry_their_source_turns_id(memory: Memory) -> None:
    (turn,) = _import(memory, ("Ana", "D3:4", "2023-05-01T10:00:00+00:00", "My cat is Pixel."))
    fact = memory.facts.add("My cat is called Pixel.", source_ids=(turn,))
    hits = memory.recall.search("cat Pixel", kinds=("fact",))
    assert [(h.kind, h.id, h.source_id) for h in hits] == [("fact", fact, f"m{turn}")]
    assert with_sources(memory.store, memory.user_id, hits)[0].source_id == "D3:4"


def test_a_turn_whose_fact_was_corrected_sinks(memory: Memory) -> None:
    thread = memory.episodes.thread()
    old_turn = memory.episodes.add(thread, "user", "My sister lives in Porto.")
    new_turn = memory.episodes.add(thread, "user", "Guess what, my sister lives in Lisbon now.")
    old = memory.facts.add("My sister lives in Porto.", source_ids=(old_turn,))
    assert old is not None
    memory.facts.supersede(old, "My sister lives in Lisbon.", "moved", source_ids=(new_turn,))
    hits = memory.recall.search("my sister lives", kinds=("message",))
    assert [h.id for h in hits] == [new_turn, old_turn]
    assert hits[1].score < hits[0].score / 1.5


def test_passages_come_back_as_an_excerpt_around_the_words() -> None:
    text = "word " * 400 + "the quixotic knight rode on " + "filler " * 400
    piece = excerpt(text, ["quixotic"], width=120)
    assert "quixotic" in piece and len(piece) <= 122
    assert piece.startswith("\u2026") and piece.endswith("\u2026")


# Vectors


def test_forgetting_removes_the_vector_too(memory: Memory, words: WordEmbedder) -> None:
    thread = memory.episodes.thread()
    turn = memory.episodes.add(thread, "user", "I sprained my ankle.")
    fact = memory.facts.add("I sprained my ankle.")
    assert fact is not None
    _embed(memory, words)
    count = "SELECT count(*) AS n FROM vectors"
    assert memory.store.query(count)[0]["n"] == 2
    memory.facts.forget(fact, "asked")
    memory.episodes.forget(turn, "asked")
    assert memory.store.query(count)[0]["n"] == 0
    assert memory.recall.search("injured") == []


def test_embedding_stops_when_asked_and_resumes(memory: Memory, words: WordEmbedder) -> None:
    thread = memory.episodes.thread()
    for n in range(50):
        memory.episodes.add(thread, "user", f"Note number {n} about the garden.")
    stop = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 20:
            stop.set()

    first = embed_pending(memory.recall.vectors, words, progress=progress, stop=stop, batch=10)
    assert not first.finished and first.embedded == 20
    assert memory.recall.vectors.count_pending() == 30
    assert seen[0] == (0, 50)
    second = embed_pending(memory.recall.vectors, words, batch=10)
    assert second.finished and second.embedded == 30
    assert memory.recall.vectors.count_pending() == 0
    assert words.embedded == 50  # nothing embedded twice


def test_a_vector_for_an_item_forgotten_meanwhile_is_not_kept(
    memory: Memory, words: WordEmbedder
) -> None:
    thread = memory.episodes.thread()
    turn = memory.episodes.add(thread, "user", "Soon to be forgotten.")
    pending = memory.recall.vectors.pending()
    memory.episodes.forget(turn, "asked")
    vectors = words.embed([p.text for p in pending])
    memory.recall.vectors.put([(p.kind, p.id) for p in pending], vectors, "test")
    assert memory.store.query("SELECT count(*) AS n FROM vectors")[0]["n"] == 0


def test_cells_keep_the_nearest_item_findable(
    store: Store, words: WordEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os1.memory.vectors.CELL_THRESHOLD", 200)
    memory = Memory(store, store.user_id("a"))
    thread = memory.episodes.thread()
    for n in range(300):
        memory.episodes.add(thread, "user", f"{_word(n % 60)} {_word(1000 + n)}")
    report = embed_pending(memory.recall.vectors, words, batch=100)
    assert report.cells >= 16
    assert store.query("SELECT count(DISTINCT cell) AS n FROM vectors")[0]["n"] > 1
    vectors = Vectors(store, memory.user_id)
    query = words.embed([f"{_word(7)} {_word(1187)}"])[0]
    found = vectors.search(query, 3)
    assert found[0][1] == 188  # message ids start at 1
    assert not vectors.needs_cells()


def test_the_in_memory_vectors_follow_additions_and_removals(
    memory: Memory, words: WordEmbedder
) -> None:
    thread = memory.episodes.thread()
    first = memory.episodes.add(thread, "user", "The ferry leaves at noon.")
    _embed(memory, words)
    query = words.embed(["ferry noon"])[0]
    assert [i for _, i, _ in memory.recall.vectors.search(query, 5)] == [first]
    second = memory.episodes.add(thread, "user", "The ferry was late at noon again.")
    _embed(memory, words)  # appended to what is in memory
    assert {i for _, i, _ in memory.recall.vectors.search(query, 5)} == {first, second}
    memory.episodes.forget(first, "asked")  # a removal reloads
    assert [i for _, i, _ in memory.recall.vectors.search(query, 5)] == [second]
