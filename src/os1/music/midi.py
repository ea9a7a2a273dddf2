"""A piece as a Standard MIDI File (with mido): tempo, meter, key, melody, accompaniment,
sustain pedal, and the lyrics on the melody's notes."""

from __future__ import annotations

import io
from typing import Any

from os1.errors import OS1Error
from os1.music.piece import Piece
from os1.music.theory import Key

TICKS = 480  # per beat
_PIANO = 0  # General MIDI program 1, Acoustic Grand Piano
_MELODY, _ACCOMPANIMENT = 0, 1


def _mido() -> Any:
    try:
        import mido  # type: ignore[import-untyped]
    except ImportError as exc:
        raise OS1Error(
            "Writing music needs the mido package.", "Reinstall OS1: make install"
        ) from exc
    return mido


def _tick(beat: float) -> int:
    return round(beat * TICKS)


def _track(mido: Any, name: str, events: list[tuple[int, int, Any]]) -> Any:
    """A track from (absolute tick, order, message) events; note-offs sort before note-ons."""
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=name, time=0))
    now = 0
    for tick, _, message in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(message.copy(time=tick - now))
        now = tick
    return track


def to_midi(piece: Piece, key: Key) -> bytes:
    """The piece as the bytes of a type-1 MIDI file."""
    mido = _mido()
    song = mido.MidiFile(type=1, ticks_per_beat=TICKS)
    song.tracks.append(_conductor(mido, piece, key))
    melody: list[tuple[int, int, Any]] = [
        (0, 0, mido.Message("program_change", channel=_MELODY, program=_PIANO))
    ]
    for note in piece.melody():
        start, end = _tick(note.start), _tick(note.end) - 12  # a breath between notes
        if note.syllable:
            melody.append((start, 1, mido.MetaMessage("lyrics", text=note.syllable)))
        melody.append((start, 2, _on(mido, _MELODY, note.pitch, note.velocity)))
        melody.append((max(start + 1, end), 0, _off(mido, _MELODY, note.pitch)))
    song.tracks.append(_track(mido, "Melody", melody))
    song.tracks.append(_track(mido, "Piano", _accompaniment(mido, piece)))
    last = max(_tick(n.end) for n in piece.notes)
    tail = _tick(piece.tail_seconds * piece.tempo * 0.7 / 60)  # the last tempo is 70 %
    for track in song.tracks:
        used = sum(m.time for m in track)
        track.append(mido.MetaMessage("end_of_track", time=max(0, last + tail - used)))
    buffer = io.BytesIO()
    song.save(file=buffer)
    return buffer.getvalue()


def _conductor(mido: Any, piece: Piece, key: Key) -> Any:
    signature = _signature(key)
    events: list[tuple[int, int, Any]] = [
        (0, 0, mido.MetaMessage("time_signature", numerator=piece.meter, denominator=4)),
        (0, 1, mido.MetaMessage("key_signature", key=signature)),
        (0, 2, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(piece.tempo))),
    ]
    for beat, bpm in piece.tempo_changes:
        events.append((_tick(beat), 3, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm))))
    return _track(mido, piece.title[:60] or "OS1", events)


def _accompaniment(mido: Any, piece: Piece) -> list[tuple[int, int, Any]]:
    events: list[tuple[int, int, Any]] = [
        (0, 0, mido.Message("program_change", channel=_ACCOMPANIMENT, program=_PIANO))
    ]
    for note in piece.notes:
        if note.voice == "melody":
            continue
        start, end = _tick(note.start), _tick(note.end) - 6
        events.append((start, 2, _on(mido, _ACCOMPANIMENT, note.pitch, note.velocity)))
        events.append((max(start + 1, end), 0, _off(mido, _ACCOMPANIMENT, note.pitch)))
    for span in piece.chords:  # the pedal lifts as each chord arrives, and goes down again
        start = _tick(span.start)
        for channel in (_MELODY, _ACCOMPANIMENT):
            events.append((start, 1, _pedal(mido, channel, 0)))
            events.append((start + 24, 1, _pedal(mido, channel, 127)))
    end = max(_tick(n.end) for n in piece.notes)
    events += [(end, 1, _pedal(mido, c, 0)) for c in (_MELODY, _ACCOMPANIMENT)]
    return events


def _on(mido: Any, channel: int, pitch: int, velocity: int) -> Any:
    return mido.Message("note_on", channel=channel, note=pitch, velocity=velocity)


def _off(mido: Any, channel: int, pitch: int) -> Any:
    return mido.Message("note_off", channel=channel, note=pitch, velocity=0)


def _pedal(mido: Any, channel: int, value: int) -> Any:
    return mido.Message("control_change", channel=channel, control=64, value=value)


def _signature(key: Key) -> str:
    """mido's key name: the tonic for major and minor, the relative major for Dorian."""
    name = key.name.split()[0]
    if key.mode == "minor":
        return name + "m"
    if key.mode == "dorian":
        return Key((key.tonic + 10) % 12, "major").name.split()[0]
    return name


def read_notes(data: bytes) -> list[tuple[float, int, int, int]]:
    """(seconds, channel, pitch, velocity) of every note-on in a MIDI file: for checking."""
    mido = _mido()
    song = mido.MidiFile(file=io.BytesIO(data))
    notes, now = [], 0.0
    for message in song:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            notes.append((now, message.channel, message.note, message.velocity))
    return notes
