"""Reflections: summaries and insights consolidated from episodes, and the core blocks.

A reflection keeps the turns it was drawn from. When one of them is forgotten, the
reflection is marked stale and derived again from what is left (or removed when
nothing is), so a forgotten thing does not live on in a summary.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from os1.memory.store import Store, now_iso, record_change

ReflectionKind = Literal["summary", "insight"]
CORE_LABELS = ("profile", "self", "relationship")


@dataclass(frozen=True)
class Reflection:
    id: int
    kind: ReflectionKind
    content: str
    source_ids: tuple[int, ...]
    first_at: str
    last_at: str
    stale: bool
    created_at: str


def _reflection(row: Any) -> Reflection:
    return Reflection(
        id=row["id"],
        kind=row["kind"],
        content=row["content"],
        source_ids=tuple(json.loads(row["source_ids"])),
        first_at=row["first_at"],
        last_at=row["last_at"],
        stale=bool(row["stale"]),
        created_at=row["created_at"],
    )


def mark_stale(db: sqlite3.Connection, user_id: int, message_ids: Iterable[int]) -> None:
    """Inside a write: reflections drawn from any of these turns must be derived again."""
    ids = json.dumps(sorted(set(message_ids)))
    db.execute(
        "UPDATE reflections SET stale = 1 WHERE user_id = ? AND EXISTS (SELECT 1 FROM"
        " json_each(reflections.source_ids) s WHERE s.value IN (SELECT value FROM json_each(?)))",
        (user_id, ids),
    )


class Reflections:
    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def add(
        self, kind: ReflectionKind, content: str, source_ids: list[int], span: tuple[str, str]
    ) -> int:
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO reflections (user_id, kind, content, source_ids, first_at, last_at,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self._user, kind, content, json.dumps(source_ids), *span, now_iso()),
            )
            reflection_id = int(cursor.lastrowid or 0)
            record_change(db, self._user, kind, reflection_id, "add", None, content, "reflection")
        return reflection_id

    def listing(self, limit: int = 50) -> list[Reflection]:
        rows = self._store.query(
            "SELECT * FROM reflections WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (self._user, limit),
        )
        return [_reflection(r) for r in rows]

    def get(self, reflection_id: int) -> Reflection | None:
        rows = self._store.query(
            "SELECT * FROM reflections WHERE id = ? AND user_id = ?", (reflection_id, self._user)
        )
        return _reflection(rows[0]) if rows else None

    def stale(self) -> list[Reflection]:
        rows = self._store.query(
            "SELECT * FROM reflections WHERE user_id = ? AND stale = 1 ORDER BY id", (self._user,)
        )
        return [_reflection(r) for r in rows]

    def rederive(
        self,
        reflection: Reflection,
        content: str | None,
        source_ids: list[int],
        cause: str = "a memory it was drawn from was forgotten",
    ) -> None:
        """Replace a stale reflection with one drawn from what is left (None: remove it)."""
        with self._store.write() as db:
            if content is None:
                db.execute("DELETE FROM reflections WHERE id = ?", (reflection.id,))
                action, after = "forget", None
            else:
                db.execute(
                    "UPDATE reflections SET content = ?, source_ids = ?, stale = 0 WHERE id = ?",
                    (content, json.dumps(source_ids), reflection.id),
                )
                action, after = "rederive", content
            record_change(
                db,
                self._user,
                reflection.kind,
                reflection.id,
                action,
                None,  # the old text held something the user asked to forget
                after,
                cause,
            )

    def reflected_up_to(self) -> int:
        """The newest turn any summary was drawn from (0 before the first reflection)."""
        rows = self._store.query(
            "SELECT max(s.value) AS last FROM reflections r, json_each(r.source_ids) s"
            " WHERE r.user_id = ? AND r.kind = 'summary'",
            (self._user,),
        )
        return int(rows[0]["last"] or 0)

    # -- core blocks: small labelled texts always in the prompt -------------------------

    def core(self, label: str) -> str:
        rows = self._store.query(
            "SELECT content FROM core_blocks WHERE user_id = ? AND label = ?", (self._user, label)
        )
        return str(rows[0]["content"]) if rows else ""

    def set_core(self, label: str, content: str, cause: str) -> None:
        before = self.core(label)
        if before == content:
            return
        with self._store.write() as db:
            db.execute(
                "INSERT INTO core_blocks (user_id, label, content, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id, label) DO UPDATE SET content = excluded.content,"
                " updated_at = excluded.updated_at",
                (self._user, label, content, now_iso()),
            )
            index = CORE_LABELS.index(label) if label in CORE_LABELS else len(CORE_LABELS)
            record_change(
                db, self._user, "core_block", index, "set", before or None, content, cause
            )
