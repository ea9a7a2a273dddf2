"""Reading a moment's mood: valence (pleasant..unpleasant) and arousal (calm..energetic).

Words carry it first: a small hand-made lexicon of feelings and of scenes that carry a
mood (a beach, a Sunday, rain), with intensifiers ("a little sad") and negation ("not
happy"). The recent conversation counts half. Only when no word carries a mood does the
model read it, under a JSON schema; the music is then chosen by code from the numbers.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from os1.errors import InputError, OS1Error
from os1.mind.base import GenerationOptions, Message, Mind
from os1.mind.structured import generate_json

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 1000
_SOFTER = {"little", "bit", "slightly", "somewhat", "kinda", "mildly", "quietly", "faintly"}
_STRONGER = {"very", "so", "really", "deeply", "extremely", "incredibly", "truly", "utterly"}
_STRONGER |= {"too", "totally", "completely", "overwhelmingly", "super"}
_NEGATIONS = {"not", "never", "no", "without", "hardly", "isnt", "wasnt", "dont", "didnt"}
_NEGATIONS |= {"arent", "werent", "cant", "couldnt", "nor", "nothing"}
_SUFFIXES = ("", "s", "es", "ly", "ness", "ed", "d", "ing", "y")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Mood:
    """Where a moment sits on the circumplex, and what put it there."""

    valence: float  # -1 sad/unpleasant .. 1 happy/pleasant
    arousal: float  # -1 calm/sleepy .. 1 excited/tense
    words: tuple[str, ...] = ()  # the words that carried it, as found ("a little sad")
    mixed: bool = False  # both clearly happy and clearly sad words
    source: str = "words"  # words | model | neutral
    conversation_turns: int = 0  # recent turns of the conversation that were read
    feelings: tuple[str, ...] = field(default=())  # the model's own words, when it read it

    def as_dict(self) -> dict[str, Any]:
        return {
            "valence": round(self.valence, 3),
            "arousal": round(self.arousal, 3),
            "words": list(self.words),
            "mixed": self.mixed,
            "source": self.source,
            "conversation_turns": self.conversation_turns,
            "feelings": list(self.feelings),
        }


@dataclass(frozen=True)
class _Hit:
    phrase: str
    valence: float
    arousal: float
    weight: float


@cache
def lexicon() -> dict[str, tuple[float, float, str]]:
    """word -> (valence, arousal, kind) from data/mood_words.tsv."""
    text = resources.files("os1.music").joinpath("data/mood_words.tsv").read_text("utf-8")
    words: dict[str, tuple[float, float, str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        word, valence, arousal, kind = line.split("\t")
        words[word] = (float(valence), float(arousal), kind)
    return words


def check_description(text: str) -> str:
    """The description, tidied; a clear error for one that is empty, huge or gibberish."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InputError(
            "Tell me what the piece is about.",
            'Describe the moment in a few words, e.g. "the beach, Sunday afternoon, a little sad".',
        )
    if len(cleaned) > MAX_DESCRIPTION:
        raise InputError(
            f"That description is {len(cleaned):,} characters long; a piece needs a moment, "
            f"not a chapter.",
            f"Describe it in a sentence or two (at most {MAX_DESCRIPTION:,} characters).",
        )
    words = _WORD.findall(cleaned.lower())
    if not words or sum(_plausible(w) for w in words) < max(1, len(words) / 2):
        raise InputError(
            f"I can't find a moment in {cleaned[:60]!r}.",
            'Describe a place, a time or a feeling in words, e.g. "rain at night, missing her".',
        )
    return cleaned


def _plausible(word: str) -> bool:
    """Whether a token looks like a word of a natural language (not 'xkcdqz' or 'aaaa')."""
    word = word.replace("'", "")
    if word in lexicon() or len(word) <= 2:
        return word in lexicon() or bool(re.search(r"[aeiouy]", word))
    return (
        bool(re.search(r"[aeiouy]", word))
        and not re.search(r"[^aeiouy]{5,}", word)
        and not re.search(r"(.)\1\1", word)
        and len(set(word)) > len(word) / 4
    )


def read_words(description: str, conversation: list[str] | None = None) -> Mood:
    """The mood the words carry (the description in full, recent turns at half weight)."""
    conversation = conversation or []
    hits = _hits(description, 1.0)
    for turn in conversation:
        hits.extend(_hits(turn, 0.5))
    total = sum(h.weight for h in hits)
    if total <= 0:
        return Mood(0.1, -0.2, source="neutral", conversation_turns=len(conversation))
    valence = sum(h.valence * h.weight for h in hits) / total
    arousal = sum(h.arousal * h.weight for h in hits) / total
    feelings = [h for h in hits if h.weight >= 0.25]
    mixed = any(h.valence >= 0.3 for h in feelings) and any(h.valence <= -0.3 for h in feelings)
    words = tuple(dict.fromkeys(h.phrase for h in hits))
    return Mood(
        _clamp(valence), _clamp(arousal), words, mixed, conversation_turns=len(conversation)
    )


def _hits(text: str, weight: float) -> list[_Hit]:
    tokens = [t.replace("'", "") for t in _WORD.findall(text.lower())]
    hits: list[_Hit] = []
    skip = 0
    for i, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        pair = f"{token} {tokens[i + 1]}" if i + 1 < len(tokens) else ""
        entry, phrase = (lexicon().get(pair), pair) if pair in lexicon() else (None, token)
        if entry is None:
            entry = _lookup(token)
        else:
            skip = 1
        if entry is None:
            continue
        valence, arousal, kind = entry
        before = tokens[max(0, i - 3) : i]
        scale = weight * (0.5 if kind == "scene" else 1.0)
        if any(b in _SOFTER for b in before[-2:]):
            scale *= 0.5
            phrase = f"a little {phrase}"
        elif before and before[-1] in _STRONGER:
            scale *= 1.5
            phrase = f"{before[-1]} {phrase}"
        if any(b in _NEGATIONS for b in before):
            valence, arousal = -0.5 * valence, 0.5 * arousal
            phrase = f"not {phrase}"
        hits.append(_Hit(phrase, valence, arousal, scale))
    return hits


def _lookup(token: str) -> tuple[float, float, str] | None:
    words = lexicon()
    for suffix in _SUFFIXES:
        if suffix and not token.endswith(suffix):
            continue
        stem = token[: len(token) - len(suffix)] if suffix else token
        for candidate in (stem, stem + "e"):
            if len(candidate) > 2 and candidate in words:
                return words[candidate]
    return None


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, value))


_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "valence": {"type": "number"},
        "arousal": {"type": "number"},
        # No maxLength: as a llama.cpp grammar it slows sampling badly; max_tokens bounds it.
        "feelings": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
    },
    "required": ["valence", "arousal", "feelings"],
}
_OPTIONS = GenerationOptions(max_tokens=80, temperature=0.0, seed=7, cache_key="background")


async def read_mood(
    description: str, conversation: list[str] | None = None, mind: Mind | None = None
) -> Mood:
    """The moment's mood: from its words, or, when no word carries one, from the model."""
    mood = read_words(description, conversation)
    if mood.source != "neutral" or mind is None:
        return mood
    try:
        return await _ask_model(mind, description, conversation or [])
    except OS1Error as exc:
        log.info("the model could not read the mood (%s); a neutral one it is", type(exc).__name__)
        return mood


async def _ask_model(mind: Mind, description: str, conversation: list[str]) -> Mood:
    said = "\n".join(f"- {turn[:300]}" for turn in conversation[-4:])
    recent = f"\nWhat was said just before:\n{said}" if said else ""
    messages = [
        Message(
            "system",
            "You read the mood of a moment someone describes. Answer with its valence, from"
            " -1 (sad, painful) to 1 (happy, pleasant), its arousal, from -1 (calm, sleepy)"
            " to 1 (excited, tense), and up to three feelings in single words.",
        ),
        Message("user", f"The moment: {description}{recent}"),
    ]
    await mind.start()
    answer = await generate_json(mind, messages, _SCHEMA, _OPTIONS)
    feelings = tuple(str(f).strip().lower() for f in answer["feelings"] if str(f).strip())
    return Mood(
        _clamp(float(answer["valence"])),
        _clamp(float(answer["arousal"])),
        source="model",
        conversation_turns=len(conversation),
        feelings=feelings,
    )
