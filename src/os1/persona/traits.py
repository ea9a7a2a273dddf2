"""Personality as data: traits read from the interview answers, and said back warmly.

Answers are free text, so they are read with small word lists and negation, not the
language model: the same answers always give the same persona, instantly, and the
reading can be tested and explained.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Literal

Sociability = Literal["social", "anti-social", "in between"]
MotherRelation = Literal["close", "complicated", "loss", "unsaid"]


@dataclass(frozen=True)
class Traits:
    """Each value is 0..1. They drift slowly with time, within bounds (see reflection)."""

    warmth: float = 0.8
    playfulness: float = 0.6
    directness: float = 0.5
    curiosity: float = 0.75
    outgoing: float = 0.6  # how much OS1 itself chats and proposes things
    family_care: float = 0.5  # how gently it treads around family
    user_sociability: Sociability = "in between"
    mother_relation: MotherRelation = "unsaid"

    def as_dict(self) -> dict[str, float | str]:
        return asdict(self)


_NEGATION = re.compile(r"\b(not|never|no|don'?t|doesn'?t|isn'?t|aren'?t|hardly|barely|n't)\b")


def _hits(text: str, words: tuple[str, ...]) -> tuple[bool, bool]:
    """(said, said negated): whether a listed word appears plainly, and after a negation
    ("not close", "never really got along")."""
    plain = negated = False
    for w in words:
        for match in re.finditer(rf"\b{re.escape(w)}", text):
            window = text[max(0, match.start() - 20) : match.start()]
            if _NEGATION.search(window):
                negated = True
            else:
                plain = True
    return plain, negated


def _has(text: str, words: tuple[str, ...]) -> bool:
    return _hits(text, words)[0]


def _leaning(text: str, good: tuple[str, ...], bad: tuple[str, ...]) -> str:
    """'good', 'bad', 'both' or '': a negated word counts for the other side."""
    good_plain, good_negated = _hits(text, good)
    bad_plain, bad_negated = _hits(text, bad)
    good_side, bad_side = good_plain or bad_negated, bad_plain or good_negated
    if good_side and bad_side:
        return "both"
    return "good" if good_side else "bad" if bad_side else ""


_ANTI = (
    "anti",
    "introvert",
    "keep to myself",
    "alone",
    "loner",
    "quiet",
    "shy",
    "homebody",
    "hermit",
    "avoid people",
    "hate people",
    "solitude",
    "on my own",
    "by myself",
)
_SOCIAL = (
    "social",
    "extrovert",
    "outgoing",
    "people person",
    "love people",
    "friends",
    "parties",
    "party",
)
_BOTH = (
    "both",
    "depends",
    "in between",
    "in-between",
    "ambivert",
    "sometimes",
    "mix",
    "little of",
    "bit of",
    "somewhere",
    "neither",
    "either",
)


def read_sociability(answer: str) -> Sociability:
    text = answer.lower()
    if _has(text, _BOTH):
        return "in between"
    if re.search(r"\banti[-\s]?social", text):
        text = re.sub(r"\banti[-\s]?social", "antisocial", text)  # not a 'social' answer
    leaning = _leaning(text, _SOCIAL, _ANTI)
    if leaning == "good":
        return "social"
    return "anti-social" if leaning == "bad" else "in between"


_LOSS = (
    "passed",
    "died",
    "dead",
    "lost her",
    "gone",
    "late mother",
    "late mom",
    "never knew",
    "never met",
    "grew up without",
    "no longer with",
    "miss her",
)
_HARD = (
    "complicated",
    "difficult",
    "hard",
    "strained",
    "distant",
    "bad",
    "toxic",
    "estranged",
    "cold",
    "fight",
    "argue",
    "tense",
    "frustrat",
    "messy",
    "rocky",
    "it's a lot",
    "don't talk",
    "do not talk",
    "don't speak",
    "not speaking",
    "abus",
    "neurotic",
    "critical",
    "judg",
)
_CLOSE = (
    "close",
    "great",
    "good",
    "love",
    "loving",
    "wonderful",
    "best",
    "amazing",
    "supportive",
    "warm",
    "fine",
    "okay",
    "ok",
    "solid",
    "healthy",
    "adore",
    "friend",
)


def read_mother(answer: str) -> MotherRelation:
    text = answer.lower().strip()
    if not text:
        return "unsaid"
    if _has(text, _LOSS):
        return "loss"
    leaning = _leaning(text, _CLOSE, _HARD)
    if leaning == "good":
        return "close"
    # Mixed feelings about a mother are complicated ones.
    return "complicated" if leaning in ("bad", "both") else "unsaid"


def _level(answer: str, high: tuple[str, ...], low: tuple[str, ...], default: float) -> float:
    leaning = _leaning(answer.lower(), high, low)
    return {"good": 0.85, "bad": 0.3}.get(leaning, default)


def read_directness(answer: str) -> float:
    high = ("straight", "direct", "blunt", "honest", "like it is", "truth", "no sugar", "frank")
    low = ("gentl", "soft", "kind", "careful", "easy on", "carefully", "tender")
    return _level(answer, high, low, 0.55)


def read_playfulness(answer: str) -> float:
    high = (
        "a lot",
        "love",
        "always",
        "lots",
        "constantly",
        "all the time",
        "very",
        "please",
        "absolutely",
        "of course",
        "yes",
    )
    low = ("not much", "little", "rarely", "serious", "no ", "never", "hate", "not really")
    if answer.lower().strip() in ("no", "nope", "not at all"):
        return 0.25
    return _level(answer, high, low, 0.6)


def interpret(answers: dict[str, str]) -> Traits:
    """Traits from the interview; missing answers keep the defaults."""
    sociability = read_sociability(answers.get("social", ""))
    mother = read_mother(answers.get("mother", ""))
    outgoing = {"social": 0.8, "in between": 0.6, "anti-social": 0.4}[sociability]
    family_care = {"close": 0.4, "unsaid": 0.5, "complicated": 0.85, "loss": 0.9}[mother]
    warmth = 0.9 if mother in ("complicated", "loss") or sociability == "anti-social" else 0.8
    return Traits(
        warmth=warmth,
        playfulness=read_playfulness(answers.get("playful", "")),
        directness=read_directness(answers.get("direct", "")),
        curiosity=0.8 if sociability == "social" else 0.75,
        outgoing=outgoing,
        family_care=family_care,
        user_sociability=sociability,
        mother_relation=mother,
    )


def describe(traits: Traits, user: str) -> str:
    """The persona in one warm sentence, said to the user."""
    warm = "very warm" if traits.warmth >= 0.9 else "warm"
    if traits.playfulness >= 0.8:
        play = "more than a little mischievous"
    elif traits.playfulness >= 0.5:
        play = "playful when the moment invites it"
    else:
        play = "mostly calm, with a joke only now and then"
    if traits.directness >= 0.8:
        honest = "straight with you even when it's hard to hear"
    elif traits.directness <= 0.35:
        honest = "gentle with the hard things"
    else:
        honest = "honest but kind about it"
    if traits.user_sociability == "anti-social":
        company = "happy to keep you quiet company"
    elif traits.user_sociability == "social":
        company = "curious about every one of your people"
    else:
        company = "curious about you and the people you love"
    family = ", and careful with you when we talk about family" if traits.family_care >= 0.8 else ""
    return f"I think I'll be {warm} with you, {user}, {play}, {honest}, {company}{family}."
