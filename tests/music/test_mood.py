"""Reading a moment's mood, and the messages for descriptions and lengths OS1 cannot use."""

from __future__ import annotations

from typing import Any

import pytest

from os1.errors import InputError
from os1.mind.base import Message
from os1.music.mood import check_description, read_mood, read_words
from os1.music.plan import choose, parse_length
from os1.testing import ScriptedMind

from ..conftest import run
from .conftest import BEACH


def test_words_carry_the_mood() -> None:
    happy, sad = read_words("so happy and excited"), read_words("sad and lonely")
    assert happy.valence > 0.5 and happy.arousal > 0.3
    assert sad.valence < -0.5 and sad.arousal < 0
    calm = read_words("calm, peaceful, sleepy")
    assert calm.arousal < -0.5


def test_a_little_sad_and_happy_is_mixed_and_leans_happy() -> None:
    mood = read_words(BEACH)
    assert mood.mixed and 0 < mood.valence < 0.5
    assert "a little sad" in mood.words and "beach" in mood.words


def test_negation_and_intensity() -> None:
    assert read_words("not happy").valence < 0
    assert read_words("very sad").valence == pytest.approx(read_words("sad").valence)
    strong = read_words("rain, very sad")
    weak = read_words("rain, a little sad")
    assert strong.valence < weak.valence


def test_recent_conversation_counts_half() -> None:
    alone = read_words("the kitchen table")
    assert alone.source == "neutral"
    with_talk = read_words("the kitchen table", ["I miss her so much, I feel lonely"])
    assert with_talk.valence < 0 and with_talk.conversation_turns == 1
    description_wins = read_words("joyful", ["a bit sad"])
    assert description_wins.valence > 0.3


def test_the_model_reads_a_mood_the_words_do_not_name() -> None:
    asked: list[list[Message]] = []

    def answer(messages: list[Message], schema: dict[str, Any]) -> Any:
        asked.append(messages)
        return {"valence": -0.6, "arousal": -0.4, "feelings": ["longing"]}

    mind = ScriptedMind(structured=answer)
    mood = run(read_mood("my grandmother's kitchen", ["she died in May"], mind))
    assert mood.source == "model" and mood.valence == -0.6 and mood.feelings == ("longing",)
    assert "she died in May" in asked[0][-1].content
    named = run(read_mood(BEACH, [], mind))
    assert named.source == "words" and len(asked) == 1  # words first; the model only if needed


def test_when_the_model_fails_the_mood_is_neutral() -> None:
    mind = ScriptedMind(structured=lambda _m, _s: {"nonsense": True})
    mood = run(read_mood("my grandmother's kitchen", [], mind))
    assert mood.source == "neutral"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Tell me what the piece is about."),
        ("   \n ", "Tell me what the piece is about."),
        ("xkcdqz wrtplm", "I can't find a moment"),
        ("aaaaaaaa", "I can't find a moment"),
        ("12345 !!! ???", "I can't find a moment"),
        ("happy " * 400, "a piece needs a moment, not a chapter"),
    ],
)
def test_empty_or_absurd_descriptions_get_clear_messages(text: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        check_description(text)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["my grandmother's kitchen", "the 5:40 train to Leeds", "ok"])
def test_plain_descriptions_are_accepted(text: str) -> None:
    assert check_description(text) == text


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("90s", 90), ("2m", 120), ("1:30", 90)])
def test_lengths(text: str, seconds: float) -> None:
    assert parse_length(text) == seconds


@pytest.mark.parametrize("text", ["0", "5", "-3", "1000000", "11m", "forever", "nan", "inf"])
def test_absurd_lengths_get_clear_messages(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_length(text)
    assert "seconds" in str(caught.value) or "length" in str(caught.value)


@pytest.mark.parametrize("seconds", [30, 60, 120, 300])
def test_the_piece_lasts_about_as_long_as_asked(seconds: float) -> None:
    from .conftest import piece_for

    _, piece = piece_for(BEACH, 2, seconds)
    assert 0.7 * seconds <= piece.seconds <= 1.45 * seconds


def test_by_default_a_piece_lasts_one_to_three_minutes() -> None:
    from .conftest import MOODS, piece_for

    for description in MOODS:
        for seed in (1, 2, 3):
            _, piece = piece_for(description, seed)
            assert 60 <= piece.seconds <= 180, (description, seed, piece.seconds)
    assert (
        choose(read_words(BEACH), 7)
        .reasons["tempo"]
        .startswith(f"{choose(read_words(BEACH), 7).tempo}")
    )
