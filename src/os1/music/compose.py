"""Composing a piece from a plan: form, harmony, melody, voice leading, texture, dynamics.

The form is a chain of periods (two phrases: a question and its answer): A, sometimes
A again, a contrasting B, A returning, and a coda that slows and closes on the tonic.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from os1.music.harmony import CADENCES, progression
from os1.music.melody import BarChords, Motif, PhraseMelody, Sung, contrasting, make_motif
from os1.music.piece import ChordSpan, Note, Phrase, Piece
from os1.music.plan import Plan
from os1.music.texture import accompany
from os1.music.theory import Chord, chord
from os1.music.voicing import Slot, lead

_MAX_REPAIRS = 24


@dataclass
class _Span:
    start: float
    length: float
    chord: Chord
    root_position: bool
    phrase: int
    texture: str


def sections(periods: int) -> list[str]:
    """A A B A, A B A B A...: A first and last, the contrast in the middle."""
    if periods == 1:
        return ["A"]
    first = "A" if periods % 2 == 0 else "B"
    other = "B" if first == "A" else "A"
    middle = [first if i % 2 == 0 else other for i in range(periods - 2)]
    return ["A", *middle, "A"]


def compose(plan: Plan, arousal: float, title: str) -> Piece:
    """The whole piece, note by note; the same plan always gives the same piece."""
    rng = random.Random(plan.seed * 7919 + 17)  # noqa: S311 (seeded music, not secrets)
    motifs = {"A": make_motif(rng, plan.meter, arousal)}
    motifs["B"] = contrasting(motifs["A"], rng, plan.meter, arousal)
    writer = PhraseMelody(plan.key, plan.meter, plan.low, plan.high, rng)
    melody: list[Sung] = []
    spans: list[_Span] = []
    phrases: list[Phrase] = []
    chosen: dict[tuple[str, str], list[list[str]]] = {}
    bar_beats = plan.meter * plan.phrase_bars
    labels = sections(plan.periods)
    for period, label in enumerate(labels):
        roles = ("contrast", "turn") if label == "B" else ("open", "close")
        if period == len(labels) - 1:
            roles = ("open", "final")
        for role in roles:
            if (label, role) not in chosen:
                chosen[(label, role)] = progression(plan.key, role, rng, plan.mixture)
            start = len(phrases) * bar_beats
            texture = plan.textures[period]
            phrases.append(
                Phrase(len(phrases), start, plan.phrase_bars, role, label, CADENCES[role], texture)
            )
            lift = 2 if label == "B" else (1 if period % 2 else 0)
            bars = _phrase_bars(plan, chosen[(label, role)], start, phrases[-1], spans)
            written = writer.phrase(motifs[label], role, bars, lift)
            melody.extend(replace(n, start=n.start + start) for n in written)
    coda_start = len(phrases) * bar_beats
    melody.extend(_coda(plan, writer, motifs["A"], coda_start, spans))
    voiced = _voice(plan, melody, spans)
    notes = _perform(plan, melody, voiced, phrases, coda_start)
    tempo_changes = [
        (coda_start, plan.tempo * 0.94),
        (spans[-1].start, plan.tempo * 0.8),
        (spans[-1].start + plan.meter, plan.tempo * 0.7),
    ]
    return Piece(title, plan.meter, plan.tempo, notes, voiced, phrases, tempo_changes)


def _phrase_bars(
    plan: Plan,
    symbols: list[list[str]],
    start: float,
    phrase: Phrase,
    spans: list[_Span],
) -> list[BarChords]:
    """Add the phrase's chords to `spans`; return each melody bar's chords."""
    bars: list[BarChords] = []
    meter, per = float(plan.meter), plan.bars_per_chord
    last = len(symbols) - 1
    for slot, bar_symbols in enumerate(symbols):
        chords = [chord(plan.key, s) for s in bar_symbols]
        slot_start = start + slot * per * meter
        if len(chords) == 1:
            pieces = [(0.0, per * meter)]
            bars += [[(0.0, chords[0])]] * per
        elif per == 2:
            pieces = [(0.0, meter), (meter, meter)]
            bars += [[(0.0, chords[0])], [(0.0, chords[1])]]
        else:
            pieces = [(0.0, 2.0), (2.0, meter - 2.0)]
            bars.append([(0.0, chords[0]), (2.0, chords[1])])
        for index, ((offset, length), item) in enumerate(zip(pieces, chords, strict=True)):
            # Cadences stand on the root: the last chord, and the V before an authentic one.
            closing = slot == last or (
                phrase.cadence == "authentic" and slot == last - 1 and index == len(chords) - 1
            )
            spans.append(
                _Span(slot_start + offset, length, item, closing, phrase.index, phrase.texture)
            )
    return bars


def _coda(
    plan: Plan, writer: PhraseMelody, motif: Motif, start: float, spans: list[_Span]
) -> list[Sung]:
    """IV (or the minor key's iv) to I, the last chord held long: the piece comes home."""
    per, meter = plan.bars_per_chord, plan.meter
    subdominant = "iv" if plan.mixture or plan.key.mode == "minor" else "IV"
    tonic = "I" if plan.key.mode == "major" else "i"
    sub, home = chord(plan.key, subdominant), chord(plan.key, tonic)
    spans.append(_Span(start, per * meter, sub, False, -1, plan.textures[-1]))
    spans.append(_Span(start + per * meter, (per + 1) * meter, home, True, -1, "chorale"))
    bars = [[(0.0, sub)]] * per + [[(0.0, home)]] * (per + 1)
    written = writer.phrase(motif, "coda", bars)
    return [replace(n, start=n.start + start) for n in written]


def _voice(plan: Plan, melody: list[Sung], spans: list[_Span]) -> list[ChordSpan]:
    """Voice every chord under the melody; where melody and bass cannot avoid parallel
    fifths or octaves, nudge the melody's note to another chord tone and try again."""
    tried: dict[float, set[int]] = {}
    for _ in range(_MAX_REPAIRS):
        slots = [_slot(melody, span) for span in spans]
        voicings, bad = lead(slots)
        if not bad:
            return [
                ChordSpan(s.start, s.length, s.chord, v, s.texture, s.phrase)
                for s, v in zip(spans, voicings, strict=True)
            ]
        _repair(plan, melody, spans, bad[0], tried)
    raise RuntimeError("could not voice the harmony without parallels")  # pragma: no cover


def _slot(melody: list[Sung], span: _Span) -> Slot:
    at = _sounding(melody, span.start)
    before = _sounding(melody, span.start - 1e-6) if span.start > 0 else at
    inside = [n.pitch for n in melody if n.start < span.start + span.length and n.end > span.start]
    return Slot(span.chord, at.pitch, before.pitch, min(inside), span.root_position)


def _sounding(melody: list[Sung], beat: float) -> Sung:
    return next(n for n in reversed(melody) if n.start <= beat + 1e-9 and n.end > beat)


def _repair(
    plan: Plan, melody: list[Sung], spans: list[_Span], index: int, tried: dict[float, set[int]]
) -> None:
    span = spans[index]
    last = index == len(spans) - 1
    beat = span.start - 1e-6 if last else span.start  # the final tonic stays; its lead-in moves
    note = _sounding(melody, beat)
    harmony = spans[index - 1].chord if last else span.chord
    seen = tried.setdefault(note.start, {note.pitch})
    options = [p for p in range(plan.low, plan.high + 1) if p % 12 in harmony.pcs and p not in seen]
    if not options:
        raise RuntimeError("no chord tone left to try")  # pragma: no cover
    pitch = min(options, key=lambda p: (abs(p - note.pitch), p))
    seen.add(pitch)
    melody[melody.index(note)] = replace(
        note, pitch=pitch, chromatic=pitch % 12 in harmony.chromatic
    )


def _perform(
    plan: Plan, melody: list[Sung], voiced: list[ChordSpan], phrases: list[Phrase], coda: float
) -> list[Note]:
    """Dynamics: each phrase swells to its middle and relaxes; B and the last A are fuller;
    the coda fades. The melody sings above the accompaniment."""
    phrase_beats = plan.phrase_bars * plan.meter
    end = max(n.start + n.duration for n in melody)

    def loudness(beat: float) -> int:
        if beat >= coda:
            fade = (beat - coda) / max(1.0, end - coda)
            return round(plan.loudness - 4 - 14 * fade)
        phrase = phrases[min(int(beat // phrase_beats), len(phrases) - 1)]
        shape = math.sin(math.pi * ((beat - phrase.start) / phrase_beats) * 0.9)
        fuller = 4 if phrase.section == "B" or phrase.role == "final" else 0
        return round(plan.loudness + 8 * shape + fuller - 3)

    notes = [
        Note(n.start, n.duration, n.pitch, _velocity(loudness(n.start) + 10), "melody", n.chromatic)
        for n in melody
    ]
    for span in voiced:
        length = span.duration
        for note in accompany(
            span.texture, span.voicing, span.start, length, plan.meter, loudness(span.start)
        ):
            chromatic = note.pitch % 12 in span.chord.chromatic
            notes.append(replace(note, velocity=_velocity(note.velocity), chromatic=chromatic))
    final = voiced[-1]
    if final.voicing[0] - 12 >= 28:  # the last chord with a low tonic beneath it
        notes.append(Note(final.start, final.duration, final.voicing[0] - 12, 50, "bass"))
    notes.sort(key=lambda n: (n.start, n.pitch))
    return notes


def _velocity(value: int) -> int:
    return max(20, min(118, value))
