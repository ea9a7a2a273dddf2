"""The SQLite record: WAL, foreign keys, named migrations, errors that say the fix.

SQLite's own failures (read-only directory, full disk, another process holding a
write lock too long) are translated here, once, into `StorageError`s; a failed write
rolls back, so nothing already stored is ever lost.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from os1.errors import StorageError
from os1.memory.migrations import MIGRATIONS

LOCAL_USER = "local"


def now_iso() -> str:
    """Timestamps are stored in UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def storage_error(exc: BaseException, where: Path) -> StorageError:
    """One translation of SQLite and OS failures into a message with the fix."""
    text = str(exc).lower()
    home = where.parent
    if "readonly" in text or "read-only" in text or "permission" in text:
        return StorageError(
            f"OS1 cannot write to its data directory {home} (read-only).",
            "Make it writable, or set OS1_HOME to a folder you own.",
        )
    if "full" in text or "no space" in text:
        return StorageError(
            f"The disk holding {home} is full; nothing new could be saved.",
            "Free some space and try again; what was stored before is safe.",
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            "Another OS1 process is busy writing to the same memory.",
            "Try again in a moment.",
        )
    if "unable to open" in text or isinstance(exc, OSError):
        return StorageError(
            f"OS1 cannot open its data directory {home}.",
            "Check that it exists and is writable, or set OS1_HOME.",
        )
    return StorageError(f"OS1's memory file {where} could not be used ({exc}).")


class Store:
    """One SQLite database; every other memory module talks to it through here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit, in write().
            self._db = sqlite3.connect(
                path, timeout=10.0, check_same_thread=False, isolation_level=None
            )
            self._lock = threading.RLock()
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise storage_error(exc, path) from exc

    def _migrate(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        with self.write() as db:  # a second process waits here, then finds them applied
            applied = {r[0] for r in db.execute("SELECT name FROM schema_migrations")}
            for name, sql in MIGRATIONS:
                if name in applied:
                    continue
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now_iso()))

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction that takes the write lock up front: all of it lands, or none."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise storage_error(exc, self.path) from exc
                raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise storage_error(exc, self.path) from exc

    def user_id(self, handle: str = LOCAL_USER) -> int:
        """The id of a user, created on first use."""
        rows = self.query("SELECT id FROM users WHERE handle = ?", (handle,))
        if rows:
            return int(rows[0]["id"])
        with self.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO users (handle, created_at) VALUES (?, ?)",
                (handle, now_iso()),
            )
        return int(self.query("SELECT id FROM users WHERE handle = ?", (handle,))[0]["id"])

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (a trigger's body holds semicolons too)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        yield pending.strip()
