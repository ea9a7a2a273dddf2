"""Forward-only migrations, from every earlier schema: data written under each survives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from os1.memory import Memory
from os1.memory.migrations import MIGRATIONS
from os1.memory.store import Store, _statements


@pytest.mark.parametrize("applied", range(1, len(MIGRATIONS)))
def test_upgrading_from_an_earlier_schema_keeps_everything(tmp_path: Path, applied: int) -> None:
    path = tmp_path / "os1.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    for name, sql in MIGRATIONS[:applied]:
        for statement in _statements(sql):
            db.execute(statement)
        db.execute("INSERT INTO schema_migrations VALUES (?, 'then')", (name,))
    db.execute("INSERT INTO users (handle, created_at) VALUES ('local', 'then')")
    db.execute("INSERT INTO threads (user_id, title, created_at) VALUES (1, 'main', 'then')")
    db.execute(
        "INSERT INTO messages (user_id, thread_id, role, content, created_at)"
        " VALUES (1, 1, 'user', 'My zebra is called Stripes.', '2024-01-01T00:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO facts (user_id, about, statement, valid_from)"
        " VALUES (1, 'user', 'I have a zebra.', '2024-01-01T00:00:00+00:00')"
    )
    db.close()

    store = Store(path)
    try:
        names = [r["name"] for r in store.query("SELECT name FROM schema_migrations ORDER BY name")]
        assert names == [name for name, _ in MIGRATIONS]
        memory = Memory(store, store.user_id("local"))
        hits = memory.recall.search("zebra")
        assert {(h.kind, h.text) for h in hits} == {
            ("message", "My zebra is called Stripes."),
            ("fact", "I have a zebra."),
        }
        assert memory.recall.vectors.count_pending() == 2  # old memories get vectors too
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
    finally:
        store.close()
