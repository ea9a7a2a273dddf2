from __future__ import annotations

from os1.voice.words import Chunker


def pieces(deltas: list[str]) -> list[str]:
    chunker = Chunker()
    cut = [p for delta in deltas for p in chunker.feed(delta)] + chunker.finish()
    return [chunker.text[start:end] for start, end in cut]


def test_the_first_piece_ends_at_its_question_mark_without_waiting() -> None:
    chunker = Chunker()
    assert chunker.feed("How is she?") == [(0, 11)]
    assert chunker.feed(" Tell me") == []  # later pieces still wait for the space
    assert chunker.feed(" more! ") == [(11, 26)]


def test_the_first_piece_is_a_clause_or_a_sentence_then_sentences() -> None:
    assert pieces(["That sounds really hard, ", "Theo. ", "Rest now."]) == [
        "That sounds really hard, ",
        "Theo. ",
        "Rest now.",
    ]
    assert pieces(["Wow!", "! Really. ", "Yes"]) == ["Wow!", "Really. ", "Yes"]  # "!" is silent
    assert pieces(["It costs 3.", "50 euros."]) == ["It costs 3.50 euros."]
