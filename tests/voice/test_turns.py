from __future__ import annotations

import pytest

from os1.voice.turns import TurnPolicy, sounds_finished, turn_is_over


@pytest.mark.parametrize(
    "text",
    [
        "I went to the store and",
        "My sister, um,",
        "I wanted to tell you because.",  # Whisper's full stop at a pause
        "I was thinking that maybe.",
        "Tomorrow I have to...",
        "Me and my.",
    ],
)
def test_words_that_trail_off_keep_the_turn_open(text: str) -> None:
    assert not sounds_finished(text)


@pytest.mark.parametrize(
    "text", ["I had a long day at work.", "I think I should visit her.", "I think so.", "Hi!"]
)
def test_finished_words_end_the_turn(text: str) -> None:
    assert sounds_finished(text)


def test_a_finished_turn_ends_sooner_than_a_trailing_one() -> None:
    policy = TurnPolicy()
    assert not turn_is_over(policy, 0.3, "I had a long day.")
    assert turn_is_over(policy, 0.4, "I had a long day.")
    assert not turn_is_over(policy, 0.4, None)  # no words yet: wait for them
    assert not turn_is_over(policy, 1.0, "I wanted to tell you because.")
    assert turn_is_over(policy, 1.3, "I wanted to tell you because.")
