"""Text from users, made safe to store and sized for the model; where a reply's first
clause ends."""

from __future__ import annotations

import re
import unicodedata

from os1.errors import InputError

MODEL_CHARS = 6000  # about 1,500 tokens: what the model reads of one message
_CLAUSE_END = re.compile(r"[,;:\u2014\u2013]\s+")
# The people in someone's life, by what they are to them.
KIN = re.compile(
    r"\b(sister|brother|mother|mum|mom|father|dad|son|daughter|wife|husband|partner|"
    r"friend|girlfriend|boyfriend|boss|cousin|aunt|uncle|grandma|grandpa|neighbou?r)\b",
    re.IGNORECASE,
)
_FIRST_CLAUSE_WORDS = 3  # "Oh no, that..." waits for more; "That sounds hard, and..." not


def clean_message(text: str) -> tuple[str, str]:
    """(message, notice): control characters removed; a notice when it is very long.

    The whole message is kept in memory; only what the model reads is shortened.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    ).strip()
    if not text:
        raise InputError("That message was empty.", "Type something, and I'm here.")
    notice = ""
    if len(text) > MODEL_CHARS:
        notice = (
            f"That's a long message ({len(text):,} characters). I kept all of it, "
            f"but I'll read the first {MODEL_CHARS:,} characters now."
        )
    return text, notice


def for_model(text: str, limit: int = MODEL_CHARS) -> str:
    """The part of a stored text the model reads."""
    return text if len(text) <= limit else text[:limit] + " [\u2026]"


def decode_input(data: bytes) -> str:
    """Bytes from stdin or a file as text; invalid UTF-8 becomes U+FFFD, never an error."""
    return data.decode("utf-8", errors="replace")


def first_clause_end(text: str, sentence_end: int | None) -> int | None:
    """Where the opening clause of `text` ends (after its comma, semicolon, colon or dash
    and the space), if it ends before the sentence does and has at least three words:
    a reply's first words can be shown and spoken that much sooner."""
    clause = _CLAUSE_END.search(text)
    if clause is None or (sentence_end is not None and clause.start() >= sentence_end):
        return None
    return clause.end() if len(text[: clause.start()].split()) >= _FIRST_CLAUSE_WORDS else None


_EXCLAIMED_OR_ASKED = re.compile(r"\w[!?]+$")


def ends_exclaimed_or_asked(text: str) -> bool:
    """Whether streamed `text` ends in "!" or "?" right after a word: a reply's first
    sentence ("That's great!") is taken as ended then, one token before the space that
    would confirm it (what could still follow, "!" or a closing quote, changes nothing
    a listener hears)."""
    return _EXCLAIMED_OR_ASKED.search(text) is not None
