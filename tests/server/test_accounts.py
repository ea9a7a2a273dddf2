"""Accounts: handles, tokens stored hashed, revocation; the `os1 user` command."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from os1.app import App
from os1.errors import InputError
from os1.server.accounts import Accounts, token_hash

OS1 = [sys.executable, "-m", "os1.cli.main"]


def test_a_token_names_its_user_and_only_its_hash_is_stored(app: App) -> None:
    accounts = Accounts(app.store)
    token = accounts.add("Theo")
    account = accounts.authenticate(token)
    assert account is not None and account.handle == "theo"
    assert account.user_id == app.store.user_id("theo")
    raw = app.settings.db_path.read_bytes()
    for wal in app.settings.home.glob("*.sqlite3-wal"):
        raw += wal.read_bytes()
    assert token.encode() not in raw
    assert token_hash(token).encode() in raw


def test_unknown_malformed_and_revoked_tokens_are_refused(app: App) -> None:
    accounts = Accounts(app.store)
    token = accounts.add("theo")
    second = accounts.new_token("theo")
    assert accounts.authenticate(second) is not None
    for bad in ("", "os1_", token[:-1], token + "x", "Bearer " + token, "x" * 5000):
        assert accounts.authenticate(bad) is None
    assert accounts.revoke("theo") == 2
    assert accounts.authenticate(token) is None
    assert accounts.authenticate(second) is None
    assert accounts.listing()[0].tokens == 0


def test_handles_are_checked_and_not_taken_twice(app: App) -> None:
    accounts = Accounts(app.store)
    accounts.add("ana")
    with pytest.raises(InputError, match="already a user called 'ana'"):
        accounts.add("ANA")
    for bad in ("", "a b", "../x", "-x", "x" * 33, "théo"):
        with pytest.raises(InputError, match="cannot be a user name"):
            accounts.add(bad)
    with pytest.raises(InputError, match="no user called 'bob'"):
        accounts.new_token("bob")


def test_the_local_terminal_user_can_get_web_access(app: App) -> None:
    app.memory()  # the terminal's user exists, without a token
    token = Accounts(app.store).add("local")
    account = Accounts(app.store).authenticate(token)
    assert account is not None and account.user_id == app.store.user_id()


def test_os1_user_add_prints_a_token_that_works(hermetic: Path) -> None:
    done = subprocess.run([*OS1, "user", "add", "theo"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert token.startswith("os1_") and len(token) > 40
    assert "shown only once" in done.stderr
    again = subprocess.run([*OS1, "user", "add", "theo"], capture_output=True, text=True)
    assert again.returncode == 2
    assert again.stderr.strip() == (
        "os1: There is already a user called 'theo'. For a new token run: os1 user token theo"
    )
    listing = subprocess.run([*OS1, "user", "list"], capture_output=True, text=True)
    assert listing.stdout.startswith("theo\t1 live token(s)")
    db = sqlite3.connect(hermetic / "os1.sqlite3")
    (stored,) = db.execute("SELECT token_hash FROM tokens").fetchone()
    assert stored == token_hash(token)
