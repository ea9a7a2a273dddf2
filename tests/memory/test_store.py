"""Store: migrations, transactions, two handles on one file, and errors that say the fix."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from os1.errors import StorageError
from os1.memory.migrations import MIGRATIONS
from os1.memory.store import Store, storage_error


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "data" / "os1.sqlite3")
    yield opened
    opened.close()


def _migrations(store: Store) -> list[str]:
    return [r["name"] for r in store.query("SELECT name FROM schema_migrations ORDER BY name")]


def test_opening_creates_the_directory_and_applies_migrations(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "os1.sqlite3"
    store = Store(path)
    try:
        assert path.is_file()
        assert _migrations(store) == [name for name, _ in MIGRATIONS]
        tables = {
            r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {"users", "threads", "messages", "facts", "memory_history"} <= tables
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"
        assert store.query("PRAGMA foreign_keys")[0][0] == 1
    finally:
        store.close()


def test_migrations_are_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "os1.sqlite3"
    first = Store(path)
    applied = [
        (r["name"], r["applied_at"])
        for r in first.query("SELECT name, applied_at FROM schema_migrations ORDER BY name")
    ]
    assert [name for name, _ in applied] == [name for name, _ in MIGRATIONS]
    first.user_id("a")
    first.close()
    again = Store(path)
    try:
        rows = again.query("SELECT name, applied_at FROM schema_migrations ORDER BY name")
        assert [(r["name"], r["applied_at"]) for r in rows] == applied
        assert again.user_id("a") == 1  # the data survived reopening
    finally:
        again.close()


def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "os1.sqlite3"
    one, two = Store(path), Store(path)
    try:
        assert len(_migrations(two)) == len(MIGRATIONS)
        a = one.user_id("a")
        assert two.user_id("a") == a
        b = two.user_id("b")
        assert one.user_id("b") == b != a
        assert len(one.query("SELECT * FROM users")) == 2
    finally:
        one.close()
        two.close()


def test_user_id_is_stable_and_distinct(store: Store) -> None:
    a = store.user_id("a")
    assert store.user_id("a") == a
    assert store.user_id("b") == a + 1
    assert store.user_id() == store.user_id("local")


def test_a_write_that_raises_rolls_back(store: Store) -> None:
    store.user_id("kept")
    with pytest.raises(RuntimeError, match="halfway"), store.write() as db:
        db.execute("INSERT INTO users (handle, created_at) VALUES ('lost', 'now')")
        raise RuntimeError("halfway")
    handles = [r["handle"] for r in store.query("SELECT handle FROM users")]
    assert handles == ["kept"]
    # The connection is usable afterwards: no transaction was left open.
    assert store.user_id("after") == 2


def test_a_failing_statement_rolls_back_the_whole_write(store: Store) -> None:
    with pytest.raises(StorageError), store.write() as db:
        db.execute("INSERT INTO users (handle, created_at) VALUES ('lost', 'now')")
        db.execute("INSERT INTO users (handle, created_at) VALUES ('lost', 'again')")  # UNIQUE
    assert store.query("SELECT count(*) AS n FROM users")[0]["n"] == 0


def test_query_errors_become_storage_errors(store: Store) -> None:
    with pytest.raises(StorageError) as caught:
        store.query("SELECT * FROM no_such_table")
    assert isinstance(caught.value.__cause__, sqlite3.Error)
    assert "could not be used" in str(caught.value)


def _can_write(directory: Path) -> bool:
    probe = directory / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return False
    probe.unlink()
    return True


def test_read_only_data_directory(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    try:
        if _can_write(home) or os.access(home, os.W_OK):
            pytest.skip("running as root: chmod cannot make a directory read-only")
        with pytest.raises(StorageError) as caught:
            Store(home / "os1.sqlite3")
        assert str(caught.value) == (
            f"OS1 cannot write to its data directory {home} (read-only). "
            "Make it writable, or set OS1_HOME to a folder you own."
        )
    finally:
        home.chmod(0o700)


def test_data_directory_that_is_a_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a directory")
    with pytest.raises(StorageError) as caught:
        Store(home / "os1.sqlite3")
    assert str(caught.value) == (
        f"OS1 cannot open its data directory {home}. "
        "Check that it exists and is writable, or set OS1_HOME."
    )


def test_a_path_that_contains_full_is_not_a_full_disk(tmp_path: Path) -> None:
    home = tmp_path / "fuller" / "os1"
    home.parent.mkdir()
    home.write_text("not a directory")
    with pytest.raises(StorageError) as caught:
        Store(home / "os1.sqlite3")
    assert "cannot open its data directory" in str(caught.value)


@pytest.mark.parametrize(
    ("sqlite_message", "says", "fix"),
    [
        (
            "database or disk is full",
            "The disk holding {home} is full; nothing new could be saved.",
            "Free some space and try again; what was stored before is safe.",
        ),
        (
            "attempt to write a readonly database",
            "OS1 cannot write to its data directory {home} (read-only).",
            "Make it writable, or set OS1_HOME to a folder you own.",
        ),
        (
            "database is locked",
            "Another OS1 process is busy writing to the same memory.",
            "Try again in a moment.",
        ),
        (
            "unable to open database file",
            "OS1 cannot open its data directory {home}.",
            "Check that it exists and is writable, or set OS1_HOME.",
        ),
    ],
)
def test_storage_error_messages(tmp_path: Path, sqlite_message: str, says: str, fix: str) -> None:
    where = tmp_path / "os1.sqlite3"
    error = storage_error(sqlite3.OperationalError(sqlite_message), where)
    assert isinstance(error, StorageError)
    assert error.message == says.format(home=tmp_path)
    assert error.hint == fix
    assert str(error) == f"{error.message} {fix}"


def test_storage_error_for_no_space_left(tmp_path: Path) -> None:
    error = storage_error(OSError(28, "No space left on device"), tmp_path / "os1.sqlite3")
    assert error.message.startswith("The disk holding")


def test_storage_error_for_anything_else_names_the_file(tmp_path: Path) -> None:
    where = tmp_path / "os1.sqlite3"
    error = storage_error(sqlite3.DatabaseError("file is not a database"), where)
    assert str(error) == f"OS1's memory file {where} could not be used (file is not a database)."


def test_a_corrupt_database_file_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "os1.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageError, match="could not be used"):
        Store(path)
