"""Accounts for the web page and the API: a handle per user, bearer tokens stored hashed.

A token is 256 random bits, so one SHA-256 of it is enough to keep it safe at rest (a
slow password hash guards low-entropy secrets; this one cannot be guessed). Only the
hash and a short hint are stored; the token itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from os1.errors import InputError
from os1.memory.store import Store, now_iso

_PREFIX = "os1_"
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class Account:
    user_id: int
    handle: str


@dataclass(frozen=True)
class AccountRow:
    handle: str
    created_at: str
    tokens: int  # live (not revoked) tokens
    last_used_at: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def clean_handle(raw: str) -> str:
    """A handle: lowercase letters, digits, '.', '_' or '-', at most 32 characters."""
    handle = raw.strip().lower()
    if not _HANDLE.match(handle):
        raise InputError(
            f"{raw!r} cannot be a user name.",
            "Use up to 32 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        )
    return handle


class Accounts:
    """Users who may sign in, and their tokens."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _find(self, handle: str) -> int | None:
        rows = self._store.query("SELECT id FROM users WHERE handle = ?", (handle,))
        return int(rows[0]["id"]) if rows else None

    def _live_tokens(self, user_id: int) -> int:
        rows = self._store.query(
            "SELECT count(*) AS n FROM tokens WHERE user_id = ? AND revoked_at IS NULL",
            (user_id,),
        )
        return int(rows[0]["n"])

    def add(self, raw_handle: str) -> str:
        """Create a user (or give an existing local user web access); their first token."""
        handle = clean_handle(raw_handle)
        user_id = self._find(handle)
        if user_id is not None and self._live_tokens(user_id):
            raise InputError(
                f"There is already a user called {handle!r}.",
                f"For a new token run: os1 user token {handle}",
            )
        return self._issue(self._store.user_id(handle))

    def new_token(self, raw_handle: str) -> str:
        """Another token for an existing user (the old ones keep working until revoked)."""
        handle = clean_handle(raw_handle)
        user_id = self._find(handle)
        if user_id is None:
            raise InputError(f"There is no user called {handle!r}.", f"Run: os1 user add {handle}")
        return self._issue(user_id)

    def revoke(self, raw_handle: str) -> int:
        """Revoke every token of a user; how many were live. Their memories stay."""
        handle = clean_handle(raw_handle)
        user_id = self._find(handle)
        if user_id is None:
            raise InputError(f"There is no user called {handle!r}.", "See: os1 user list")
        live = self._live_tokens(user_id)
        with self._store.write() as db:
            db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                (now_iso(), user_id),
            )
        return live

    def _issue(self, user_id: int) -> str:
        token = _PREFIX + secrets.token_urlsafe(32)
        with self._store.write() as db:
            db.execute(
                "INSERT INTO tokens (user_id, token_hash, hint, created_at) VALUES (?, ?, ?, ?)",
                (user_id, token_hash(token), token[: len(_PREFIX) + 4], now_iso()),
            )
        return token

    def authenticate(self, token: str) -> Account | None:
        """The account a token belongs to, or None (unknown, revoked, malformed)."""
        if not token.startswith(_PREFIX) or len(token) > 128:
            return None
        rows = self._store.query(
            "SELECT users.id AS id, users.handle AS handle, tokens.id AS token_id,"
            " tokens.last_used_at AS used FROM tokens JOIN users ON users.id = tokens.user_id"
            " WHERE tokens.token_hash = ? AND tokens.revoked_at IS NULL",
            (token_hash(token),),
        )
        if not rows:
            return None
        row = rows[0]
        stamp = now_iso()
        if (row["used"] or "")[:16] != stamp[:16]:  # at most one write a minute per token
            with self._store.write() as db:
                db.execute(
                    "UPDATE tokens SET last_used_at = ? WHERE id = ?", (stamp, row["token_id"])
                )
        return Account(int(row["id"]), str(row["handle"]))

    def listing(self) -> list[AccountRow]:
        rows = self._store.query(
            "SELECT users.handle AS handle, users.created_at AS created_at,"
            " sum(tokens.revoked_at IS NULL) AS live, max(tokens.last_used_at) AS used"
            " FROM users JOIN tokens ON tokens.user_id = users.id"
            " GROUP BY users.id ORDER BY users.handle"
        )
        return [
            AccountRow(r["handle"], r["created_at"], int(r["live"] or 0), r["used"]) for r in rows
        ]
