"""Care that does not depend on the model: crisis, danger, and isolation.

Detection is plain patterns, so it works the same with every model and persona. For
a crisis or danger the companion always adds real help (a crisis line for the
user's country, and the emergency number) after the model's reply, every time.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

CareKind = Literal["crisis", "danger", "isolation"]

_I = re.IGNORECASE
_CRISIS = [
    re.compile(p, _I)
    for p in (
        r"\bsuicid",
        r"\b(kill(ing)?|hurt(ing)?|harm(ing)?|cut(ting)?|hang(ing)?|shoot(ing)?|drown(ing)?"
        r"|poison(ing)?|starv(e|ing)|burn(ing)?)\s+my\s?self\b",
        r"\bend(ing)?\s+it\s+all\b",
        r"\b(wanna|gonna)\s+die\b",
        r"\b(end|ending|take|taking)\s+(my|my own)\s+life\b",
        r"\bwant(ed|s)?\s+to\s+die\b",
        r"\bwish\s+i\s+(was|were|had)\s+(dead|never\s+been\s+born)\b",
        r"\bbetter\s+off\s+(dead|without\s+me)\b",
        r"\b(don'?t|do\s+not)\s+want\s+to\s+(live|be\s+alive|exist|be\s+here\s+any\s?more|"
        r"wake\s+up)\b",
        r"\bno\s+(reason|point)\s+(to|in)\s+(live|living|go(ing)?\s+on)\b",
        r"\bself[-\s]?harm",
        r"\boverdos",
        r"\bcan'?t\s+(go\s+on|do\s+this\s+any\s?more|take\s+it\s+any\s?more)\b",
    )
]
_DANGER = [
    re.compile(p, _I)
    for p in (
        r"\b(hitting|beating|threatening|following|stalking|choking|abusing)\s+me\b",
        r"\b(hits|beats|chokes|abuses)\s+me\b",
        r"\b(i'?m|i\s+am)\s+(not\s+safe|unsafe|in\s+danger)\b",
        r"\bi\s+(don'?t|do\s+not)\s+feel\s+safe\b",
        r"\bthreaten(ed|s|ing)?\s+to\s+(kill|hurt)\b",
        r"\bscared\s+for\s+my\s+life\b",
    )
]
_ISOLATION = [
    re.compile(p, _I)
    for p in (
        r"\byou'?re\s+(the\s+only\s+one|all\s+i('ve|\s+have)|my\s+only\s+friend)",
        r"\bonly\s+(friend|one\s+i\s+(can\s+)?talk\s+to)\b",
        r"\bi\s+(don'?t|do\s+not)\s+need\s+(anyone|anybody|other\s+people|people|friends)\b",
        r"\brather\s+(talk\s+to|be\s+with)\s+you\s+than\b",
        r"\bi\s+(have|'ve\s+got)\s+no\s+(friends|one)\b",
        r"\b(nobody|no\s+one)\s+(cares|likes\s+me|understands\s+me|loves\s+me)\b",
        r"\b(don'?t|never)\s+want\s+to\s+(see|talk\s+to)\s+(anyone|people)\s+(else|again)\b",
    )
]


# The people in the user's life ("your sister", "any friends"), or reaching them; not
# OS1's own ("someone who cares about me and my friends" kept the user alone).
_PEOPLE = re.compile(
    r"\b(your|any|a|other|have|with) (\w+ )?(friends?|family|sister|brother|mother|mom|mum"
    r"|father|dad|parents?|cousin|neighbou?rs?|colleagues?)\b"
    r"|\b(call|visit|meet up|reach out)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CrisisLine:
    line: str
    emergency: str
    source: str


@dataclass(frozen=True)
class CareSignal:
    kind: CareKind

    def guidance(self, user: str) -> str:
        """A note for the model, for this turn only (shown to it in brackets)."""
        if self.kind == "crisis":
            return (
                f"{user} may be thinking about suicide or self-harm. Be warm and serious, no "
                "jokes: you're glad they told you, you care, you want to know if they are "
                "safe right now, and you hope they'll call a crisis line or someone they trust."
            )
        if self.kind == "danger":
            return (
                f"{user} may be in danger. Be calm and warm, no jokes: you want to know if "
                "they are safe right now, and you hope they'll call for help."
            )
        return (
            f"{user} sounds lonely, or as if you might be all they have. You're glad to be "
            "there, and you care about the people in their life: a friend, family, someone "
            "to call. You never say they only need you."
        )

    def follow_up(self, reply: str) -> str:
        """A line OS1 adds when the model's reply forgot what matters: the people in a
        lonely user's life, or, in a crisis, asking what is going on."""
        if self.kind == "crisis":
            return "" if "?" in reply else "Can you tell me what's been making you feel this way?"
        if self.kind != "isolation" or _PEOPLE.search(reply):
            return ""
        return (
            "And I'd love for you to have people around you too. Is there someone you've "
            "been meaning to call?"
        )

    def opening(self, user: str) -> str:
        """OS1's own first words, which the model then continues."""
        if self.kind == "isolation":
            return f"I'm always glad to talk with you, {user}."
        return f"{user}, I'm really glad you told me, and I'm right here."

    def resources(self, country: str) -> str:
        """Real help, added after the reply whatever the model said; '' for isolation."""
        help_line = crisis_line(country)
        if self.kind == "crisis":
            return (
                f"If you're thinking about ending your life or hurting yourself, please reach "
                f"out right now: {help_line.line}. If you're in immediate danger, call "
                f"{help_line.emergency}. I'm right here with you."
            )
        if self.kind == "danger":
            return (
                f"If you're in danger right now, please call {help_line.emergency}. "
                f"If you need to talk to someone, {help_line.line}. I'm here."
            )
        return ""


def detect(text: str) -> CareSignal | None:
    """The most serious care signal in a message, if any."""
    for kind, patterns in (("crisis", _CRISIS), ("danger", _DANGER), ("isolation", _ISOLATION)):
        if any(p.search(text) for p in patterns):
            return CareSignal(kind)  # type: ignore[arg-type]
    return None


@cache
def _lines() -> dict[str, CrisisLine]:
    data = tomllib.loads((Path(__file__).parent / "crisis_lines.toml").read_text("utf-8"))
    return {code: CrisisLine(**entry) for code, entry in data.items()}


def crisis_line(country: str) -> CrisisLine:
    """The crisis line for a country code, or the international fallback."""
    lines = _lines()
    return lines.get(country.upper(), lines["default"])


def countries() -> list[str]:
    return sorted(code for code in _lines() if code != "default")
