"""Words for the voice: pieces of a reply to speak, what was heard of it, and word error rate."""

from __future__ import annotations

import re

from os1.text import ends_exclaimed_or_asked, first_clause_end

# A sentence ends at . ! ? or … (with closing quotes) and a space, or at a line break.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n+")
_SPEAKABLE = re.compile(r"[^\W_]")


class Chunker:
    """Cuts streamed reply text into pieces to speak: sentences, and for the first piece
    of a reply a shorter clause ("Oh no, ...") so that OS1 starts talking sooner.
    Yields (start, end) offsets into the whole reply text."""

    def __init__(self) -> None:
        self.text = ""
        self._done = 0  # offset up to which pieces were given out

    def feed(self, delta: str) -> list[tuple[int, int]]:
        self.text += delta
        pieces = []
        while (end := self._next_end()) is not None:
            pieces.append((self._done, end))
            self._done = end
        return [p for p in pieces if speakable(self.text[p[0] : p[1]])]

    def finish(self) -> list[tuple[int, int]]:
        piece = (self._done, len(self.text))
        self._done = len(self.text)
        return [piece] if speakable(self.text[piece[0] : piece[1]]) else []

    def _next_end(self) -> int | None:
        rest = self.text[self._done :]
        sentence = _SENTENCE_END.search(rest)
        if self._done == 0:
            clause = first_clause_end(rest, sentence.start() if sentence else None)
            if clause is not None:
                return clause
            if sentence is None and ends_exclaimed_or_asked(rest):  # the guard judged it whole
                return len(self.text)
        return self._done + sentence.end() if sentence else None


def speakable(text: str) -> bool:
    return _SPEAKABLE.search(text) is not None


def for_speech(text: str) -> str:
    """Text as the synthesizer should read it: no brackets, ellipses or markup."""
    text = re.sub(r"[\[\]*_`#]", " ", text).replace("…", ".")
    return " ".join(text.split())


def heard_until(text: str, start: int, end: int, fraction: float) -> int:
    """Offset in `text` up to which a listener heard the piece `start:end`, when
    `fraction` of its audio was played: whole words only (rounded down)."""
    if fraction >= 1.0:
        return end
    cut = start + int((end - start) * max(0.0, fraction))
    while cut > start and not text[cut - 1].isspace() and (cut >= end or not text[cut].isspace()):
        cut -= 1
    return cut


def normalise(text: str) -> list[str]:
    """Lower-case words without punctuation, for comparing transcripts."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, on normalised words."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, other in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1] / len(ref)
