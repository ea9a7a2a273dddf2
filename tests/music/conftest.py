"""Helpers for the music tests: composing from a description, and reading pieces back."""

from __future__ import annotations

from os1.music.compose import compose
from os1.music.mood import Mood, read_words
from os1.music.piece import Note, Piece
from os1.music.plan import Plan, choose
from os1.music.theory import parallel_perfect

from ..cli.conftest import cli_env, os1, shared_models

__all__ = ["cli_env", "os1", "shared_models"]  # the real `os1` command, as in tests/cli

HAPPY = "a wild party with friends, dancing, so excited and happy"
SAD = "the funeral, rain, grief, so lonely and tired"
BEACH = "the beach, Sunday afternoon, a little sad and happy"
MOODS = (HAPPY, SAD, BEACH, "calm night, sleepy", "nostalgic, a bit lonely", "angry and anxious")


def piece_for(description: str, seed: int, seconds: float | None = None) -> tuple[Plan, Piece]:
    mood = read_words(description)
    plan = choose(mood, seed, seconds)
    return plan, compose(plan, mood.arousal, "test")


def piece_for_mood(mood: Mood, seed: int) -> tuple[Plan, Piece]:
    plan = choose(mood, seed)
    return plan, compose(plan, mood.arousal, "test")


def sounding(notes: list[Note], beat: float) -> list[Note]:
    return [n for n in notes if n.start <= beat + 1e-9 and n.end > beat + 1e-9]


def outer_parallels(
    melody: list[Note], bass: list[Note], between: tuple[float, float]
) -> list[float]:
    """Beats where melody (top) and bass (bottom) move together into the same perfect
    fifth or octave they left, judged only from the notes, within a span of beats."""
    start, end = between
    moments = sorted({n.start for n in melody + bass if start <= n.start < end})
    found: list[float] = []
    previous: tuple[int, int] | None = None
    for beat in moments:
        top, low = sounding(melody, beat), sounding(bass, beat)
        if not top or not low:
            previous = None
            continue
        current = (max(n.pitch for n in top), min(n.pitch for n in low))
        if previous is not None and parallel_perfect(previous, current):
            found.append(beat)
        previous = current
    return found
