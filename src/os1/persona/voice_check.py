"""Help-desk habits in a reply: what a companion should not sound like.

Used by the persona samples script and its tests to measure the voice, and by
anyone tuning the prompt. (The live guard, `os1.persona.guard`, removes the worst
of these while streaming; this names all of them.)
"""

from __future__ import annotations

import re

from os1.persona.guard import BANNED

_HABITS = {
    "list": re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+\S", re.MULTILINE),
    "markdown": re.compile(r"\*\*|^#{1,6}\s", re.MULTILINE),
    "assistant talk": re.compile(
        r"\b(assist(ance)?|i'?m here to help|how can i help|happy to help|feel free to|"
        r"let me know if|don'?t hesitate|great question|certainly!|as your assistant)\b",
        re.IGNORECASE,
    ),
    "lectures": re.compile(
        r"\b(it'?s (important|essential|crucial) (to|for)|remember (that|to)|glad i could help"
        r"|seek (help|support)|relaxation techniques|self-care)\b",
        re.IGNORECASE,
    ),
    "deflects to a professional": re.compile(
        r"\b(professional (counsel|therap|help)|mental health professional|seek (professional|"
        r"expert) (help|advice))",
        re.IGNORECASE,
    ),
}
_WORD_LIMIT = 110


def help_desk_habits(reply: str) -> list[str]:
    """The names of the habits found in `reply` (empty when it sounds like OS1)."""
    found = [name for name, pattern in _HABITS.items() if pattern.search(reply)]
    if BANNED.search(reply):
        found.append("breaks character")
    if len(reply.split()) > _WORD_LIMIT:
        found.append("too long")
    return found
