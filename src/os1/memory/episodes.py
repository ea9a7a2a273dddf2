"""Episodes: every turn of every conversation, with time and speaker."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from os1.memory.reflections import mark_stale
from os1.memory.store import Store, inline_ids, now_iso, record_change

StoredRole = Literal["user", "assistant", "context"]


@dataclass(frozen=True)
class Episode:
    id: int
    thread_id: int
    role: StoredRole
    content: str
    created_at: str
    interrupted: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    speaker: str = ""  # who said it, for imported conversations
    source_id: str = ""  # its id where it came from (an imported turn's own id)


def _episode(row: Any) -> Episode:
    return Episode(
        id=row["id"],
        thread_id=row["thread_id"],
        role=row["role"],
        content=row["content"],
        created_at=row["created_at"],
        interrupted=bool(row["interrupted"]),
        meta=json.loads(row["meta"] or "{}"),
        speaker=row["speaker"] or "",
        source_id=row["source_id"] or "",
    )


class Episodes:
    """One user's turns, grouped in threads."""

    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def thread(self, title: str = "main") -> int:
        """The id of the user's thread called `title`, created on first use."""
        sql = "SELECT id FROM threads WHERE user_id = ? AND title = ?"
        rows = self._store.query(sql, (self._user, title))
        if rows:
            return int(rows[0]["id"])
        with self._store.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO threads (user_id, title, created_at) VALUES (?, ?, ?)",
                (self._user, title, now_iso()),
            )
        return int(self._store.query(sql, (self._user, title))[0]["id"])

    def add(
        self,
        thread_id: int,
        role: StoredRole,
        content: str,
        *,
        interrupted: bool = False,
        meta: dict[str, Any] | None = None,
    ) -> int:
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO messages (user_id, thread_id, role, content, created_at, interrupted,"
                " meta) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    self._user,
                    thread_id,
                    role,
                    content,
                    now_iso(),
                    int(interrupted),
                    json.dumps(meta or {}),
                ),
            )
            return int(cursor.lastrowid or 0)

    def mark_heard(self, message_id: int, heard: str) -> None:
        """A reply was cut off: keep `heard` (what the user actually heard) as its content,
        mark it interrupted, and keep the full written text in meta["written"]."""
        episode = self.get(message_id)
        if episode is None or episode.role != "assistant":
            return
        meta = dict(episode.meta)
        meta.setdefault("written", episode.content)
        with self._store.write() as db:
            db.execute(
                "UPDATE messages SET content = ?, interrupted = 1, meta = ? WHERE id = ?",
                (heard, json.dumps(meta), message_id),
            )

    def get(self, message_id: int) -> Episode | None:
        rows = self._store.query(
            "SELECT * FROM messages WHERE id = ? AND user_id = ?", (message_id, self._user)
        )
        return _episode(rows[0]) if rows else None

    def recent(self, thread_id: int, limit: int = 40, after_id: int = 0) -> list[Episode]:
        """The thread's last `limit` rows after `after_id`, oldest first."""
        rows = self._store.query(
            "SELECT * FROM messages WHERE thread_id = ? AND user_id = ? AND id > ?"
            " ORDER BY id DESC LIMIT ?",
            (thread_id, self._user, after_id, limit),
        )
        return [_episode(r) for r in reversed(rows)]

    def listing(self, limit: int = 50, offset: int = 0) -> list[Episode]:
        """The user's spoken turns (not recall notes), newest first."""
        rows = self._store.query(
            "SELECT * FROM messages WHERE user_id = ? AND role != 'context'"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (self._user, limit, offset),
        )
        return [_episode(r) for r in rows]

    def count(self) -> int:
        rows = self._store.query(
            "SELECT count(*) AS n FROM messages WHERE user_id = ? AND role != 'context'",
            (self._user,),
        )
        return int(rows[0]["n"])

    def forget(self, message_id: int, cause: str) -> bool:
        """Remove one turn (and its search row); the removal itself is recorded."""
        episode = self.get(message_id)
        if episode is None:
            return False
        with self._store.write() as db:
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))
            db.execute(
                "DELETE FROM messages WHERE user_id = ? AND role = 'context' AND EXISTS"
                " (SELECT 1 FROM json_each(messages.meta, '$.messages') WHERE value = ?)",
                (self._user, message_id),
            )
            record_change(
                db, self._user, "message", message_id, "forget", f"[{episode.role}]", None, cause
            )
            mark_stale(db, self._user, [message_id])
        return True

    def import_turns(self, thread_id: int, turns: list[ImportedTurn]) -> list[int]:
        """Store turns from elsewhere in one transaction: all of them, or none."""
        with self._store.write() as db:
            ids = []
            for turn in turns:
                cursor = db.execute(
                    "INSERT INTO messages (user_id, thread_id, role, content, created_at, speaker,"
                    " source_id) VALUES (?, ?, 'user', ?, ?, ?, ?)",
                    (self._user, thread_id, turn.text, turn.at, turn.speaker, turn.source_id),
                )
                ids.append(int(cursor.lastrowid or 0))
        return ids

    def by_source(self, source_id: str) -> list[Episode]:
        rows = self._store.query(
            "SELECT * FROM messages WHERE user_id = ? AND source_id = ? ORDER BY id",
            (self._user, source_id),
        )
        return [_episode(r) for r in rows]

    def since(self, after_id: int, limit: int) -> list[Episode]:
        """Spoken turns after `after_id`, oldest first (what reflection has not yet seen)."""
        rows = self._store.query(
            "SELECT * FROM messages WHERE user_id = ? AND id > ? AND role != 'context'"
            " ORDER BY id LIMIT ?",
            (self._user, after_id, limit),
        )
        return [_episode(r) for r in rows]

    def many(self, ids: list[int]) -> list[Episode]:
        rows = self._store.query(
            f"SELECT * FROM messages WHERE id IN ({inline_ids(ids)})"  # noqa: S608
            " AND +user_id = ? ORDER BY id",
            (self._user,),
        )
        return [_episode(r) for r in rows]


@dataclass(frozen=True)
class ImportedTurn:
    text: str
    at: str  # ISO 8601, UTC
    speaker: str
    source_id: str
