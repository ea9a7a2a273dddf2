"""The SQLite record: WAL, foreign keys, named migrations, errors that say the fix.

SQLite's own failures (read-only directory, full disk, another process holding a
write lock too long) are translated here, once, into `StorageError`s; a failed write
rolls back, so nothing already stored is ever lost.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from os1.errors import StorageError
from os1.memory.migrations import MIGRATIONS

LOCAL_USER = "local"


def now_iso() -> str:
    """Timestamps are stored in UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


_READ_ONLY, _FULL, _BUSY, _IO, _CANT_OPEN = "read-only", "full", "busy", "io", "cannot open"
# SQLite's primary result codes (https://sqlite.org/rescode.html) and errno values.
_SQLITE_KINDS = {
    3: _READ_ONLY,
    8: _READ_ONLY,
    13: _FULL,
    5: _BUSY,
    6: _BUSY,
    10: _IO,
    14: _CANT_OPEN,
}
_ERRNO_KINDS = {
    errno.EROFS: _READ_ONLY,
    errno.EACCES: _READ_ONLY,
    errno.EPERM: _READ_ONLY,
    errno.ENOSPC: _FULL,
    errno.EDQUOT: _FULL,
    errno.EFBIG: _FULL,
}


def inline_ids(ids: Iterable[int]) -> str:
    """Our own integer ids as an SQL list to inline (`id IN (...)`): SQLite then looks
    each one up by its key, where `IN (SELECT value FROM json_each(?))` can make it scan
    a whole table."""
    return ",".join(str(int(i)) for i in ids)


def _kind(exc: BaseException) -> str:
    """What went wrong, from the error's code (never from its text, which holds paths)."""
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int):
            return _SQLITE_KINDS.get(code & 0xFF, "")
        text = str(exc).lower()  # an error raised without a code: only SQLite's own words
        for marker, kind in (
            ("readonly", _READ_ONLY),
            ("full", _FULL),
            ("locked", _BUSY),
            ("disk i/o", _IO),
            ("unable to open", _CANT_OPEN),
        ):
            if marker in text:
                return kind
        return ""
    if isinstance(exc, OSError):
        return _ERRNO_KINDS.get(exc.errno or 0, _CANT_OPEN)
    return ""


def storage_error(exc: BaseException, where: Path) -> StorageError:
    """One translation of SQLite and OS failures into a message with the fix."""
    home = where.parent
    kind = _kind(exc)
    if kind == _CANT_OPEN and home.is_dir() and not os.access(home, os.W_OK):
        kind = _READ_ONLY
    if kind == _READ_ONLY:
        return StorageError(
            f"OS1 cannot write to its data directory {home} (read-only).",
            "Make it writable, or set OS1_HOME to a folder you own.",
        )
    if kind == _IO:
        return StorageError(
            f"OS1 could not write to its data directory {home}: the disk may be full or failing.",
            "Free some space and try again; what was stored before is safe.",
        )
    if kind == _FULL:
        return StorageError(
            f"The disk holding {home} is full; nothing new could be saved.",
            "Free some space and try again; what was stored before is safe.",
        )
    if kind == _BUSY:
        return StorageError(
            "Another OS1 process is busy writing to the same memory.",
            "Try again in a moment.",
        )
    if kind == _CANT_OPEN:
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
            # Personal data: only the user may read the directory and the database.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not path.exists():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
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

    def tuples(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Like `query`, as plain tuples: much cheaper for thousands of rows."""
        try:
            with self._lock:
                cursor = self._db.cursor()
                cursor.row_factory = None
                return cursor.execute(sql, params).fetchall()
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


def record_change(
    db: sqlite3.Connection,
    user_id: int,
    kind: str,
    item_id: int,
    action: str,
    before: str | None,
    after: str | None,
    cause: str,
) -> None:
    """Inside a write: one row of `memory_history` (before, after, and why)."""
    db.execute(
        "INSERT INTO memory_history (user_id, item_kind, item_id, action, before, after, cause,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, kind, item_id, action, before, after, cause, now_iso()),
    )


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
