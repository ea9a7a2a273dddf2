"""Which letters belong in the book, and why: OS1's choice, explained letter by letter.

A letter earns its place by what makes a letter worth reading by strangers: particular
memories (names, places, years, "I remember"), feeling said plainly, speaking to its
reader, a length one reads in a sitting, and clean writing. The reasons shown are the
strongest of those, in words. Letters the book's font cannot set (right-to-left scripts,
characters it lacks) are left out with the reason, and no pair of people fills the book.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from os1.letters.archive import Letter
from os1.letters.spelling import flags
from os1.letters.text import script_problem

_FEELING_WORDS = """love loved loving miss missed remember remembered grateful thank thanks proud
laugh laughed laughing tears cried heart hope sorry forgive forgave afraid happy joy
darling beautiful always forever together lonely longing wish tender"""
_FEELING = frozenset(_FEELING_WORDS.split())
_MEMORY = re.compile(
    r"\b(i remember|remember when|the day|that night|that summer|that morning|when we|"
    r"years ago|the first time|the last time|still think)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z']+")
PER_PAIR = 3  # no pair of people fills the book


@dataclass(frozen=True)
class Judged:
    letter: Letter
    score: float
    reasons: tuple[str, ...]
    excluded: str = ""  # why it cannot be in the book at all


def _specifics(letter: Letter) -> list[str]:
    """Names, places and years in the letter, other than the two people's own names."""
    own = {w.casefold() for w in f"{letter.sender} {letter.recipient}".split()}
    names = re.findall(r"(?<=[a-z,;] )([A-Z][a-z]+(?: [A-Z][a-z]+)*)", letter.body)
    counted = Counter(
        n for n in names if not own & {w.casefold() for w in n.split()} and n not in ("I",)
    )
    years = re.findall(r"\b(1[89]\d\d|20\d\d)\b", letter.body)
    return [n for n, _ in counted.most_common(3)] + years[:1]


def judge(letter: Letter, unwritable: str = "") -> Judged:
    """Score one letter and say why, in a few words each."""
    body = letter.body
    if problem := unwritable or script_problem(body, f"Letter {letter.id}"):
        return Judged(letter, 0.0, (), problem)
    words = _WORD.findall(body)
    count = len(words) or 1
    lower = [w.lower() for w in words]
    feeling = sorted({w for w in lower if w in _FEELING})
    memories = len(_MEMORY.findall(body))
    specifics = _specifics(letter)
    you = sum(w in ("you", "your", "you're") for w in lower) / count
    typos = len(flags(body, confusables=False)) / count
    length = min(count, 600) / 600 if count >= 60 else count / 300
    score = (
        1.5 * length
        + 0.35 * min(len(feeling), 6)
        + 0.5 * min(memories, 4)
        + 0.3 * min(len(specifics), 4)
        + min(you * 20, 1.5)
        - 25 * typos
    )
    reasons = []
    if memories or specifics:
        named = f" ({', '.join(specifics[:3])})" if specifics else " it recalls"
        reasons.append(f"particular memories{named}")
    if len(feeling) >= 2:
        reasons.append(f"says what it feels ({', '.join(feeling[:3])})")
    if you >= 0.03:
        reasons.append("speaks straight to its reader")
    if 120 <= count <= 700:
        reasons.append(f"{count} words, read in one sitting")
    if typos > 0.02:
        reasons.append("though it needs proofreading")
    return Judged(letter, round(score, 2), tuple(reasons) or ("a short, plain letter",))


def choose(judged: list[Judged], count: int) -> list[Judged]:
    """The best `count` letters, at most PER_PAIR from any one pair, in the order written."""
    chosen: list[Judged] = []
    pairs: Counter[frozenset[str]] = Counter()
    for item in sorted(judged, key=lambda j: -j.score):
        pair = frozenset((item.letter.sender.casefold(), item.letter.recipient.casefold()))
        if item.excluded or pairs[pair] >= PER_PAIR or len(chosen) >= count:
            continue
        pairs[pair] += 1
        chosen.append(item)
    return sorted(chosen, key=lambda j: (j.letter.written_on, j.letter.id))


def default_count(available: int) -> int:
    """About two thirds of the archive, at least one, at most thirty."""
    return max(1, min(30, round(available * 2 / 3)))
