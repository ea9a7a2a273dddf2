"""Choosing a skill for what the user said: trigger words first, then the model decides.

Only the user's own words are routed. Content that reaches OS1 from elsewhere (mail,
files, web pages, other OSes) is quoted data in a prompt and is never routed, so it
can inform a reply but never start an action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from os1.errors import StructuredOutputError
from os1.mind.base import GenerationOptions, Message, Mind
from os1.mind.structured import generate_json, schema_problem
from os1.skills import Skills
from os1.skills.base import Skill

_OPTIONS = GenerationOptions(max_tokens=200, temperature=0.0, cache_key="background")


@dataclass(frozen=True)
class Choice:
    skill: Skill
    arguments: dict[str, Any]


def _schema(candidates: list[Skill]) -> dict[str, Any]:
    options: list[dict[str, Any]] = [
        {
            "type": "object",
            "properties": {"skill": {"enum": [s.name]}, "arguments": s.parameters},
            "required": ["skill", "arguments"],
        }
        for s in candidates
    ]
    options.append(
        {"type": "object", "properties": {"skill": {"enum": ["none"]}}, "required": ["skill"]}
    )
    return {"anyOf": options}


def _instructions(user: str, candidates: list[Skill]) -> str:
    listed = "\n".join(f"- {s.name}: {s.description}" for s in candidates)
    return (
        f"Decide whether {user}'s message asks you to do one of these things now:\n{listed}\n"
        "If it does, answer with that skill and the arguments taken from the message. If "
        f"{user} is only talking about it, or asking something else, answer skill none."
    )


async def route(mind: Mind, skills: Skills, user: str, message: str) -> Choice | None:
    """The skill the user is asking for, with its arguments; None to just talk."""
    candidates = skills.matching(message)
    if not candidates:
        return None
    messages = [
        Message("system", _instructions(user, candidates)),
        Message("user", message),
    ]
    try:
        answer = await generate_json(mind, messages, _schema(candidates), _OPTIONS)
    except StructuredOutputError:
        return None  # when in doubt, talk rather than act
    chosen = skills.get(str(answer.get("skill")))
    if chosen is None or chosen not in candidates:
        return None
    arguments = answer.get("arguments", {})
    if not isinstance(arguments, dict) or schema_problem(arguments, chosen.parameters):
        return None
    return Choice(chosen, arguments)
