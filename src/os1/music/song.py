"""Lyrics for the user's own song: their chords and what it is about (the ukulele scene).

Each line of chords becomes a line of lyrics with room for two syllables a chord (or as
asked), and the result comes back as a chord sheet, each chord above the syllable where
it changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from os1.errors import InputError
from os1.mind.base import Mind
from os1.music import syllables
from os1.music.lyrics import Line, write_lines
from os1.music.mood import check_description, read_words

_CHORD = re.compile(
    r"^[A-G](#|b)?(m|maj|min|dim|aug|sus|°|ø)?(2|4|5|6|7|9|11|13)?([b#](5|9|11|13))?"
    r"(add\d+|sus\d)?(/[A-G](#|b)?)?$"
)
_MOST_LINES, _MOST_CHORDS = 16, 12


@dataclass(frozen=True)
class SongLine:
    chords: list[str]
    line: Line


def parse_chords(text: str) -> list[list[str]]:
    """'C G Am F | C G F C' (or one line per row) -> [['C','G','Am','F'], ['C','G','F','C']]."""
    rows = [r.replace(",", " ") for r in re.split(r"[|\n;]+", text) if r.strip()]
    if len(rows) == 1 and len(rows[0].split()) > 4:
        flat = rows[0].split()
        rows = [" ".join(flat[i : i + 4]) for i in range(0, len(flat), 4)]
    lines = [row.replace(",", " ").split() for row in rows]
    bad = [c for line in lines for c in line if not _CHORD.match(c)]
    if not lines or bad:
        raise InputError(
            f"{bad[0]!r} is not a chord I can read." if bad else "There are no chords to write to.",
            'Write chords like "C G Am F | C G F C": one line per bar line of the song.',
        )
    if len(lines) > _MOST_LINES or max(len(line) for line in lines) > _MOST_CHORDS:
        raise InputError(
            "That is more song than I can write to at once.",
            f"Give me at most {_MOST_LINES} lines of up to {_MOST_CHORDS} chords"
            " (a verse, a chorus).",
        )
    return lines


def feel_of(chords: list[list[str]]) -> str:
    """Major or minor, from the first chord: a hint for the words."""
    first = chords[0][0]
    minor = re.match(r"^[A-G](#|b)?m(?!aj)", first) is not None
    return "minor, wistful" if minor else "major, warm"


async def write_song(
    mind: Mind, chords_text: str, theme: str, per_chord: int = 2
) -> list[SongLine]:
    """Lyrics that fit the user's chords: `per_chord` syllables under each chord."""
    if not 1 <= per_chord <= 6:
        raise InputError("Between one and six syllables a chord, please.")
    chords = parse_chords(chords_text)
    theme = check_description(theme)
    mood = read_words(theme)
    feeling = ", ".join([*mood.words[:4], feel_of(chords)])
    lines = await write_lines(mind, theme, feeling, [per_chord * len(c) for c in chords])
    return [SongLine(c, line) for c, line in zip(chords, lines, strict=True)]


def chord_sheet(song: list[SongLine]) -> str:
    """Chords above the words, each over the syllable where it changes."""
    out: list[str] = []
    for item in song:
        sung = syllables.syllables(item.line.text)
        starts = _syllable_columns(item.line.text)
        top = ""
        for index, name in enumerate(item.chords):
            at = round(index * len(sung) / len(item.chords)) if sung else 0
            column = starts[at] if at < len(starts) else len(top) + 1
            column = max(column, len(top) + 1 if top else 0)
            top = top.ljust(column) + name
        out += [top.rstrip(), item.line.text, ""]
    return "\n".join(out).rstrip() + "\n"


def _syllable_columns(text: str) -> list[int]:
    """Where each sung syllable starts in the line of text."""
    columns: list[int] = []
    for match in re.finditer(r"[A-Za-z]+(?:'[A-Za-z]+)*|\d+", text):
        offset = match.start()
        for piece in syllables.split_word(match.group()):
            columns.append(offset)
            offset += len(piece)
        columns += [offset] * (
            syllables.count_word(match.group()) - len(syllables.split_word(match.group()))
        )
    return columns
