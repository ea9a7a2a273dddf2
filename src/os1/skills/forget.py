"""The forget skill: "forget what I told you about my ex" removes those memories, after a yes."""

from __future__ import annotations

from typing import Any

from os1.skills.base import Proposal, Risk, SkillContext, SkillResult, skill

_MOST = 12


async def _carry_out(context: SkillContext, payload: dict[str, Any]) -> SkillResult:
    cause = "the user said yes to forgetting it"
    forgotten = sum(context.memory.facts.forget(int(i), cause) for i in payload["facts"])
    forgotten += sum(context.memory.episodes.forget(int(i), cause) for i in payload["messages"])
    return SkillResult(f"{forgotten} memories are gone for good.")


@skill(
    "forget",
    Risk.ACT,
    triggers=(r"\bforget\b", r"\b(erase|delete|remove)\b.*\b(memor|what i (said|told))"),
    carry_out=_carry_out,
)
async def forget(context: SkillContext, *, about: str) -> SkillResult:
    """Forget, for good, what the user told you about something (asks them first)."""
    hits = context.memory.recall.search(about, limit=_MOST)
    if not hits:
        return SkillResult(f"There is nothing in your memory about {about!r}.")
    lines = "\n".join(f"- {' '.join(h.text.split())[:120]}" for h in hits)
    payload = {
        "facts": [h.id for h in hits if h.kind == "fact"],
        "messages": [h.id for h in hits if h.kind == "message"],
    }
    summary = f"Forget these {len(hits)} memories about {about!r} for good:\n{lines}"
    return SkillResult(
        f"You found {len(hits)} memories about {about!r}; nothing is forgotten yet.",
        Proposal(summary, payload),
    )
