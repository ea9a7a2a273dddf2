"""Turn-taking: when has the user finished speaking?

A fixed silence threshold cuts people off mid-sentence ("I went to the store and...")
or, if long, makes every reply slow. OS1 transcribes at the first short pause, while it
keeps listening, and reads the words: a turn that sounds finished ends after a short
silence, one that trails off ("and", "um", "because", a comma) waits longer. The
transcript taken at the pause is then used as is, so speech-to-text and the wait for
the end of the turn overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TRAILING = re.compile(
    r"(\b(and|but|or|so|because|cause|if|when|while|then|than|that|which|who|the|a|an|to|of"
    r"|with|for|from|in|on|at|about|into|my|your|our|their|his|her|its|is|was|are|were|be"
    r"|i|i'm|we|you|they|he|she|it's|um|uh|erm|hmm|like|just|maybe|also|really|very)"
    r"|[,;:\-–—]|\.\.\.|…)\s*$"
    # Whisper ends most pauses with a full stop: these words still leave the turn open
    # ("...because."), where "...visit her." or "...I think so." may well end it.
    r"|\b(and|but|or|because|cause|if|than|the|a|an|of|with|from|into|my|your|our|their"
    r"|i|i'm|we|they|um|uh|erm|maybe)\.\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TurnPolicy:
    """Silences (seconds) that end a turn, and how long a turn may be."""

    # Silence is counted in VAD windows of 32 ms: 4 windows, then 12.
    pause: float = 0.128  # silence after which OS1 transcribes what it has so far
    finished: float = 0.384  # ...and ends the turn if the words sound finished
    unfinished: float = 1.3  # ...or waits this long if they trail off
    fixed: float | None = None  # a plain threshold instead (the peer in benchmarks)
    max_turn: float = 28.0  # one Whisper window; a longer turn is cut here
    min_speech: float = 0.18  # shorter sounds (a click, a cough) are not a turn


def sounds_finished(text: str) -> bool:
    """Whether a transcript reads like a finished turn rather than a pause for thought."""
    words = text.strip()
    if not words:
        return False
    return _TRAILING.search(words) is None


def turn_is_over(policy: TurnPolicy, silence: float, transcript: str | None) -> bool:
    """`silence` seconds since the user's voice stopped; `transcript` of the turn so far,
    or None while it is still being made."""
    if policy.fixed is not None:
        return silence >= policy.fixed
    if silence >= policy.unfinished:
        return True
    return silence >= policy.finished and transcript is not None and sounds_finished(transcript)
