"""From a mood to musical choices: key and mode, tempo, meter, register, harmonic rhythm,
dynamics, texture and form, each with the reason it was chosen.

Everything here is plain code over the mood's numbers and a seed, so the same moment
and seed always give the same choices, and different moods measurably different ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from os1.errors import InputError
from os1.music.mood import Mood
from os1.music.theory import Key, Mode

MIN_SECONDS, MAX_SECONDS = 20.0, 600.0
_KEYS: dict[str, tuple[int, ...]] = {  # tonics that sit well under the hands, by mode
    "major": (0, 2, 3, 5, 7, 9, 10),
    "dorian": (2, 7, 9, 0, 5),
    "minor": (9, 2, 4, 0, 7, 5, 11),
}
_PERIOD_PHRASES = 2  # a period: a phrase that asks, then one that answers


@dataclass(frozen=True)
class Plan:
    key: Key
    mixture: bool  # borrow chords (iv, bVI) from the parallel minor
    tempo: int
    meter: int  # beats per bar
    bars_per_chord: int  # harmonic rhythm: 1, or 2 for slow-moving harmony
    low: int  # melody register, MIDI
    high: int
    loudness: int  # base MIDI velocity
    textures: tuple[str, ...]  # accompaniment per period, in order
    periods: int
    seed: int
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def phrase_bars(self) -> int:
        return 4 * self.bars_per_chord

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key.name,
            "mode": self.key.mode,
            "mixture": self.mixture,
            "tempo": self.tempo,
            "meter": f"{self.meter}/4",
            "bars_per_chord": self.bars_per_chord,
            "register": [self.low, self.high],
            "loudness": self.loudness,
            "textures": list(self.textures),
            "periods": self.periods,
            "seed": self.seed,
            "reasons": dict(self.reasons),
        }


def check_length(seconds: float | None) -> float | None:
    if seconds is None:
        return None
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise InputError(
            f"A piece of {seconds:g} seconds is not one I can write.",
            f"Ask for {MIN_SECONDS:.0f} seconds to {MAX_SECONDS / 60:.0f} minutes "
            "(e.g. --length 90 or --length 2m), or leave it out for one to three minutes.",
        )
    return seconds


def parse_length(text: str) -> float:
    """'90', '90s', '2m', '1:30' -> seconds; a clear error for anything else."""
    raw = text.strip().lower()
    try:
        if ":" in raw:
            minutes, seconds = raw.split(":", 1)
            value = int(minutes) * 60 + float(seconds)
        elif raw.endswith(("min", "m")):
            value = float(raw.rstrip("min").strip()) * 60
        else:
            value = float(raw.rstrip("s").strip())
    except ValueError:
        raise InputError(
            f"{text!r} is not a length.", "Write seconds or minutes: 90, 90s, 2m or 1:30."
        ) from None
    checked = check_length(value)
    assert checked is not None
    return checked


def choose(mood: Mood, seed: int, seconds: float | None = None) -> Plan:
    """The musical choices for a mood (and why), reproducible from the seed."""
    rng = random.Random(seed)  # noqa: S311 (seeded music, not secrets)
    reasons: dict[str, str] = {}
    mode, mixture = _mode(mood, reasons)
    keys = random.Random(f"{seed}:{mode}:{mixture}")  # noqa: S311 (seeded music, not secrets)
    key = Key(keys.choice(_KEYS[mode]), mode)
    reasons["key"] = (
        f"{key.name}: the tonic is picked by the seed ({seed}) from the {mode} keys that lie "
        "well under a pianist's hands; the mode, not the key, carries the feeling"
    )
    tempo = _tempo(mood, rng, reasons)
    meter = _meter(mood, reasons)
    bars_per_chord = 2 if mood.arousal < -0.45 and (seconds or 120) >= 100 else 1
    reasons["harmonic rhythm"] = (
        "a new chord every two bars, so the harmony breathes slowly, because the moment is still"
        if bars_per_chord == 2
        else "a new chord every bar, quickening at the cadences"
    )
    centre = round(66 + 6 * mood.valence + 3 * mood.arousal)
    reasons["register"] = f"the melody moves around {_pitch_name(centre, key)}: " + (
        "higher and brighter for a happy moment" if centre >= 67 else "lower and darker"
    )
    loudness = round(58 + 26 * (mood.arousal + 1) / 2 + 4 * mood.valence)
    reasons["dynamics"] = _dynamics(loudness)
    textures = _textures(mood, rng, reasons)
    periods = _periods(tempo, meter, bars_per_chord, mood, seconds, reasons)
    return Plan(
        key, mixture, tempo, meter, bars_per_chord, max(55, centre - 8), centre + 9, loudness,
        _texture_cycle(textures, periods), periods, seed, reasons,
    )  # fmt: skip


def _mode(mood: Mood, reasons: dict[str, str]) -> tuple[Mode, bool]:
    v = mood.valence
    if v >= 0.15:
        mixed = mood.mixed or v < 0.3
        why = "major, because the moment leans happy"
        if mixed:
            why += ", with the minor key's iv chord borrowed for the sadness in it"
        reasons["mode"] = f"{why} (valence {v:+.2f})"
        return "major", mixed
    if v > -0.25:
        reasons["mode"] = (
            f"Dorian, a minor mode with a raised sixth: between light and shade (valence {v:+.2f})"
        )
        return "dorian", False
    reasons["mode"] = f"minor, because the moment is sad (valence {v:+.2f})"
    return "minor", False


def _tempo(mood: Mood, rng: random.Random, reasons: dict[str, str]) -> int:
    energy = (mood.arousal + 1) / 2
    bpm = 48 + 84 * energy**1.2 + 6 * mood.valence + rng.uniform(-3, 3)
    tempo = int(2 * round(max(48, min(160, bpm)) / 2))
    feel = "calm" if mood.arousal < -0.3 else "lively" if mood.arousal > 0.3 else "unhurried"
    reasons["tempo"] = (
        f"{tempo} beats a minute, because the moment is {feel} (arousal {mood.arousal:+.2f})"
    )
    return tempo


def _meter(mood: Mood, reasons: dict[str, str]) -> int:
    if mood.arousal < 0.2 and mood.valence > -0.5:
        reasons["meter"] = "3/4, a gentle sway"
        return 3
    reasons["meter"] = "4/4, steady" if mood.arousal <= 0.5 else "4/4, driving"
    return 4


def _dynamics(loudness: int) -> str:
    level = "pp" if loudness < 60 else "p" if loudness < 68 else "mp" if loudness < 76 else "mf"
    level = "f" if loudness >= 84 else level
    return f"{level} at heart, swelling toward each phrase's peak and fading at the end"


def _textures(mood: Mood, rng: random.Random, reasons: dict[str, str]) -> list[str]:
    if mood.arousal > 0.35:
        main = "pulse"
        why = "pulsing chords under the tune, for the energy"
    elif mood.arousal < -0.45:
        main = "arpeggio"
        why = "slow broken chords, like water"
    else:
        main = rng.choice(["arpeggio", "alberti"])
        why = "broken chords that keep moving" if main == "arpeggio" else "an Alberti bass"
    reasons["texture"] = f"{why}; a hymn-like chorale in the middle for contrast"
    return [main, "chorale"]


def _texture_cycle(textures: list[str], periods: int) -> tuple[str, ...]:
    main, chorale = textures
    cycle = [main] * periods
    cycle[periods // 2] = chorale  # the contrasting middle (or the second half of a short one)
    return tuple(cycle)


def _periods(
    tempo: int,
    meter: int,
    bars_per_chord: int,
    mood: Mood,
    seconds: float | None,
    reasons: dict[str, str],
) -> int:
    period_seconds = _PERIOD_PHRASES * 4 * bars_per_chord * meter * 60 / tempo
    target = seconds if seconds is not None else 150 - 50 * abs(mood.arousal)
    coda = 2 * bars_per_chord * meter * 60 / tempo
    fewest = 1 if seconds is not None else 2  # unasked, a piece has its contrast
    periods = max(fewest, round((target - coda) / period_seconds - 0.2))
    why = "you asked for" if seconds is not None else "about right for a moment like this:"
    form = "A and B sections returning to A" if periods > 2 else "a single A section"
    reasons["form"] = (
        f"{periods} period{'s' if periods > 1 else ''} of two {4 * bars_per_chord}-bar phrases,"
        f" question and answer, {form}, then a coda; {why} {target:.0f} seconds"
    )
    if seconds is not None and periods * period_seconds + coda > 1.3 * seconds:
        reasons["form"] += " (the shortest whole piece at this tempo is a little longer)"
    return periods


def _pitch_name(pitch: int, key: Key) -> str:
    """The name of `pitch`, or of the nearest note in the key when it lies outside it."""
    return key.spell(next(p for p in (pitch, pitch + 1, pitch - 1) if p % 12 in key.pcs))
