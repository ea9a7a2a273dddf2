"""How a corrected memory reads in the model's prompt."""

from __future__ import annotations

from os1.persona.prompt import memory_note, user_turn


def test_a_correction_names_what_is_no_longer_true() -> None:
    note = memory_note("Theo", [], changed=[("Ines lives in Porto", "Ines lives in Lisbon")])
    assert user_turn(note, "Where does my sister live now?").split("\n") == [
        "[You remember Theo correcting this: \u201cInes lives in Lisbon\u201d"
        " (no longer \u201cInes lives in Porto\u201d).]",
        "Where does my sister live now?",
    ]


def test_without_a_note_the_words_stand_alone() -> None:
    assert user_turn("", "Hi.") == "Hi."
