"""Music-theory checks on composed pieces: key, voice leading, phrases, cadences, moods, seeds."""

from __future__ import annotations

import statistics

import pytest

from os1.music.midi import to_midi
from os1.music.mood import Mood
from os1.music.piece import Note
from os1.music.theory import Key, chord, parallel_perfect

from .conftest import BEACH, HAPPY, MOODS, SAD, outer_parallels, piece_for, piece_for_mood

SEEDS = range(1, 9)


@pytest.mark.parametrize("description", MOODS)
def test_notes_stay_in_the_key_except_deliberate_chromatic_notes(description: str) -> None:
    for seed in SEEDS:
        plan, piece = piece_for(description, seed)
        spans = piece.chords
        for note in piece.notes:
            if note.pitch % 12 in plan.key.pcs:
                continue
            assert note.chromatic, f"{note} is outside {plan.key.name} and not meant to be"
            harmony = next(s.chord for s in spans if s.start <= note.start < s.start + s.duration)
            assert note.pitch % 12 in harmony.chromatic, f"{note} is not the chord's borrowed note"
        chromatic = sum(n.chromatic for n in piece.notes)
        assert chromatic <= 0.12 * len(piece.notes)  # colour, not a change of key


def test_the_minor_keys_leading_tone_and_the_borrowed_iv_are_the_chromatic_notes() -> None:
    a_minor, c_major = Key(9, "minor"), Key(0, "major")
    assert chord(a_minor, "V").chromatic == {8}  # G sharp
    assert chord(c_major, "iv").chromatic == {8}  # A flat
    assert chord(c_major, "IV").chromatic == frozenset()


def test_the_parallel_checker_catches_parallels() -> None:
    assert parallel_perfect((67, 60), (69, 62))  # fifths C-G to D-A
    assert parallel_perfect((72, 60), (74, 62))  # octaves
    assert not parallel_perfect((67, 60), (67, 62))  # the melody holds: oblique
    assert not parallel_perfect((64, 60), (65, 62))  # third to third
    melody = [Note(0, 1, 67, 80, "melody"), Note(1, 1, 69, 80, "melody")]
    bass = [Note(0, 1, 48, 80, "bass"), Note(1, 1, 50, 80, "bass")]
    assert outer_parallels(melody, bass, (0, 2)) == [1]


@pytest.mark.parametrize("description", MOODS)
def test_no_parallel_fifths_or_octaves_between_outer_voices_in_the_chorale(
    description: str,
) -> None:
    checked = 0
    for seed in SEEDS:
        _, piece = piece_for(description, seed)
        melody = piece.melody()
        bass = [n for n in piece.notes if n.voice == "bass"]
        for phrase in piece.phrases:
            if phrase.texture != "chorale":
                continue
            end = phrase.start + phrase.bars * piece.meter
            assert outer_parallels(melody, bass, (phrase.start, end)) == []
            checked += 1
    assert checked >= len(SEEDS)  # every piece has a chorale


def test_voicings_are_complete_chords_without_crossing() -> None:
    for description in MOODS:
        _, piece = piece_for(description, 3)
        melody = piece.melody()
        for span in piece.chords:
            bass, tenor, alto = span.voicing
            soprano = next(n for n in melody if n.start <= span.start < n.end).pitch
            assert bass < tenor < alto <= soprano
            sounding = {p % 12 for p in (bass, tenor, alto, soprano)}
            assert set(span.chord.pcs[:2]) <= sounding  # root and third


@pytest.mark.parametrize("description", MOODS)
def test_phrases_are_regular_and_end_in_cadences(description: str) -> None:
    for seed in SEEDS:
        plan, piece = piece_for(description, seed)
        lengths = {p.bars for p in piece.phrases}
        assert lengths == {plan.phrase_bars}
        for index, phrase in enumerate(piece.phrases):
            assert phrase.start == index * phrase.bars * piece.meter
            end = phrase.start + phrase.bars * piece.meter
            inside = [s for s in piece.chords if phrase.start <= s.start < end]
            last, before = inside[-1].chord, inside[-2].chord
            tonic, dominant = plan.key.tonic, plan.key.degree_pc(4)
            if phrase.cadence == "half":
                assert last.root == dominant
            else:
                assert (before.root, last.root) == (dominant, tonic)
            notes = [n for n in piece.melody() if phrase.start <= n.start < end]
            assert sum(n.duration for n in notes) == pytest.approx(end - phrase.start)
            assert notes[-1].duration >= piece.meter  # the cadence note is held


@pytest.mark.parametrize("description", MOODS)
def test_the_piece_ends_with_a_cadence_on_the_tonic(description: str) -> None:
    for seed in SEEDS:
        plan, piece = piece_for(description, seed)
        tonic = plan.key.tonic
        final, before = piece.chords[-1], piece.chords[-2]
        assert final.chord.root == tonic and final.voicing[0] % 12 == tonic
        assert before.chord.root == plan.key.degree_pc(3)  # plagal IV (or iv) - I
        assert piece.phrases[-1].cadence == "authentic"  # after the final V - I
        assert piece.melody()[-1].pitch % 12 == tonic
        assert piece.melody()[-1].end == pytest.approx(piece.beats)
        assert piece.tempo_changes[-1][1] < piece.tempo  # it slows into the end


def test_different_moods_give_measurably_different_music() -> None:
    happy = [piece_for(HAPPY, seed) for seed in SEEDS]
    sad = [piece_for(SAD, seed) for seed in SEEDS]
    assert {p.key.mode for p, _ in happy} == {"major"}
    assert {p.key.mode for p, _ in sad} == {"minor"}
    assert min(p.tempo for p, _ in happy) >= max(p.tempo for p, _ in sad) + 30
    happy_pitch = statistics.mean(n.pitch for _, piece in happy for n in piece.melody())
    sad_pitch = statistics.mean(n.pitch for _, piece in sad for n in piece.melody())
    assert happy_pitch >= sad_pitch + 4

    def density(pieces: list) -> float:
        return statistics.mean(len(pc.melody()) / pc.seconds for _, pc in pieces)

    assert density(happy) > 1.5 * density(sad)
    assert statistics.mean(p.loudness for p, _ in happy) > statistics.mean(
        p.loudness for p, _ in sad
    )


def test_the_circumplex_is_covered() -> None:
    calm = piece_for_mood(Mood(0.5, -0.9), 1)[0]
    tense = piece_for_mood(Mood(-0.6, 0.9), 1)[0]
    assert calm.bars_per_chord == 2 and calm.meter == 3 and calm.textures[0] == "arpeggio"
    assert tense.bars_per_chord == 1 and tense.meter == 4 and tense.textures[0] == "pulse"
    assert Mood(0.0, 0.0) and piece_for_mood(Mood(0.0, 0.0), 1)[0].key.mode == "dorian"


def test_the_same_seed_gives_the_same_piece() -> None:
    first_plan, first = piece_for(BEACH, 7)
    second_plan, second = piece_for(BEACH, 7)
    assert to_midi(first, first_plan.key) == to_midi(second, second_plan.key)
    other_plan, other = piece_for(BEACH, 8)
    assert to_midi(other, other_plan.key) != to_midi(first, first_plan.key)


def test_the_motif_returns_developed() -> None:
    """The A sections share the opening bar's rhythm: one idea, stated and developed."""
    _, piece = piece_for(BEACH, 7)
    melody = piece.melody()

    def rhythm(bar_start: float) -> list[float]:
        return [n.duration for n in melody if bar_start <= n.start < bar_start + piece.meter]

    openings = [p.start for p in piece.phrases if p.section == "A"]
    assert len(openings) >= 4
    assert all(rhythm(b) == rhythm(openings[0]) for b in openings)
    bars = {tuple(rhythm(b)) for b in range(0, int(piece.phrases[-1].start), piece.meter)}
    assert len(bars) >= 4  # but not the same bar over and over


def test_keys_and_the_register_are_spelled_as_the_key_signature_spells_them() -> None:
    assert Key(10, "major").spell(70) == "Bb4" and Key(11, "major").spell(70) == "A#4"
    assert Key(2, "minor").name == "D minor" and Key(2, "minor").spell(70) == "Bb4"
    assert Key(3, "major").name == "Eb major" and Key(7, "dorian").spell(65) == "F4"
    for description in MOODS:
        for seed in SEEDS:
            plan, _ = piece_for(description, seed)
            named = plan.reasons["register"].split("around ")[1].split(":")[0]
            assert named[:-1] in (plan.key.spell(60 + pc)[:-1] for pc in plan.key.pcs), named
