"""Proactive notes: what OS1 wants to say without being asked, held for the conversation.

Anything (mail triage today; reminders, other OSes later) adds a note with a key, so the
same news is never queued twice. Every interface shows the due ones between turns: the
terminal chat checks before each prompt and while the user is idle, and the web page
and the voice session can poll `due()` and call `deliver()`, which hands each note to
exactly one interface and writes it into the conversation as something OS1 said.
Notes wait while the user's quiet hours last.

A note may carry an `offer`: a READ skill and its arguments ("Shall I read it to
you?"); a plain yes to that note uses the skill (see Companion).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from os1.errors import ConfigError
from os1.memory.episodes import Episodes
from os1.memory.store import Store, now_iso

_QUIET = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Note:
    id: int
    key: str
    text: str
    offer: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """'22:00-07:00' as (start, end); a ConfigError that shows the format otherwise."""
    found = _QUIET.match(text)
    hint = 'Write them as "22:00-07:00" (24-hour clock), or leave them empty for none.'
    if not found:
        raise ConfigError(f"quiet_hours {text!r} is not a time range.", hint)
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ConfigError(f"quiet_hours {text!r} has an impossible time.", hint)
    return time(h1, m1), time(h2, m2)


def in_quiet_hours(now: datetime, quiet: str) -> bool:
    if not quiet:
        return False
    start, end = parse_quiet_hours(quiet)
    moment = now.time()
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # the range crosses midnight


def _note(row: Any) -> Note:
    return Note(row["id"], row["key"], row["text"], json.loads(row["offer"]), row["created_at"])


class ProactiveNotes:
    """One user's notes waiting to be said, and those already said."""

    def __init__(
        self,
        store: Store,
        user_id: int,
        quiet_hours: str = "",
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self._store = store
        self._user = user_id
        self._quiet = quiet_hours
        self._clock = clock

    def add(self, key: str, text: str, offer: dict[str, Any] | None = None) -> int | None:
        """Queue a note; None when a note with this key was queued before."""
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO proactive_notes (user_id, key, text, offer, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (self._user, key, text, json.dumps(offer or {}), now_iso()),
            )
            return int(cursor.lastrowid or 0) if cursor.rowcount else None

    def pending(self) -> list[Note]:
        """Notes not yet said, oldest first (quiet hours or not)."""
        rows = self._store.query(
            "SELECT * FROM proactive_notes WHERE user_id = ? AND delivered_at IS NULL ORDER BY id",
            (self._user,),
        )
        return [_note(r) for r in rows]

    def quiet_now(self) -> bool:
        return in_quiet_hours(self._clock(), self._quiet)

    def due(self) -> list[Note]:
        """Notes to say now: none during quiet hours."""
        return [] if self.quiet_now() else self.pending()

    def say_due(
        self, episodes: Episodes, thread: str, channel: str, say: Callable[[str], None]
    ) -> int:
        """Deliver every due note through one interface and `say` its text; how many."""
        said = 0
        for note in self.due():
            if self.deliver(note, episodes, thread, channel):
                say(note.text)
                said += 1
        return said

    def deliver(self, note: Note, episodes: Episodes, thread: str, channel: str) -> bool:
        """Claim a note for one interface and write it into the conversation.
        False when another interface said it first."""
        with self._store.write() as db:
            claimed = db.execute(
                "UPDATE proactive_notes SET delivered_at = ?, channel = ?"
                " WHERE id = ? AND user_id = ? AND delivered_at IS NULL",
                (now_iso(), channel, note.id, self._user),
            ).rowcount
        if not claimed:
            return False
        meta: dict[str, Any] = {"proactive": note.id}
        if note.offer:
            meta["offer"] = note.offer
        episodes.add(episodes.thread(thread), "assistant", note.text, meta=meta)
        return True
