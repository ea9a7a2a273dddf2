"""After each turn, the lasting facts in what the user said, as schema-bound JSON."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from os1.memory.facts import ABOUT_VALUES, About, Fact
from os1.mind.base import GenerationOptions, Message, Mind
from os1.mind.structured import generate_json


def facts_schema(known: int = 0) -> dict[str, Any]:
    """The answer's shape; with facts already known, each new one may replace one of them
    (by its number in the list shown, 0 for none)."""
    item: dict[str, Any] = {
        "type": "object",
        "properties": {
            "about": {"type": "string", "enum": list(ABOUT_VALUES)},
            "statement": {"type": "string"},
            "importance": {"type": "integer", "enum": [1, 2, 3, 4, 5]},
        },
        "required": ["about", "statement", "importance"],
    }
    if known:
        item["properties"]["replaces"] = {"type": "integer", "enum": list(range(known + 1))}
        item["required"].append("replaces")
    return {
        "type": "object",
        "properties": {"facts": {"type": "array", "maxItems": 5, "items": item}},
        "required": ["facts"],
    }


FACTS_SCHEMA = facts_schema()
_MOST_KNOWN = 8
_MAX_INPUT = 2000


@dataclass(frozen=True)
class ProposedFact:
    about: About
    statement: str
    importance: int
    replaces: int | None = None  # the id of a fact this one corrects


def tells_something(text: str) -> bool:
    """Whether `text` states something: pure questions and tiny replies ("Goodnight.") hold
    no fact to extract, nor anything worth quoting back as a memory."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    statements = [s for s in sentences if not s.endswith("?")]
    return any(len(re.findall(r"\w+", s)) >= 3 for s in statements)


def _instructions(user: str) -> str:
    return (
        f"You keep a personal memory for {user}. From what {user} just said, write down "
        "the lasting facts: people in their life (names, relations, where they live, what "
        "they do), events and plans with dates, preferences, feelings that matter, their "
        f"work and world. Write each fact as one short sentence in {user}'s own voice, in "
        'the first person, the way they would say it to a friend ("My sister Ines lives '
        "in Porto.\"). about is 'user' for facts about themselves, 'person' for someone in "
        "their life, 'world' for places and things, 'os1' for facts about you, their "
        "companion. importance is 1 (trivia) to 5 (core to their life). Leave out "
        "questions, greetings, and anything not actually said. If nothing lasting was "
        'said, answer {"facts": []}.'
    )


def _known_note(user: str, known: Sequence[Fact]) -> str:
    if not known:
        return ""
    lines = "\n".join(f"[{n}] {fact.statement}" for n, fact in enumerate(known, 1))
    return (
        f"\n\nWhat you already remember {user} telling you:\n{lines}\n"
        "When a new fact changes or contradicts one of these (they moved, changed jobs, "
        "changed their mind), set replaces to that fact's number: the old one is kept as "
        "history. Otherwise replaces is 0. Don't repeat facts already remembered."
    )


def _about(about: About, statement: str) -> About:
    """Small models file facts about others under 'os1'; a fact about OS1 speaks to it
    ("You are a good listener.")."""
    if about != "os1" or re.search(r"\b(you|your|yours|yourself)\b", statement, re.I):
        return about
    named = re.search(r"\b(?!(?:I|My)\b)[A-Z][a-z]+", statement[1:])
    return "person" if named else "user"


async def extract_facts(
    mind: Mind, user: str, text: str, known: Sequence[Fact] = ()
) -> list[ProposedFact]:
    """The facts worth keeping from one user message (may be empty); `known` are current
    facts it may correct."""
    said = text[:_MAX_INPUT]
    known = list(known)[:_MOST_KNOWN]
    messages = [
        Message("system", _instructions(user) + _known_note(user, known)),
        Message("user", f'{user} said:\n"""\n{said}\n"""'),
    ]
    options = GenerationOptions(
        max_tokens=300, temperature=0.1, cache_key="background", repeat_penalty=1.0
    )
    value = await generate_json(mind, messages, facts_schema(len(known)), options)
    found = []
    for item in value["facts"]:
        statement = " ".join(str(item["statement"]).split())
        number = int(item.get("replaces", 0))
        replaces = known[number - 1].id if 0 < number <= len(known) else None
        if 3 <= len(statement) <= 300:
            found.append(
                ProposedFact(
                    _about(item["about"], statement), statement, int(item["importance"]), replaces
                )
            )
    return found
