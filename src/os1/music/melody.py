"""The tune: one short motif, stated, sequenced, fragmented and brought to a cadence.

A motif is a rhythm and a contour in scale steps. Each bar of a phrase does one thing
with it (state it, answer it upside down, repeat it a step higher or lower, break it
into fragments, approach the cadence), anchored on a chord tone of that bar's harmony.
Strong beats land on chord tones; weak beats may pass between them; every note stays
in the key unless the chord itself borrows a note, which the melody then follows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from os1.music.theory import Chord, Key

BarChords = list[tuple[float, Chord]]  # (offset in the bar, chord), in order

_RHYTHMS: dict[tuple[int, str], tuple[tuple[float, ...], ...]] = {
    (4, "calm"): ((2, 1, 1), (1, 1, 2), (3, 1), (1.5, 0.5, 2), (2, 2)),
    (4, "mid"): ((1, 1, 1, 1), (1.5, 0.5, 1, 1), (1, 0.5, 0.5, 2), (2, 1, 1), (1, 1, 2)),
    (4, "lively"): ((0.5, 0.5, 1, 1, 1), (1, 0.5, 0.5, 1, 1), (0.5, 0.5, 0.5, 0.5, 2),
                    (1.5, 0.5, 1, 1), (0.75, 0.25, 1, 0.5, 0.5, 1)),
    (3, "calm"): ((2, 1), (1, 1, 1), (1.5, 0.5, 1)),
    (3, "mid"): ((1, 1, 1), (1.5, 0.5, 1), (1, 0.5, 0.5, 1), (2, 1)),
    (3, "lively"): ((0.5, 0.5, 1, 1), (1, 0.5, 0.5, 1), (0.5, 0.5, 0.5, 0.5, 1), (1.5, 0.5, 1)),
}  # fmt: skip
_INTERVALS = (1, -1, 2, -2, 3, -3, 4, -4)
_WEIGHTS = (3, 3, 2, 2, 1, 1, 0.4, 0.4)
# What each bar of a phrase does with the motif, by the phrase's role and length.
_OPS: dict[tuple[str, int], tuple[str, ...]] = {
    ("open", 4): ("state", "sequence", "fragment", "cadence"),
    ("close", 4): ("state", "sequence", "approach", "cadence"),
    ("final", 4): ("state", "climb", "approach", "cadence"),
    ("open", 8): ("state", "answer", "sequence", "answer", "fragment", "vary", "cadence", "hold"),
    ("close", 8): ("state", "answer", "sequence", "answer", "fragment", "approach", "cadence",
                   "hold"),
    ("final", 8): ("state", "answer", "climb", "answer", "fragment", "approach", "cadence", "hold"),
    ("coda", 3): ("vary", "cadence", "hold"),
    ("coda", 5): ("fragment", "vary", "cadence", "hold", "hold"),
}  # fmt: skip


@dataclass(frozen=True)
class Motif:
    rhythm: tuple[float, ...]
    contour: tuple[int, ...]  # scale steps between consecutive notes

    def inverted(self) -> Motif:
        return Motif(self.rhythm, tuple(-i for i in self.contour))


@dataclass(frozen=True)
class Sung:
    """A melody note before dynamics: offset from the phrase start, in beats."""

    start: float
    duration: float
    pitch: int
    chromatic: bool

    @property
    def end(self) -> float:
        return self.start + self.duration


def energy(arousal: float) -> str:
    return "calm" if arousal < -0.3 else "lively" if arousal > 0.35 else "mid"


def make_motif(rng: random.Random, meter: int, arousal: float) -> Motif:
    rhythm = rng.choice(_RHYTHMS[(meter, energy(arousal))])
    return Motif(rhythm, _contour(rng, len(rhythm) - 1))


def contrasting(motif: Motif, rng: random.Random, meter: int, arousal: float) -> Motif:
    """The B section's motif: the A motif upside down, in another of the mood's rhythms."""
    pool = [r for r in _RHYTHMS[(meter, energy(arousal))] if r != motif.rhythm]
    rhythm = rng.choice(pool)
    contour = [-i for i in motif.contour][: len(rhythm) - 1]
    contour += _contour(rng, len(rhythm) - 1 - len(contour))
    return Motif(rhythm, tuple(contour))


def _contour(rng: random.Random, length: int) -> tuple[int, ...]:
    steps: list[int] = []
    while len(steps) < length:
        if steps and abs(steps[-1]) >= 2:  # a leap is followed by a step back
            steps.append(-1 if steps[-1] > 0 else 1)
            continue
        steps.append(rng.choices(_INTERVALS, _WEIGHTS)[0])
        if abs(sum(steps)) > 4:
            steps[-1] = -steps[-1]
    return tuple(steps)


class PhraseMelody:
    """Writes the melody of one phrase, bar by bar, continuing from the previous phrase."""

    def __init__(self, key: Key, meter: int, low: int, high: int, rng: random.Random) -> None:
        self.key, self.meter, self.low, self.high, self.rng = key, meter, low, high, rng
        self.last_step: int | None = None
        self.centre = key.step_of((low + high) // 2)

    def phrase(self, motif: Motif, role: str, bars: list[BarChords], lift: int = 0) -> list[Sung]:
        ops = _OPS[("open" if role in ("contrast", "turn") else role, len(bars))]
        cadence = "authentic" if role in ("close", "final", "coda") else "half"
        anchor = self.centre + lift
        statement = anchor
        notes: list[Sung] = []
        for index, (op, chords) in enumerate(zip(ops, bars, strict=True)):
            offset = index * self.meter
            if op == "hold":  # the cadence note rings on through the phrase's last bar
                last = notes[-1]
                notes[-1] = Sung(last.start, last.duration + self.meter, last.pitch, last.chromatic)
                continue
            steps, rhythm = self._bar(op, motif, chords, anchor, statement, cadence)
            if op in ("state", "sequence", "climb"):
                statement = steps[0]
            notes.extend(self._sounded(offset, rhythm, steps, chords))
            self.last_step = steps[-1]
        return notes

    def _bar(
        self, op: str, motif: Motif, chords: BarChords, anchor: int, statement: int, cadence: str
    ) -> tuple[list[int], list[float]]:
        rhythm, contour = list(motif.rhythm), list(motif.contour)
        previous = self.last_step if self.last_step is not None else anchor
        if op == "cadence":
            degrees = (0,) if cadence == "authentic" else (1, 6, 4)
            return [self._nearest_degree(previous, degrees)], [float(self.meter)]
        if op == "state":
            target = anchor
        elif op in ("sequence", "climb"):
            move = 2 if op == "climb" else self.rng.choice((1, 2))
            target = statement + (move if statement <= self.centre or op == "climb" else -move)
        elif op == "answer":
            contour = [-i for i in contour]
            target = previous + (1 if previous < self.centre else -1)
        elif op == "fragment":
            rhythm, contour = _fragment(rhythm, contour, self.meter)
            target = previous - 1
        else:  # vary, approach
            rhythm, contour = _varied(rhythm, contour)
            target = previous + self.rng.choice((-1, 1))
        rhythm = _onsets_at_changes(rhythm, [at for at, _ in chords])
        contour = (contour + [-c for c in contour] * 3)[: len(rhythm) - 1]
        steps = self._walk(target, contour, rhythm, chords)
        if op == "approach" and cadence == "authentic":
            steps[-1] = self._nearest_degree(steps[-1], (1,))  # ^2, to fall to ^1
        return self._in_range(steps), rhythm

    def _walk(
        self, target: int, contour: list[int], rhythm: list[float], chords: BarChords
    ) -> list[int]:
        strong = {0.0, *(at for at, _ in chords)} | ({2.0} if self.meter == 4 else set())
        start = self._chord_tone(target, _chord_at(chords, 0.0))
        steps, at = [start], rhythm[0]
        for interval, length in zip(contour, rhythm[1:], strict=False):
            step = steps[-1] + interval
            if at in strong:
                step = self._chord_tone(step, _chord_at(chords, at))
            steps.append(step)
            at += length
        return steps

    def _chord_tone(self, step: int, chord: Chord) -> int:
        for distance in (0, 1, -1, 2, -2, 3, -3):
            if _altered(self.key.step_pitch(step + distance), chord)[0] % 12 in chord.pcs:
                return step + distance
        return step

    def _nearest_degree(self, step: int, degrees: tuple[int, ...]) -> int:
        candidates = [s for s in range(step - 13, step + 14) if s % 7 in degrees]
        in_range = [s for s in candidates if self.low <= self.key.step_pitch(s) <= self.high]
        return min(in_range or candidates, key=lambda s: (abs(s - step), -s))

    def _in_range(self, steps: list[int]) -> list[int]:
        def excess(shift: int) -> int:
            pitches = [self.key.step_pitch(s + shift) for s in steps]
            return sum(max(0, p - self.high) + max(0, self.low - p) for p in pitches)

        best = min((0, -7, 7), key=lambda shift: (excess(shift), abs(shift)))
        return [self._fold(s + best) for s in steps]

    def _fold(self, step: int) -> int:
        """A note still outside the register moves by an octave into it."""
        while self.key.step_pitch(step) > self.high:
            step -= 7
        while self.key.step_pitch(step) < self.low:
            step += 7
        return step

    def _sounded(
        self, offset: float, rhythm: list[float], steps: list[int], chords: BarChords
    ) -> list[Sung]:
        notes, at = [], 0.0
        for length, step in zip(rhythm, steps, strict=True):
            pitch, chromatic = _altered(self.key.step_pitch(step), _chord_at(chords, at))
            notes.append(Sung(offset + at, length, pitch, chromatic))
            at += length
        return notes


def _chord_at(chords: BarChords, at: float) -> Chord:
    return [c for start, c in chords if start <= at + 1e-9][-1]


def _altered(pitch: int, chord: Chord) -> tuple[int, bool]:
    """A diatonic note a semitone from one of the chord's borrowed notes takes that note
    (G to G# under E major in A minor), so the tune never clashes with its harmony."""
    if pitch % 12 in chord.pcs:
        return pitch, False
    for borrowed in chord.chromatic:
        for move in (1, -1):
            if (pitch + move) % 12 == borrowed:
                return pitch + move, True
    return pitch, False


def _fragment(rhythm: list[float], contour: list[int], meter: int) -> tuple[list[float], list[int]]:
    """The motif's head, twice, the second time a step lower (when the head fills half a bar)."""
    total = 0.0
    for count, length in enumerate(rhythm, start=1):
        total += length
        if total == meter / 2 and count >= 2:
            head = contour[: count - 1]
            return rhythm[:count] * 2, [*head, -1 - sum(head), *head]
    return _varied(rhythm, contour)


def _varied(rhythm: list[float], contour: list[int]) -> tuple[list[float], list[int]]:
    """The motif with its longest note split in two, the new note a step toward the next."""
    longest = max(range(len(rhythm)), key=lambda i: (rhythm[i], -i))
    half = rhythm[longest] / 2
    new_rhythm = [*rhythm[:longest], half, half, *rhythm[longest + 1 :]]
    toward = contour[longest] if longest < len(contour) else -1
    step = 1 if toward > 0 else -1
    rest = contour[longest:]
    if rest:
        rest = [rest[0] - step, *rest[1:]]
    return new_rhythm, [*contour[:longest], step, *rest]


def _onsets_at_changes(rhythm: list[float], changes: list[float]) -> list[float]:
    """Split a note held across a change of chord, so the tune moves with the harmony."""
    out: list[float] = []
    at = 0.0
    for length in rhythm:
        cut = next((c for c in changes if at < c < at + length), None)
        if cut is None:
            out.append(length)
        else:
            out.extend([cut - at, at + length - cut])
        at += length
    return out
