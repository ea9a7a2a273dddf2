"""The small word a spoken reply opens with, chosen from the user's words alone."""

from __future__ import annotations

import pytest

from os1.persona.acknowledgement import acknowledgement


@pytest.mark.parametrize(
    ("message", "word"),
    [
        ("My boss moved the deadline again.", "Oh."),
        ("I haven't seen her in two years.", "Oh."),
        ("She loves old books", "Oh."),
        ("Do you think I should visit her?", "Well."),
        ("what should I bring her", "Well."),
        ("Is it going to rain", "Well."),
        ("Tell me something funny.", "Okay."),
        ("Let's talk about music.", "Okay."),
        ("Can you read me my mail?", "Okay."),
        ("Hi, I had a long day at work.", ""),  # a greeting is answered in kind
        ("Good morning, I slept well.", ""),
        ("Okay, I should sleep soon.", ""),  # and a goodbye
        ("Thanks, that helped.", ""),
        ("", ""),
        ("   ", ""),
    ],
)
def test_the_word_fits_what_was_said(message: str, word: str) -> None:
    assert acknowledgement(message) == word
