"""The spell checker OS1 proofreads with: pyspellchecker's English word list, plus sets of
words easily written for one another ("their/they're", "beech/beach"), which a word list
alone cannot catch and the model chooses between.

`Flag` is one place in a text worth a second look, with the words it could be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from os1.errors import ConfigError

WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_MOST_CANDIDATES = 4
# Two words run together, which a one-word list cannot suggest.
_SPLITS = {"alot": "a lot", "infact": "in fact", "aswell": "as well", "incase": "in case",
           "everytime": "every time", "atleast": "at least", "eachother": "each other",
           "alright": "all right", "thankyou": "thank you", "noone": "no one"}  # fmt: skip


@dataclass(frozen=True)
class Flag:
    start: int
    end: int
    word: str
    options: tuple[str, ...]  # the word as written first, then what it could be
    kind: str  # "spelling" (not a word) or "confusable" (a real word, maybe the wrong one)

    @property
    def best(self) -> str:
        """The spell checker's own pick: its first suggestion, else the word itself."""
        return self.options[1] if len(self.options) > 1 else self.word


def match_case(model: str, word: str) -> str:
    """`word` written with the capitals of `model` (Their -> They're, BEECH -> BEACH)."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@cache
def confusion_sets() -> dict[str, tuple[str, ...]]:
    """word -> the set it belongs to (lower case), from the packaged list."""
    text = resources.files("os1.letters").joinpath("data/confusions.txt").read_text("utf-8")
    sets: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        words = tuple(line.split("#", 1)[0].split())
        for word in words:
            sets[word] = words
    return sets


@cache
def _checker() -> Any:
    try:
        from spellchecker import SpellChecker
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError(
            "The spell checker is not installed.", "Run: .venv/bin/pip install pyspellchecker"
        ) from exc
    return SpellChecker(language="en", distance=2)


def is_word(word: str) -> bool:
    """Whether the word list knows it (any case; straight or curly apostrophe)."""
    lower = word.lower().replace("\u2019", "'")
    checker = _checker()
    if lower in checker:
        return lower not in _SPLITS
    if "'" in lower:  # possessives and contractions: the stem is what matters
        stem, _, tail = lower.partition("'")
        return stem in checker and tail in ("s", "re", "ve", "ll", "d", "t", "m")
    return False


def suggestions(word: str) -> tuple[str, ...]:
    """Known words the misspelling could be, likeliest first, in the word's own case."""
    checker = _checker()
    lower = word.lower()
    if lower in _SPLITS:
        return (match_case(word, _SPLITS[lower]),)
    found = checker.candidates(lower) or set()
    found.discard(lower)
    ranked = sorted(found, key=lambda w: (-checker.word_usage_frequency(w), w))
    return tuple(match_case(word, w) for w in ranked[:_MOST_CANDIDATES])


def _is_name(text: str, start: int, word: str) -> bool:
    """A capitalised word inside a sentence is most likely a name the list lacks."""
    if not word[:1].isupper() or (word.isupper() and len(word) > 1):
        return word.isupper() and len(word) > 1  # acronyms are left alone too
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in '.!?:"\u201c\n'


def flags(text: str, confusables: bool = True) -> list[Flag]:
    """Every misspelt word (with suggestions) and, optionally, every confusable word."""
    found: list[Flag] = []
    sets = confusion_sets()
    for match in WORD.finditer(text):
        word = match.group()
        lower = word.lower().replace("\u2019", "'")
        if confusables and lower in sets:
            options = (word, *(match_case(word, w) for w in sets[lower] if w != lower))
            found.append(Flag(match.start(), match.end(), word, options, "confusable"))
        elif len(word) > 1 and not is_word(word) and not _is_name(text, match.start(), word):
            options = (word, *suggestions(word))
            if len(options) > 1:
                found.append(Flag(match.start(), match.end(), word, options, "spelling"))
    return found
