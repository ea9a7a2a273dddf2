"""Keys, modes, scale steps and chords: the vocabulary the composer works in.

Pitches are MIDI note numbers; `step`s count scale degrees from the tonic (7 a
octave), so a melody moves through the key and only leaves it on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mode = Literal["major", "dorian", "minor"]

SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "minor": (0, 2, 3, 5, 7, 8, 10),
}
NAMES_SHARP = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
NAMES_FLAT = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_TO_RELATIVE_MAJOR = {"major": 0, "dorian": 10, "minor": 3}
_FLAT_MAJORS = frozenset({5, 10, 3, 8, 1})
_LETTER = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_NUMERALS = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}
_TOKEN = re.compile(r"^(b?)(i{1,3}|iv|vi{0,2}|v)(°?)(64|6)?$", re.IGNORECASE)


def pitch_class(name: str) -> int:
    """'C#' -> 1, 'Bb' -> 10."""
    pc = _LETTER[name[0].upper()]
    for accidental in name[1:]:
        pc += 1 if accidental == "#" else -1 if accidental == "b" else 0
    return pc % 12


@dataclass(frozen=True)
class Key:
    tonic: int  # pitch class 0-11
    mode: Mode

    @property
    def scale(self) -> tuple[int, ...]:
        return SCALES[self.mode]

    @property
    def pcs(self) -> frozenset[int]:
        return frozenset((self.tonic + s) % 12 for s in self.scale)

    @property
    def flats(self) -> bool:
        """Whether the key signature has flats (F, Bb, Eb... major; D, G, C... minor)."""
        return (self.tonic + _TO_RELATIVE_MAJOR[self.mode]) % 12 in _FLAT_MAJORS

    def spell(self, pitch: int) -> str:
        """A pitch's name as this key spells it: 70 -> 'Bb4' in F major, 'A#4' in B major."""
        names = NAMES_FLAT if self.flats else NAMES_SHARP
        return f"{names[pitch % 12]}{pitch // 12 - 1}"

    @property
    def name(self) -> str:
        names = NAMES_FLAT if self.flats else NAMES_SHARP
        return f"{names[self.tonic]} {self.mode}"

    def step_pitch(self, step: int) -> int:
        """The MIDI pitch of scale step `step`; step 0 is the tonic between C4 and B4."""
        octave, degree = divmod(step, 7)
        return 60 + self.tonic + 12 * octave + self.scale[degree]

    def step_of(self, pitch: int) -> int:
        """The scale step at `pitch`, or the one just below it for a note outside the key."""
        octave, within = divmod(pitch - 60 - self.tonic, 12)
        degree = max(i for i, s in enumerate(self.scale) if s <= within)
        return 7 * octave + degree

    def degree_pc(self, degree: int) -> int:
        return (self.tonic + self.scale[degree % 7]) % 12


@dataclass(frozen=True)
class Chord:
    """A triad (or seventh) on a scale degree; `chromatic` lists its notes outside the key."""

    symbol: str
    root: int  # pitch class
    pcs: tuple[int, ...]  # root, third, fifth[, seventh]
    chromatic: frozenset[int]
    bass_position: int | None = None  # forced inversion: 2 = fifth in the bass (cadential 6/4)

    @property
    def third(self) -> int:
        return self.pcs[1]

    def tone_index(self, pc: int) -> int:
        return self.pcs.index(pc % 12)


def chord(key: Key, token: str) -> Chord:
    """A chord from a Roman numeral in `key`: case gives the quality, 'b' lowers the root
    (borrowed from the parallel minor), '°' diminished, '64' the cadential six-four.
    Notes the chord takes from outside the key are marked chromatic."""
    found = _TOKEN.match(token)
    if not found:
        raise ValueError(f"not a chord symbol: {token}")
    flat, numeral, dim, figure = found.groups()
    degree = _NUMERALS[numeral.lower()]
    root = (key.tonic + key.scale[degree] - (1 if flat else 0)) % 12
    if flat and key.mode != "major":  # bVI, bVII are already diatonic in minor modes
        root = (key.tonic + SCALES["minor"][degree]) % 12
    major = numeral.isupper()
    third = (root + (4 if major else 3)) % 12
    fifth = (root + (6 if dim else 7)) % 12
    pcs = [root, third, fifth]
    chromatic = frozenset(pc for pc in pcs if pc not in key.pcs)
    return Chord(token, root, tuple(pcs), chromatic, 2 if figure == "64" else None)


def interval_class(upper: int, lower: int) -> int:
    return (upper - lower) % 12


def is_perfect(upper: int, lower: int) -> bool:
    """Unison, octave or fifth (compound intervals included)."""
    return interval_class(upper, lower) in (0, 7)


def parallel_perfect(prev: tuple[int, int], cur: tuple[int, int]) -> bool:
    """Whether two voices (upper, lower) move into the same perfect interval they left:
    parallel (or contrary) fifths or octaves. A voice that holds its note is oblique."""
    (u0, l0), (u1, l1) = prev, cur
    if u0 == u1 or l0 == l1:
        return False
    return is_perfect(u1, l1) and interval_class(u0, l0) == interval_class(u1, l1)
