"""What a skill is: a typed async function with a risk level, usable from conversation and CLI.

A skill's JSON schema comes from its signature, its description from its docstring.
Skills that send, delete, move or spend (risk ACT) never act when called: they return a
`Proposal`, which is carried out only after the user's explicit yes (see
`os1.skills.actions`), and written to the audit log either way.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin

if TYPE_CHECKING:
    from os1.events import Event
    from os1.memory import Memory
    from os1.mind.base import Mind
    from os1.settings import Settings


class Risk(StrEnum):
    READ = "read"  # looks, changes nothing
    WRITE = "write"  # changes only OS1's own data (memories, drafts)
    ACT = "act"  # sends, deletes, moves or spends: waits for the user's explicit yes


@dataclass(frozen=True)
class Proposal:
    """What an ACT skill would do, exactly, for the user to approve or decline."""

    summary: str  # shown verbatim: exact recipients, files, amounts
    payload: dict[str, Any]  # JSON-serialisable: everything `carry_out` needs


@dataclass(frozen=True)
class SkillResult:
    """What a skill found or did. `text` is data for OS1 to tell in its own voice."""

    text: str
    proposal: Proposal | None = None
    data: Any = None  # structured, for the CLI and the web page
    event: Event | None = None  # passed on to whichever interface asked (a piece to play)


@dataclass
class SkillContext:
    """What a skill may use: nothing global, everything handed in."""

    settings: Settings
    memory: Memory
    mind: Mind
    extras: dict[str, Any] = field(default_factory=dict)  # per-skill collaborators


Run = Callable[..., Awaitable[SkillResult]]
CarryOut = Callable[[SkillContext, dict[str, Any]], Awaitable[SkillResult]]


@dataclass(frozen=True)
class Skill:
    name: str
    description: str
    parameters: dict[str, Any]
    risk: Risk
    run: Run
    triggers: tuple[re.Pattern[str], ...] = ()
    carry_out: CarryOut | None = None

    def matches(self, text: str) -> bool:
        """Whether the user's words might be asking for this skill (a cheap prefilter)."""
        return any(t.search(text) for t in self.triggers)

    async def __call__(self, context: SkillContext, arguments: dict[str, Any]) -> SkillResult:
        return await self.run(context, **arguments)


def skill(
    name: str,
    risk: Risk,
    triggers: tuple[str, ...] = (),
    carry_out: CarryOut | None = None,
) -> Callable[[Run], Skill]:
    """Make a Skill of `async def f(context, *, arg: type = default) -> SkillResult`."""
    if risk is Risk.ACT and carry_out is None:
        raise ValueError(f"skill {name} acts, so it needs carry_out for the user's yes")

    def wrap(function: Run) -> Skill:
        return Skill(
            name=name,
            description=inspect.cleandoc(function.__doc__ or name).split("\n\n")[0],
            parameters=parameters_schema(function),
            risk=risk,
            run=function,
            triggers=tuple(re.compile(t, re.IGNORECASE) for t in triggers),
            carry_out=carry_out,
        )

    return wrap


def parameters_schema(function: Callable[..., Any]) -> dict[str, Any]:
    """A JSON schema for a function's keyword-only parameters (after the context)."""
    hints = typing.get_type_hints(function)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        properties[parameter.name] = _json_type(hints[parameter.name])
        if parameter.default is inspect.Parameter.empty:
            required.append(parameter.name)
    return {"type": "object", "properties": properties, "required": required}


def _json_type(hint: Any) -> dict[str, Any]:
    origin = get_origin(hint)
    if origin is Literal:
        return {"type": "string", "enum": [str(v) for v in get_args(hint)]}
    if origin in (list, tuple):
        return {"type": "array", "items": _json_type(get_args(hint)[0])}
    if origin in (types.UnionType, typing.Union):
        options = [a for a in get_args(hint) if a is not type(None)]
        return _json_type(options[0])
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if hint in simple:
        return {"type": simple[hint]}
    raise TypeError(f"skill parameters must be simple JSON types, not {hint!r}")
