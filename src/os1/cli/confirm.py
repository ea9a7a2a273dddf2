"""A proposal the user answers at the terminal: their typed yes carries it out, anything
else declines it; either way the action is recorded and audited (skills.actions)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from os1.cli.lines import say

if TYPE_CHECKING:
    from os1.app import App
    from os1.skills.base import Proposal, Skill


def typed_yes(question: str) -> bool:
    """The user's explicit yes, typed (or piped in); anything else, or nothing, is a no."""
    print(question, end="", flush=True)
    answer = sys.stdin.readline()
    if not sys.stdin.isatty():
        print()
    return answer.strip().lower() in ("y", "yes")


async def ask_then_act(
    app: App, skill: Skill, proposal: Proposal, extras: dict[str, Any], question: str
) -> None:
    """Record the proposal, ask, then carry it out or decline it, and say what happened."""
    from os1.skills.actions import Actions
    from os1.skills.base import SkillContext

    memory = app.memory()
    context = SkillContext(app.settings, memory, app.mind, extras=extras)
    actions = Actions(app.store, memory.user_id)
    action = actions.propose(skill, proposal, None)
    yes = typed_yes(question)
    result = await actions.decide(action, yes, skill, context)
    say(result.text if yes else "Not sent.")
