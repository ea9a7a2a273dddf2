"""The tidy skills in conversation: "help me clean up my hard drive", and "undo the cleanup".

Both act on files, so both only propose: the scan runs and its plan is saved, shown
verbatim, and carried out only after the user's yes; every step is audited. OS1 is
told counts and sizes (never file names, which are data) to explain in its own voice.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from os1 import audit
from os1.errors import InputError
from os1.skills.base import Proposal, Risk, SkillContext, SkillResult, skill

_WHOLE_DRIVE = re.compile(
    r"^\s*(|/|~|~/|home|my home|hard ?drive|disk|drive|computer|laptop|files|everything)\s*$",
    re.IGNORECASE,
)


def folder_from_words(words: str) -> str:
    """A folder from what the user said: 'my hard drive' is their home, 'downloads' is
    ~/Downloads; an existing path is itself."""
    cleaned = re.sub(r"^(my|the)\s+", "", words.strip(), flags=re.IGNORECASE).strip(" .'\"")
    home = Path.home()
    if _WHOLE_DRIVE.match(cleaned):
        return str(home)
    direct = Path(cleaned).expanduser()
    if direct.is_dir():
        return str(direct)
    for child in home.iterdir() if home.is_dir() else []:
        if child.name.lower() == cleaned.lower() and child.is_dir():
            return str(child)
    raise InputError(f"There is no folder called {words!r}.", "Say which folder to tidy.")


def _plans(context: SkillContext) -> Any:
    from os1.skills.tidy.plan import Plans

    return Plans(context.settings.home)


async def _carry_out(context: SkillContext, payload: dict[str, Any]) -> SkillResult:
    from os1.skills.tidy.apply import Tidier
    from os1.skills.tidy.report import outcome_text

    plans = _plans(context)
    plan = plans.load(str(payload["plan"]))
    outcome = await asyncio.to_thread(Tidier(plans).apply, plan)
    audit.record(
        context.memory.store,
        context.memory.user_id,
        "tidy.moved",
        f"plan {plan.id}",
        f"{outcome.moved} moved to the trash, {len(outcome.left)} left in place",
    )
    return SkillResult(f"{outcome_text(outcome)} Tell the user it can all be undone.", data=outcome)


@skill(
    "tidy",
    Risk.ACT,
    triggers=(
        r"\b(clean|tidy|clear|sort)\s*(up|out)?\b.*\b(drive|disk|computer|laptop|files|folders?"
        r"|downloads|desktop|documents|pictures|photos|space|mess|clutter)",
        r"\bduplicates?\b.*\bfiles?\b|\bduplicate (files|photos|copies)\b",
        r"\b(free|make|running out of|low on)\b.*\b(disk|drive)?\s*space\b",
    ),
    carry_out=_carry_out,
)
async def tidy(context: SkillContext, *, folder: str = "my hard drive") -> SkillResult:
    """Clean up the hard drive or a folder: find duplicate files, junk and empty folders,
    and plan moving them to the trash (asks first; everything can be undone)."""
    from os1.skills.tidy.build import make_plan, scan_options
    from os1.skills.tidy.report import facts_for_model, proposal_text

    root = folder_from_words(folder)
    plan = await asyncio.to_thread(make_plan, root, scan_options(context.settings))
    if not plan.actions:
        return SkillResult(facts_for_model(plan))
    _plans(context).save(plan)
    return SkillResult(
        facts_for_model(plan), Proposal(proposal_text(plan), {"plan": plan.id}), data=plan
    )


async def _undo(context: SkillContext, payload: dict[str, Any]) -> SkillResult:
    from os1.skills.tidy.apply import Tidier
    from os1.skills.tidy.report import outcome_text

    outcome = await asyncio.to_thread(Tidier(_plans(context)).undo, str(payload["plan"]))
    audit.record(
        context.memory.store,
        context.memory.user_id,
        "tidy.restored",
        f"plan {payload['plan']}",
        f"{outcome.restored} put back, {len(outcome.left)} could not be",
    )
    return SkillResult(outcome_text(outcome, undo=True), data=outcome)


@skill(
    "tidy_undo",
    Risk.ACT,
    triggers=(r"\b(undo|revert|put back|restore|bring back)\b.*\b(clean|tidy|files|trash|moved)",),
    carry_out=_undo,
)
async def tidy_undo(context: SkillContext) -> SkillResult:
    """Undo the last cleanup: put every file it moved to the trash back (asks first)."""
    from os1.skills.tidy.apply import Tidier, latest

    tidier = Tidier(_plans(context))
    plan_id = latest(tidier, lambda state: bool(state.in_trash))
    if not plan_id:
        return SkillResult("There is no cleanup to undo: nothing of yours is in OS1's trash.")
    count = len(tidier.state(plan_id).in_trash)
    return SkillResult(
        f"The last cleanup moved {count:,} items to the trash; they can all go back.",
        Proposal(
            f"Put back the {count:,} items cleanup {plan_id} moved to the trash.", {"plan": plan_id}
        ),
    )
