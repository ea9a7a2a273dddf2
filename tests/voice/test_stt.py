"""What makes a short-window transcript look lost, so the 30 s window decides instead."""

from __future__ import annotations

import pytest

from os1.voice.stt import _REPETITIVE, _STUTTER, _compression_ratio, _looks_lost


@pytest.mark.parametrize(
    "text",
    [
        "Let's talk about music music music music music",
        "tell me tell me tell me more",
        "No, no, no, I didn't say that.",  # real, but the careful way costs only time
    ],
)
def test_a_phrase_said_three_times_running_looks_lost(text: str) -> None:
    assert _STUTTER.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hi, I had a long day at work.",
        "The the cat sat down.",
        "Fail again. Fail better.",
        "My sister lives in Porto and I miss her.",
    ],
)
def test_ordinary_speech_does_not(text: str) -> None:
    assert not _STUTTER.search(text)
    assert _compression_ratio(text) <= _REPETITIVE


def test_a_long_loop_compresses_too_well() -> None:
    assert _compression_ratio("I went to the store and then " * 12) > _REPETITIVE


@pytest.mark.parametrize(
    ("text", "mean_logprob", "no_speech_prob", "lost"),
    [
        ("Hi, I had a long day at work.", -0.3, 0.01, False),
        ("Hi, I had a long day at work.", -1.4, 0.01, True),  # unsure
        ("Thank you.", -0.5, 0.9, True),  # likely no speech: silence heard as words
        ("music music music music", -0.2, 0.01, True),
    ],
)
def test_what_sends_a_transcript_the_careful_way(
    text: str, mean_logprob: float, no_speech_prob: float, lost: bool
) -> None:
    assert _looks_lost(text, mean_logprob, no_speech_prob) is lost
