"""What a composed piece is: notes, chords and phrases on a timeline counted in beats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from os1.music.theory import Chord

Voice = Literal["melody", "bass", "inner"]
Cadence = Literal["half", "authentic", "plagal", "none"]


@dataclass(frozen=True)
class Note:
    start: float  # beats from the beginning
    duration: float  # beats
    pitch: int  # MIDI note number
    velocity: int
    voice: Voice
    chromatic: bool = False  # deliberately outside the key (a borrowed or leading-tone note)
    syllable: str = ""  # sung text, for a melody note that carries lyrics

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class ChordSpan:
    start: float
    duration: float
    chord: Chord
    voicing: tuple[int, int, int]  # bass, tenor, alto (the melody is the soprano)
    texture: str
    phrase: int  # index into Piece.phrases; -1 for the coda


@dataclass(frozen=True)
class Phrase:
    index: int
    start: float  # beats
    bars: int
    role: str  # open, close, contrast, turn, final
    section: str  # A, B
    cadence: Cadence
    texture: str


@dataclass
class Piece:
    title: str
    meter: int  # beats per bar (quarter-note beats)
    tempo: int  # beats per minute
    notes: list[Note]
    chords: list[ChordSpan]
    phrases: list[Phrase]
    tempo_changes: list[tuple[float, float]] = field(default_factory=list)  # (beat, bpm)
    tail_seconds: float = 2.5  # silence after the last note, for the piano to ring out

    @property
    def beats(self) -> float:
        return max(n.end for n in self.notes)

    def seconds_at(self, beat: float) -> float:
        """Clock time of a beat, following the tempo changes (the final ritardando)."""
        changes = sorted([(0.0, float(self.tempo)), *self.tempo_changes])
        seconds = 0.0
        for (at, bpm), (after, _) in zip(changes, [*changes[1:], (float("inf"), 0.0)], strict=True):
            if beat <= at:
                break
            seconds += (min(beat, after) - at) * 60.0 / bpm
        return seconds

    @property
    def seconds(self) -> float:
        return self.seconds_at(self.beats) + self.tail_seconds

    def melody(self) -> list[Note]:
        return [n for n in self.notes if n.voice == "melody"]
