"""Questions that ask OS1 to remember something the user said ("Did I tell you about my dog?").

With nothing recalled, the 1.5B model still answered "What did I tell you about my
brother?" with an invented story ("I told you that he's a bit of a troublemaker") in 8 of
8 tries, whatever the memory lines said; the words that open such a reply are ours.
"""

from __future__ import annotations

import re

_ASKS_MEMORY = re.compile(
    r"\b(remember|recall|did i (ever )?(tell|mention|say)|have i (ever )?(told|mentioned)"
    r"|what did i (tell|say))\b",
    re.IGNORECASE,
)
_MY = re.compile(r"\bmy ([a-z]+)", re.IGNORECASE)
# Things OS1 knows without being told (the user's name is in its profile), or words that
# make no subject ("my own").
_NO_SUBJECT = frozenset({"name", "own", "self", "god", "gosh", "goodness", "dear"})


def asked_to_remember(message: str) -> str | None:
    """The one thing a question asks OS1 to remember ("brother" in "What did I tell you
    about my brother?"), or None for anything else."""
    if not message.rstrip().endswith("?") or not _ASKS_MEMORY.search(message):
        return None
    subjects = [s.lower() for s in _MY.findall(message) if s.lower() not in _NO_SUBJECT]
    return subjects[0] if len(subjects) == 1 else None


def never_told(subject: str) -> str:
    """The opening of a reply when nothing about `subject` was ever said."""
    return f"You haven't told me about your {subject} yet."
