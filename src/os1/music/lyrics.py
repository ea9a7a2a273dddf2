"""Lyrics with the model, fitted to a tune: one line per phrase, one syllable per note.

The model writes every line at once under a JSON schema, told how many syllables each
needs; OS1 counts them itself, asks again for the lines that miss, and finally fits
what is left by holding a syllable over two notes (melisma) or splitting a long note
in two. The fit is then checked: each line's syllables equal its sung notes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from os1.errors import OS1Error, StructuredOutputError
from os1.mind.base import GenerationOptions, Message, Mind
from os1.mind.structured import generate_json
from os1.music import syllables
from os1.music.piece import Note, Piece

log = logging.getLogger(__name__)

_SYSTEM = (
    "You write song lyrics: plain, concrete, heartfelt English, sung words rather than"
    " poetry on paper. Each line must have exactly the number of syllables asked for."
    " No titles, labels, numbers or quotation marks."
)
_ROUNDS = 2  # rewrites asked for each line that misses its count
_LONGEST_LINE = 14  # notes; a longer phrase is sung as two lines
_SHORTEST = 0.25  # beats: notes are split no shorter than a sixteenth


@dataclass(frozen=True)
class Line:
    text: str
    target: int  # syllables the tune has room for
    counted: int  # syllables in the text

    @property
    def fit(self) -> str:
        if self.counted == self.target:
            return "exact"
        if self.counted < self.target:
            return f"{self.target - self.counted} held over two notes"
        return f"{self.counted - self.target} long notes split"


async def write_lines(mind: Mind, theme: str, feeling: str, targets: list[int]) -> list[Line]:
    """Lines about `theme`, each aiming at its syllable count; the closest the model got."""
    asked = "\n".join(f"Line {i + 1}: {n} syllables" for i, n in enumerate(targets))
    schema = {
        "type": "object",
        "properties": {
            "lines": {
                "type": "array",
                "items": {"type": "string"},
                "maxItems": len(targets),
            }
        },
        "required": ["lines"],
    }
    prompt = [
        Message("system", _SYSTEM),
        Message(
            "user",
            f"Write {len(targets)} lines of a song about: {theme}\nThe feeling: {feeling}\n{asked}",
        ),
    ]
    await mind.start()
    answer = await generate_json(
        mind,
        prompt,
        schema,
        GenerationOptions(max_tokens=_tokens(targets), temperature=0.7, seed=1),
    )
    texts = [_clean(str(t)) for t in answer["lines"]]
    texts += [""] * (len(targets) - len(texts))
    lines = []
    for index, (text, target) in enumerate(zip(texts, targets, strict=True)):
        lines.append(await _closer(mind, theme, text, target, index))
    return lines


async def _closer(mind: Mind, theme: str, text: str, target: int, index: int) -> Line:
    best = Line(text, target, syllables.count(text))
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"line": {"type": "string"}},
        "required": ["line"],
    }
    for attempt in range(_ROUNDS):
        if best.counted == target and best.text:
            break
        how = "longer" if best.counted < target else "shorter"
        ask = (
            f"This line of a song about {theme} has {best.counted} syllables: "
            f'"{best.text}". Rewrite it {how}, with exactly {target} syllables.'
            if best.text
            else f"Write one line of a song about {theme}, with exactly {target} syllables."
        )
        options = GenerationOptions(
            max_tokens=_tokens([target]), temperature=0.8, seed=100 * index + attempt
        )
        try:
            answer = await generate_json(
                mind, [Message("system", _SYSTEM), Message("user", ask)], schema, options
            )
        except StructuredOutputError:
            continue
        text = _clean(str(answer["line"]))
        candidate = Line(text, target, syllables.count(text))
        if text and (abs(candidate.counted - target) < abs(best.counted - target) or not best.text):
            best = candidate
    return best


def _tokens(targets: list[int]) -> int:
    """Room for the words and the JSON around them, and no more. (No maxLength in the
    schema: as a grammar it slows llama.cpp's sampling many times over; a line that runs
    long is cut by this budget, then cleaned, counted and asked for again.)"""
    return 16 + sum(2 * n + 8 for n in targets)


def _clean(text: str) -> str:
    """Only what can be sung: words and light punctuation (no markup, digits or emoji)."""
    text = re.sub(r"[^A-Za-z\u00C0-\u024F' ,.!?;:-]+", " ", text)
    words = " ".join(text.split()).strip(" ,;:-")
    return words if re.search(r"[A-Za-z]{2}", words) else ""


def _room(notes: list[Note]) -> int:
    """How many syllables these notes can carry when every long note is split."""
    notes = list(notes)
    while _split_longest(notes):
        pass
    return len(notes)


def _trimmed(line: Line, room: int) -> Line:
    """A line with more syllables than the tune could ever carry loses its last words."""
    words = line.text.split()
    while words and syllables.count(" ".join(words)) > room:
        words.pop()
    text = " ".join(words)
    return Line(text, line.target, syllables.count(text))


def sung_lines(piece: Piece, phrases: int = 4) -> list[list[int]]:
    """The melody notes (indices into piece.melody()) each lyric line is sung to: the
    first `phrases` phrases, a long phrase split in two at a bar line."""
    melody = piece.melody()
    lines: list[list[int]] = []
    for phrase in piece.phrases[:phrases]:
        end = phrase.start + phrase.bars * piece.meter
        notes = [i for i, n in enumerate(melody) if phrase.start <= n.start < end]
        if len(notes) > _LONGEST_LINE:
            middle = phrase.start + (phrase.bars // 2) * piece.meter
            lines.append([i for i in notes if melody[i].start < middle])
            lines.append([i for i in notes if melody[i].start >= middle])
        else:
            lines.append(notes)
    return [line for line in lines if line]


def fit(piece: Piece, lines: list[Line], where: list[list[int]]) -> Piece:
    """The piece with each line's syllables on its notes: a long note is split where a
    line has more syllables than notes; the last syllable is held where it has fewer."""
    melody = piece.melody()
    sung: dict[int, list[Note]] = {}
    for line, indices in zip(lines, where, strict=False):
        notes = [melody[i] for i in indices]
        parts = syllables.syllables(line.text)
        while len(notes) < len(parts) and _split_longest(notes):
            pass
        parts = parts[: len(notes)]
        held = len(notes) - len(parts)
        words = parts + [""] * held  # a melisma: the last syllable sings on
        sung[indices[0]] = [replace(n, syllable=w) for n, w in zip(notes, words, strict=True)]
        for i in indices[1:]:
            sung[i] = []
    new_melody: list[Note] = []
    for i, note in enumerate(melody):
        new_melody.extend(sung.get(i, [note]))
    others = [n for n in piece.notes if n.voice != "melody"]
    notes = sorted(new_melody + others, key=lambda n: (n.start, n.pitch))
    return replace(piece, notes=notes)


def _split_longest(notes: list[Note]) -> bool:
    longest = max(range(len(notes)), key=lambda i: (notes[i].duration, -i))
    note = notes[longest]
    if note.duration < 2 * _SHORTEST:
        return False
    half = note.duration / 2
    notes[longest : longest + 1] = [
        replace(note, duration=half),
        replace(note, start=note.start + half, duration=half),
    ]
    return True


def check_fit(piece: Piece, lines: list[Line], where: list[list[int]], before: Piece) -> list[str]:
    """How the lyrics fail to sit on the notes, line by line: [] when every line fits."""
    old = before.melody()
    problems = []
    for number, (line, indices) in enumerate(zip(lines, where, strict=False), start=1):
        start, end = old[indices[0]].start, old[indices[-1]].end
        notes = [n for n in piece.melody() if start <= n.start < end]
        carried = sum(1 for n in notes if n.syllable)
        wanted = len(syllables.syllables(line.text))
        if carried != wanted or len(notes) < wanted:
            problems.append(f"line {number}: {wanted} syllables, {carried} sung")
    return problems


async def lyrics_for(
    mind: Mind, piece: Piece, theme: str, feeling: str
) -> tuple[Piece, list[Line]]:
    """Lyrics for the piece's first phrases, fitted to its melody and checked."""
    where = sung_lines(piece)
    lines = await write_lines(mind, theme, feeling, [len(w) for w in where])
    melody = piece.melody()
    lines = [
        _trimmed(line, _room([melody[i] for i in indices]))
        for line, indices in zip(lines, where, strict=True)
    ]
    fitted = fit(piece, lines, where)
    if problems := check_fit(fitted, lines, where, piece):
        raise OS1Error(f"The lyrics did not fit the tune ({problems[0]}).")
    log.debug("lyrics fitted: %s", [line.fit for line in lines])
    return fitted, lines
