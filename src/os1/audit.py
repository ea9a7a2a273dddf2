"""The audit log: every action that sends, deletes, moves or spends, and its outcome."""

from __future__ import annotations

from os1.memory.store import Store, now_iso


def record(store: Store, user_id: int | None, action: str, detail: str, outcome: str) -> None:
    """Write one audit entry; `detail` names things (ids, paths), never personal content."""
    with store.write() as db:
        db.execute(
            "INSERT INTO audit_log (user_id, action, detail, outcome, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (user_id, action, detail, outcome, now_iso()),
        )


def entries(store: Store, user_id: int, limit: int = 100) -> list[tuple[str, str, str, str]]:
    rows = store.query(
        "SELECT created_at, action, detail, outcome FROM audit_log WHERE user_id = ?"
        " ORDER BY id DESC LIMIT ?",
        (user_id, limit),
    )
    return [(r["created_at"], r["action"], r["detail"], r["outcome"]) for r in rows]
