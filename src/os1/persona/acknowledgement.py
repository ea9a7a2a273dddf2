"""The word a spoken reply opens with while the model starts: "Oh.", "Well." or "Okay."

People answer each other in about 0.2 s, and often with a small word first ("Oh." on
hearing news, "Well." before answering a question): the thought follows. On 2 cores the
model's own first words come about 1.2 s after the user's last word (BENCHMARKS.md, issue
4), so a voice reply opens with one of these, chosen from the user's words alone; Piper
speaks it at once and the model continues after it, reading it as its own. Not every
turn: a greeting or a goodbye is answered in kind, not with "Oh.".

Only words Piper's voice says clearly: "Hm." came out as the letters "H M", "Hmm." and
"Mm." as a hum Whisper heard as "done" and "Amen", "Ah." too soft to be heard. A whole
sentence rather than "Oh," with the model finishing the clause: held to "Oh, ..." the
1.5B model fell into one pattern ("Oh, that's interesting. What makes you think...?").
"""

from __future__ import annotations

import re

_GREETING_OR_GOODBYE = re.compile(
    r"^\W*(hi|hello|hey|morning|good (morning|afternoon|evening|night)|goodnight|night"
    r"|bye|goodbye|thanks|thank you)\b"
    r"|\b(good ?night|bye|goodbye|see you|go(ing)? to (bed|sleep)|sleep soon)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"^\W*(please\s+)?(tell|sing|read|play|write|show|help|give|let'?s|let us"
    r"|can you|could you|would you|will you)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"\?\s*$|^\W*(what|why|how|when|where|who|which|do|does|did|is|are|was|were|can|could"
    r"|would|will|should|shall|have|has|am)\b",
    re.IGNORECASE,
)


def acknowledgement(message: str) -> str:
    """The small word to say first in reply to `message` ('' when none fits)."""
    if not message.strip() or _GREETING_OR_GOODBYE.search(message):
        return ""
    if _REQUEST.search(message):
        return "Okay."
    if _QUESTION.search(message):
        return "Well."
    return "Oh."
