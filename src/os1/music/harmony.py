"""Chord progressions: a phrase moves from tonic through predominant to a cadence.

Each phrase has a role in its period: an opening phrase asks (half cadence, on V), a
closing one answers (authentic cadence, V-I), a contrasting one wanders and turns back
(half cadence), the final one closes strongly (cadential six-four, V, I). A coda ends
the piece with a plagal IV-I. Bars are separated by '|'; 'x-y' splits a bar in two.
"""

from __future__ import annotations

import random

from os1.music.piece import Cadence
from os1.music.theory import Chord, Key, chord

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "major": {
        "open": ("I | IV | ii | V", "I | vi | IV | V", "I | iii | IV | ii-V", "I | vi | ii | V"),
        "close": ("I | vi | ii-V | I", "I | IV | V | I", "vi | IV | ii-V | I", "I | IV | ii-V | I"),
        "contrast": ("vi | iii | IV | V", "IV | I | ii | V", "vi | IV | I | V", "ii | vi | IV | V"),
        "final": ("I | IV | I64-V | I", "vi | ii | I64-V | I", "IV | ii | I64-V | I"),
        "coda": ("IV | I",),
    },
    "minor": {
        "open": ("i | iv | i | V", "i | VI | iv | V", "i | VII | VI | V", "i | iv | VI | V"),
        "close": ("i | iv | V | i", "i | VI | iv-V | i", "VI | iv | V | i", "i | VII | iv-V | i"),
        "contrast": ("III | VII | VI | V", "VI | III | iv | V", "iv | i | VI | V"),
        "final": ("i | iv | i64-V | i", "VI | iv | i64-V | i"),
        "coda": ("iv | i",),
    },
    "dorian": {
        "open": ("i | IV | i | V", "i | IV | VII | V", "i | ii | IV | V"),
        "close": ("i | ii | IV-V | i", "i | VII | IV-V | i", "i | IV | ii-V | i"),
        "contrast": ("III | VII | IV | V", "VII | IV | i | V", "IV | III | ii | V"),
        "final": ("i | IV | i64-V | i", "VII | IV | i64-V | i"),
        "coda": ("IV | i",),
    },
}
CADENCES: dict[str, Cadence] = {
    "open": "half",
    "contrast": "half",
    "turn": "half",
    "close": "authentic",
    "final": "authentic",
    "coda": "plagal",
}


def progression(key: Key, role: str, rng: random.Random, mixture: bool = False) -> list[list[str]]:
    """The chord symbols of one phrase, bar by bar: [['I'], ['IV'], ['ii', 'V'], ['I']]."""
    table = TEMPLATES[key.mode]
    template = rng.choice(table["contrast" if role == "turn" else role])
    bars = [bar.strip().split("-") for bar in template.split("|")]
    if mixture and key.mode == "major":
        _borrow(bars, role, rng)
    return bars


def _borrow(bars: list[list[str]], role: str, rng: random.Random) -> None:
    """Colour the phrase's last IV with the minor key's iv (its flat sixth aches a little)."""
    places = [(b, c) for b, bar in enumerate(bars) for c, s in enumerate(bar) if s == "IV"]
    if not places or (role in ("open", "contrast", "turn") and rng.random() < 0.5):
        return
    b, c = places[-1]
    bars[b][c] = "iv"


def chords_of(key: Key, bars: list[list[str]]) -> list[list[Chord]]:
    return [[chord(key, symbol) for symbol in bar] for bar in bars]
