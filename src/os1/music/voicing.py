"""Voice leading: bass, tenor and alto under the melody, chord after chord.

Every chord gets the four-part voicing (the melody is the soprano) that moves least from
the one before, found by dynamic programming over all candidate voicings: complete
chords, no crossing, sensible spacing, borrowed notes never doubled, root position at
cadences, and never parallel fifths or octaves between melody and bass (a hard rule;
between other voices they are merely expensive).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from os1.music.theory import Chord, parallel_perfect

Voicing = tuple[int, int, int]  # bass, tenor, alto
_FORBIDDEN = 1_000_000.0
_KEEP = 28  # the cheapest voicings of each chord worth considering
_BASS, _TENOR, _ALTO = range(31, 57), range(43, 68), range(50, 77)


@dataclass(frozen=True)
class Slot:
    """One chord under the melody: what the soprano sings as the chord arrives."""

    chord: Chord
    soprano: int  # melody note sounding at the chord's onset
    before: int  # melody note sounding just before it (the soprano's previous note)
    floor: int  # lowest melody note while the chord lasts: the alto stays below it
    root_position: bool = False  # cadences and the last chord stand on their root


def candidates(slot: Slot) -> list[tuple[Voicing, float]]:
    """Every acceptable voicing of a slot, with its own cost (inversion, doubling, spacing)."""
    chord = slot.chord
    root, third, fifth = chord.pcs[:3]
    if chord.bass_position == 2:
        bass_pcs = {fifth}
    elif slot.root_position:
        bass_pcs = {root}
    else:
        bass_pcs = {root, third}
    found: list[tuple[Voicing, float]] = []
    for alto_limit in (slot.floor, slot.soprano, slot.soprano + 1):  # relax if nothing fits
        for bass in (p for p in _BASS if p % 12 in bass_pcs):
            for tenor in (p for p in _TENOR if p % 12 in chord.pcs and p > bass + 2):
                for alto in _altos(chord, tenor, alto_limit, slot.soprano):
                    voicing = (bass, tenor, alto)
                    cost = _static_cost(chord, voicing, slot.soprano)
                    if cost < _FORBIDDEN:
                        found.append((voicing, cost))
        if found:
            break
    found.sort(key=lambda option: option[1])
    return found[:_KEEP]


def _altos(chord: Chord, tenor: int, limit: int, soprano: int) -> list[int]:
    return [
        p
        for p in _ALTO
        if p % 12 in chord.pcs and tenor < p < limit and p - tenor <= 12 and soprano - p <= 14
    ]


def _static_cost(chord: Chord, voicing: Voicing, soprano: int) -> float:
    bass, tenor, alto = voicing
    pcs = [p % 12 for p in (*voicing, soprano)]
    if chord.pcs[0] not in pcs or chord.pcs[1] not in pcs:
        return _FORBIDDEN  # a chord needs its root and its third
    cost = 0.0
    if bass % 12 != chord.pcs[0] and chord.bass_position is None:
        cost += 1.5  # an inversion, worth it only when it smooths the bass
    for pc in set(pcs):
        doubled = pcs.count(pc) - 1
        if doubled and pc in chord.chromatic:
            cost += 8.0 * doubled  # a borrowed or leading note wants to resolve, alone
        elif doubled and pc == chord.pcs[1]:
            cost += 1.0 * doubled
    cost += max(0, soprano - alto - 12) + max(0, alto - tenor - 12) + max(0, tenor - bass - 19)
    cost += abs(tenor - 57) * 0.05 + abs(bass - 45) * 0.03  # home registers
    return cost


def _move_cost(prev: Voicing, cur: Voicing, before: int, soprano: int) -> float:
    leap = abs(cur[0] - prev[0])
    cost = abs(cur[1] - prev[1]) + abs(cur[2] - prev[2]) + 0.5 * leap
    cost += 3.0 if leap > 9 else 0.0
    old = (*prev, before)
    new = (*cur, soprano)
    for low, high in combinations(range(4), 2):
        if parallel_perfect((old[high], old[low]), (new[high], new[low])):
            cost += _FORBIDDEN if (low, high) == (0, 3) else 10.0
    return cost


def lead(slots: list[Slot]) -> tuple[list[Voicing], list[int]]:
    """The cheapest voicings for all slots, and the slots (if any) where melody and bass
    still move in parallel fifths or octaves because no voicing could avoid it."""
    options = [candidates(s) for s in slots]
    empty = [i for i, o in enumerate(options) if not o]
    if empty:
        return [], empty
    costs = [c for _, c in options[0]]
    back: list[list[int]] = []
    for index in range(1, len(slots)):
        slot = slots[index]
        new_costs, links = [], []
        for voicing, own in options[index]:
            best, link = min(
                (
                    costs[j] + _move_cost(prev, voicing, slot.before, slot.soprano),
                    j,
                )
                for j, (prev, _) in enumerate(options[index - 1])
            )
            new_costs.append(best + own)
            links.append(link)
        costs, back = new_costs, [*back, links]
    choice = min(range(len(costs)), key=costs.__getitem__)
    path = [choice]
    for links in reversed(back):
        path.append(links[path[-1]])
    path.reverse()
    voicings = [options[i][k][0] for i, k in enumerate(path)]
    return voicings, outer_parallels(slots, voicings)


def outer_parallels(slots: list[Slot], voicings: list[Voicing]) -> list[int]:
    return [
        i
        for i in range(1, len(slots))
        if parallel_perfect(
            (slots[i].before, voicings[i - 1][0]), (slots[i].soprano, voicings[i][0])
        )
    ]
