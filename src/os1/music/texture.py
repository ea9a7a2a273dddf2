"""The left hand (and the right hand's lower voices): how a voiced chord is played.

chorale   the four voices held together, hymn-like
arpeggio  the bass held, the chord broken upward and back in even notes
alberti   the bass held, the inner voices in the classical low-high-middle-high figure
pulse     the bass on the beat, the chord repeated between beats: energy
"""

from __future__ import annotations

from os1.music.piece import Note
from os1.music.voicing import Voicing

TEXTURES = ("chorale", "arpeggio", "alberti", "pulse")


def accompany(
    texture: str, voicing: Voicing, start: float, length: float, meter: int, loudness: int
) -> list[Note]:
    """The accompaniment notes for one chord lasting `length` beats from `start`."""
    bass, tenor, alto = voicing
    inner = loudness - 14
    notes = [Note(start, length, bass, loudness - 6, "bass")]
    if texture == "chorale":
        bar = float(meter)
        at = 0.0
        while at < length - 1e-9:  # struck again each bar, as a piano must
            span = min(bar, length - at)
            notes += [Note(start + at, span, p, inner, "inner") for p in (tenor, alto)]
            at += span
        return notes
    if texture == "pulse":
        return _pulse(voicing, start, length, loudness)
    rising = sorted({tenor, alto} | ({bass + 12} if bass + 12 < alto else set()))
    if texture == "arpeggio":
        figure = rising + rising[-2:0:-1]  # up and back down: t, a, t or b', t, a, t
    else:
        figure = [rising[0], rising[-1], rising[1 if len(rising) == 3 else 0], rising[-1]]
    unit = 0.5 if length >= 2 else 0.25
    at, index = unit, 0
    while at < length - 1e-9:
        # Held to the chord's end, as the sustain pedal would hold them.
        notes.append(Note(start + at, length - at, figure[index % len(figure)], inner, "inner"))
        at += unit
        index += 1
    return notes


def _pulse(voicing: Voicing, start: float, length: float, loudness: int) -> list[Note]:
    bass, tenor, alto = voicing
    notes: list[Note] = []
    beat = 0.0
    while beat < length - 1e-9:
        notes.append(Note(start + beat, min(1.0, length - beat), bass, loudness - 4, "bass"))
        off = beat + 0.5
        if off < length:
            notes += [
                Note(start + off, 0.45, p, loudness - 12 + (4 if beat == 0 else 0), "inner")
                for p in (tenor, alto)
            ]
        beat += 1.0
    return notes
