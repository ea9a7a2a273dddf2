"""Facts: short statements about the user, the people in their life, their world, OS1.

Each fact keeps the turns it came from, a confidence, and a validity window; changes
are written to `memory_history` (before, after, cause), so nothing changes silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from os1.memory.reflections import mark_stale
from os1.memory.store import Store, inline_ids, now_iso, record_change

About = Literal["user", "person", "world", "os1"]
ABOUT_VALUES: tuple[About, ...] = ("user", "person", "world", "os1")


@dataclass(frozen=True)
class Fact:
    id: int
    about: About
    statement: str
    source_ids: tuple[int, ...]
    confidence: float
    importance: int
    valid_from: str
    valid_to: str | None = None

    @property
    def current(self) -> bool:
        return self.valid_to is None


def _fact(row: Any) -> Fact:
    return Fact(
        id=row["id"],
        about=row["about"],
        statement=row["statement"],
        source_ids=tuple(json.loads(row["source_ids"])),
        confidence=row["confidence"],
        importance=row["importance"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )


def normalised(statement: str) -> str:
    """What two phrasings of the same fact have in common, for spotting repeats."""
    return " ".join(re.findall(r"[a-z0-9]+", statement.lower()))


class Facts:
    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def current(self, limit: int = 500) -> list[Fact]:
        """Facts that hold now, most important and newest first."""
        rows = self._store.query(
            "SELECT * FROM facts WHERE user_id = ? AND valid_to IS NULL"
            " ORDER BY importance DESC, id DESC LIMIT ?",
            (self._user, limit),
        )
        return [_fact(r) for r in rows]

    def get(self, fact_id: int) -> Fact | None:
        rows = self._store.query(
            "SELECT * FROM facts WHERE id = ? AND user_id = ?", (fact_id, self._user)
        )
        return _fact(rows[0]) if rows else None

    def add(
        self,
        statement: str,
        about: About = "user",
        *,
        source_ids: tuple[int, ...] = (),
        confidence: float = 0.8,
        importance: int = 3,
        cause: str = "extracted from conversation",
    ) -> int | None:
        """Store a fact; a repeat of a current fact returns None and stores nothing."""
        statement = " ".join(statement.split())
        key = normalised(statement)
        if not key or any(normalised(f.statement) == key for f in self.current()):
            return None
        importance = max(1, min(5, importance))
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO facts (user_id, about, statement, source_ids, confidence,"
                " importance, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self._user,
                    about,
                    statement,
                    json.dumps(list(source_ids)),
                    confidence,
                    importance,
                    now_iso(),
                ),
            )
            fact_id = int(cursor.lastrowid or 0)
            self._history(db, fact_id, "add", None, statement, cause)
        return fact_id

    def supersede(
        self, fact_id: int, statement: str, cause: str, source_ids: tuple[int, ...] = ()
    ) -> int | None:
        """Replace a fact with a newer one; the old one ends, and stays as history.

        The new fact's sources are `source_ids` (the turn that corrected it), or the old
        one's when none are given (an edit)."""
        old = self.get(fact_id)
        if old is None or not old.current:
            return None
        statement = " ".join(statement.split())
        sources = list(source_ids or old.source_ids)
        with self._store.write() as db:
            stamp = now_iso()
            cursor = db.execute(
                "INSERT INTO facts (user_id, about, statement, source_ids, confidence,"
                " importance, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self._user,
                    old.about,
                    statement,
                    json.dumps(sources),
                    old.confidence,
                    old.importance,
                    stamp,
                ),
            )
            new_id = int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE facts SET valid_to = ?, superseded_by = ? WHERE id = ?",
                (stamp, new_id, fact_id),
            )
            self._history(db, fact_id, "supersede", old.statement, statement, cause)
        return new_id

    def forget(self, fact_id: int, cause: str) -> bool:
        """Remove a fact, its search row, and the recall notes that quoted it."""
        old = self.get(fact_id)
        if old is None:
            return False
        with self._store.write() as db:
            db.execute("UPDATE facts SET superseded_by = NULL WHERE superseded_by = ?", (fact_id,))
            db.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
            db.execute(
                "DELETE FROM messages WHERE user_id = ? AND role = 'context' AND EXISTS"
                " (SELECT 1 FROM json_each(messages.meta, '$.facts') WHERE value = ?)",
                (self._user, fact_id),
            )
            self._history(db, fact_id, "forget", None, None, cause)
            mark_stale(db, self._user, old.source_ids)
        return True

    def corrections(self, message_ids: list[int], fact_ids: list[int]) -> list[tuple[str, str]]:
        """(before, now) for current facts that replaced another and came from these turns
        or are these facts: what a reply must not get wrong any more."""
        if not message_ids and not fact_ids:
            return []
        rows = self._store.query(
            "SELECT old.statement AS before, new.statement AS now FROM facts new"
            " JOIN facts old ON old.superseded_by = new.id"
            " WHERE new.user_id = ? AND new.valid_to IS NULL AND (new.id IN"
            " (SELECT value FROM json_each(?)) OR EXISTS (SELECT 1 FROM json_each(new.source_ids)"
            " s WHERE s.value IN (SELECT value FROM json_each(?)))) ORDER BY new.id",
            (self._user, json.dumps(fact_ids), json.dumps(message_ids)),
        )
        return [(r["before"], r["now"]) for r in rows]

    def outdated(self, message_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        """Turns whose every fact has been corrected since: for each, (before, now) per
        fact, `now` being what holds today. A recalled "My sister lives in Porto." must
        come with what replaced it, which rarely shares its words ("She moved to Lisbon")."""
        if not message_ids:
            return {}
        turns = inline_ids(message_ids)
        rows = self._store.query(
            "SELECT s.value AS turn, f.statement, f.valid_to, f.superseded_by FROM facts f,"  # noqa: S608
            f" json_each(f.source_ids) s WHERE f.user_id = ? AND s.value IN ({turns})"
            " ORDER BY f.id",
            (self._user,),
        )
        found: dict[int, list[tuple[str, str]]] = {}
        still_true: set[int] = set()
        for row in rows:
            now = self._now_of(row["superseded_by"]) if row["valid_to"] else None
            if now is None:
                still_true.add(row["turn"])
            else:
                found.setdefault(row["turn"], []).append((row["statement"], now.statement))
        return {turn: pairs for turn, pairs in found.items() if turn not in still_true}

    def _now_of(self, fact_id: int | None) -> Fact | None:
        """The fact that holds today at the end of a chain of corrections, if any."""
        for _ in range(100):
            if fact_id is None:
                return None
            rows = self._store.query(
                "SELECT valid_to, superseded_by FROM facts WHERE id = ? AND user_id = ?",
                (fact_id, self._user),
            )
            if not rows:
                return None
            if rows[0]["valid_to"] is None:
                return self.get(fact_id)
            fact_id = rows[0]["superseded_by"]
        return None

    def history(self, fact_id: int) -> list[tuple[Fact, list[tuple[str, str, str | None, str]]]]:
        """The fact and every earlier version it superseded, newest first, each with its
        changes (when, action, text after, cause)."""
        chain: list[tuple[Fact, list[tuple[str, str, str | None, str]]]] = []
        current = self.get(fact_id)
        while current is not None and len(chain) < 100:
            rows = self._store.query(
                "SELECT created_at, action, after, cause FROM memory_history"
                " WHERE user_id = ? AND item_kind = 'fact' AND item_id = ? ORDER BY id",
                (self._user, current.id),
            )
            changes = [(r["created_at"], r["action"], r["after"], r["cause"]) for r in rows]
            chain.append((current, changes))
            earlier = self._store.query(
                "SELECT id FROM facts WHERE user_id = ? AND superseded_by = ?",
                (self._user, current.id),
            )
            current = self.get(int(earlier[0]["id"])) if earlier else None
        return chain

    def _history(
        self, db: Any, fact_id: int, action: str, before: str | None, after: str | None, cause: str
    ) -> None:
        record_change(db, self._user, "fact", fact_id, action, before, after, cause)
