"""Proposals waiting for the user's yes, and carrying them out: each step audited."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from os1 import audit
from os1.errors import InputError, OS1Error
from os1.memory.store import Store, now_iso
from os1.skills.base import Proposal, Skill, SkillContext, SkillResult

_YES = re.compile(
    r"^\s*(yes|yeah|yep|yup|ok(ay)?|sure|please do|go ahead|do it|confirm(ed)?|approved?)\b"
    r"[\s!.,]*(please|thanks|thank you|go ahead|do it)?[\s!.]*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(no|nope|nah|don'?t|do not|cancel|stop|never ?mind|not now|leave it)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Pending:
    id: int
    skill: str
    summary: str
    payload: dict[str, Any]
    thread_id: int | None


def answer_to_proposal(text: str) -> bool | None:
    """True for a plain yes, False for a no, None for anything else."""
    if _YES.match(text):
        return True
    if _NO.match(text):
        return False
    return None


class Actions:
    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def propose(self, skill: Skill, proposal: Proposal, thread_id: int | None) -> int:
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO actions (user_id, thread_id, skill, summary, payload, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                (
                    self._user,
                    thread_id,
                    skill.name,
                    proposal.summary,
                    json.dumps(proposal.payload),
                    now_iso(),
                ),
            )
            action_id = int(cursor.lastrowid or 0)
        audit.record(
            self._store,
            self._user,
            f"{skill.name}.propose",
            f"action {action_id}",
            "waiting for the user",
        )
        return action_id

    def pending(self, thread_id: int | None = None) -> list[Pending]:
        rows = self._store.query(
            "SELECT * FROM actions WHERE user_id = ? AND status = 'pending'"
            " AND (? IS NULL OR thread_id = ?) ORDER BY id DESC",
            (self._user, thread_id, thread_id),
        )
        return [
            Pending(r["id"], r["skill"], r["summary"], json.loads(r["payload"]), r["thread_id"])
            for r in rows
        ]

    def get(self, action_id: int) -> Pending | None:
        return next((p for p in self.pending() if p.id == action_id), None)

    async def decide(
        self, action_id: int, yes: bool, skill: Skill, context: SkillContext
    ) -> SkillResult:
        """Carry out or decline a pending proposal; the outcome is audited either way."""
        pending = self.get(action_id)
        if pending is None:
            raise InputError(f"There is no pending action {action_id}.")
        if not yes:
            self._finish(pending, "declined", "declined by the user")
            return SkillResult("The user said no, so nothing was done.")
        assert skill.carry_out is not None
        try:
            result = await skill.carry_out(context, pending.payload)
        except OS1Error as exc:
            self._finish(pending, "failed", str(exc))
            raise
        self._finish(pending, "done", "carried out after the user's yes")
        return result

    def _finish(self, pending: Pending, status: str, outcome: str) -> None:
        with self._store.write() as db:
            db.execute(
                "UPDATE actions SET status = ?, outcome = ?, decided_at = ? WHERE id = ?",
                (status, outcome, now_iso(), pending.id),
            )
        audit.record(
            self._store, self._user, f"{pending.skill}.{status}", f"action {pending.id}", outcome
        )
