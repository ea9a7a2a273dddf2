"""The user's mail as OS1 keeps it: sources, folders, messages, threads, in the one Store.

Threads are joined by Message-ID, In-Reply-To and References: a message that refers
to two threads joins them. Only parsed text is kept, never attachments.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from os1.mail.parse import Address, ParsedMail
from os1.memory.store import Store, now_iso

SourceKind = Literal["imap", "maildir", "mbox"]
FolderRole = Literal["inbox", "sent", "other"]


@dataclass
class FolderState:
    id: int
    name: str
    role: FolderRole
    uidvalidity: int | None
    uidnext: int | None
    highestmodseq: int | None
    last_uid: int


@dataclass(frozen=True)
class MailRow:
    id: int
    folder_id: int
    uid: int | None
    message_id: str
    thread_id: int
    sender: Address
    subject: str
    sent_at: str
    flags: tuple[str, ...]
    size: int
    body: str
    details: dict[str, Any]
    outgoing: bool
    labels: tuple[str, ...]
    reason: str
    role: str
    gone: bool = False

    def addresses(self, header: str) -> list[Address]:
        return [Address(a["name"], a["addr"]) for a in self.details.get(header, [])]

    @property
    def hidden(self) -> str:
        return str(self.details.get("hidden", ""))

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.details.get("headers", {}))

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return list(self.details.get("attachments", []))

    @property
    def links(self) -> list[tuple[str, str]]:
        return [(str(t), str(h)) for t, h in self.details.get("links", [])]

    @property
    def references(self) -> list[str]:
        refs = list(self.details.get("references", []))
        reply = self.details.get("in_reply_to", "")
        return [*refs, reply] if reply and reply not in refs else refs

    @property
    def seen(self) -> bool:
        return "\\Seen" in self.flags


def _row(r: sqlite3.Row) -> MailRow:
    return MailRow(
        id=r["id"],
        folder_id=r["folder_id"],
        uid=r["uid"],
        message_id=r["message_id"],
        thread_id=r["thread_id"],
        sender=Address(r["from_name"], r["from_addr"]),
        subject=r["subject"],
        sent_at=r["sent_at"],
        flags=tuple(json.loads(r["flags"])),
        size=r["size"],
        body=r["body"],
        details=json.loads(r["details"]),
        outgoing=bool(r["outgoing"]),
        labels=tuple(json.loads(r["labels"])),
        reason=r["reason"],
        role=r["role"],
        gone=bool(r["gone"]),
    )


_SELECT = (
    "SELECT m.*, f.role AS role FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id"
)


@dataclass
class Incoming:
    """One message to keep: parsed, with where it lives and its flags."""

    mail: ParsedMail
    uid: int | None = None
    flags: tuple[str, ...] = ()
    outgoing: bool = False
    ids: list[int] = field(default_factory=list)


class MailStore:
    """One user's mail in the shared SQLite store."""

    def __init__(self, store: Store, user_id: int) -> None:
        self.store = store
        self.user_id = user_id

    # -- sources and folders --------------------------------------------------------

    def source(self, kind: SourceKind, name: str) -> int:
        sql = "SELECT id FROM mail_sources WHERE user_id = ? AND kind = ? AND name = ?"
        if rows := self.store.query(sql, (self.user_id, kind, name)):
            return int(rows[0]["id"])
        with self.store.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO mail_sources (user_id, kind, name, created_at)"
                " VALUES (?, ?, ?, ?)",
                (self.user_id, kind, name, now_iso()),
            )
        return int(self.store.query(sql, (self.user_id, kind, name))[0]["id"])

    def folder(self, source_id: int, name: str, role: FolderRole = "inbox") -> FolderState:
        sql = "SELECT * FROM mail_folders WHERE source_id = ? AND name = ?"
        rows = self.store.query(sql, (source_id, name))
        if not rows:
            with self.store.write() as db:
                db.execute(
                    "INSERT OR IGNORE INTO mail_folders (source_id, name, role) VALUES (?, ?, ?)",
                    (source_id, name, role),
                )
            rows = self.store.query(sql, (source_id, name))
        r = rows[0]
        return FolderState(
            r["id"],
            name,
            r["role"],
            r["uidvalidity"],
            r["uidnext"],
            r["highestmodseq"],
            r["last_uid"],
        )

    def save_folder(self, state: FolderState) -> None:
        with self.store.write() as db:
            db.execute(
                "UPDATE mail_folders SET uidvalidity = ?, uidnext = ?, highestmodseq = ?,"
                " last_uid = ?, synced_at = ? WHERE id = ?",
                (
                    state.uidvalidity,
                    state.uidnext,
                    state.highestmodseq,
                    state.last_uid,
                    now_iso(),
                    state.id,
                ),
            )

    def reset_folder(self, state: FolderState) -> None:
        """The server renumbered the folder (new UIDVALIDITY): its old UIDs mean nothing."""
        with self.store.write() as db:
            db.execute("UPDATE mail_messages SET uid = NULL WHERE folder_id = ?", (state.id,))
        state.uidnext = state.highestmodseq = None
        state.last_uid = 0

    # -- adding ---------------------------------------------------------------------

    def add_many(self, folder_id: int, batch: Iterable[Incoming]) -> list[int]:
        """Keep a batch in one transaction; ids of the new ones (repeats are skipped,
        though a repeat found again by IMAP gets its new UID)."""
        added: list[int] = []
        with self.store.write() as db:
            for item in batch:
                new_id = self._add(db, folder_id, item)
                if new_id:
                    added.append(new_id)
                    item.ids.append(new_id)
        return added

    def _add(self, db: sqlite3.Connection, folder_id: int, item: Incoming) -> int:
        mail = item.mail
        found = db.execute(
            "SELECT id FROM mail_messages WHERE folder_id = ? AND digest = ?",
            (folder_id, mail.digest),
        ).fetchone()
        if found:
            db.execute(
                "UPDATE mail_messages SET uid = ?, flags = ?, gone = 0 WHERE id = ?",
                (item.uid, json.dumps(list(item.flags)), found["id"]),
            )
            return 0
        thread_id = self._thread(db, mail)
        cursor = db.execute(
            "INSERT INTO mail_messages (user_id, folder_id, uid, digest, message_id, thread_id,"
            " from_name, from_addr, subject, sent_at, flags, size, body, details, outgoing,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.user_id,
                folder_id,
                item.uid,
                mail.digest,
                mail.message_id,
                thread_id,
                mail.sender.name,
                mail.sender.addr,
                mail.subject,
                mail.sent_at,
                json.dumps(list(item.flags)),
                mail.size,
                mail.body,
                json.dumps(mail.details(), ensure_ascii=False),
                int(item.outgoing),
                now_iso(),
            ),
        )
        return int(cursor.lastrowid or 0)

    def _thread(self, db: sqlite3.Connection, mail: ParsedMail) -> int:
        ids = list(dict.fromkeys(i for i in [mail.message_id, *mail.references] if i))
        if mail.in_reply_to and mail.in_reply_to not in ids:
            ids.append(mail.in_reply_to)
        marks = ",".join("?" * len(ids))
        threads = (
            sorted(
                r[0]
                for r in db.execute(
                    f"SELECT DISTINCT thread_id FROM mail_ids WHERE user_id = ? AND message_id IN ({marks})",  # noqa: S608, E501
                    (self.user_id, *ids),
                )
            )
            if ids
            else []
        )
        if threads:
            target, others = int(threads[0]), threads[1:]
            for other in others:  # this message joins two threads: they become one
                db.execute("UPDATE mail_ids SET thread_id = ? WHERE thread_id = ?", (target, other))
                db.execute(
                    "UPDATE mail_messages SET thread_id = ? WHERE thread_id = ?", (target, other)
                )
                db.execute("DELETE FROM mail_threads WHERE id = ?", (other,))
        else:
            cursor = db.execute("INSERT INTO mail_threads (user_id) VALUES (?)", (self.user_id,))
            target = int(cursor.lastrowid or 0)
        db.executemany(
            "INSERT OR IGNORE INTO mail_ids (user_id, message_id, thread_id) VALUES (?, ?, ?)",
            [(self.user_id, i, target) for i in ids],
        )
        return target

    # -- changes from the server ----------------------------------------------------

    def known_uids(self, folder_id: int) -> dict[int, tuple[str, ...]]:
        rows = self.store.query(
            "SELECT uid, flags FROM mail_messages WHERE folder_id = ? AND uid IS NOT NULL"
            " AND gone = 0",
            (folder_id,),
        )
        return {int(r["uid"]): tuple(json.loads(r["flags"])) for r in rows}

    def set_flags(self, folder_id: int, flags: dict[int, tuple[str, ...]]) -> None:
        with self.store.write() as db:
            db.executemany(
                "UPDATE mail_messages SET flags = ? WHERE folder_id = ? AND uid = ?",
                [(json.dumps(list(f)), folder_id, uid) for uid, f in flags.items()],
            )

    def mark_gone(self, folder_id: int, uids: Iterable[int]) -> None:
        """Messages deleted on the server: hidden here, never silently dropped."""
        with self.store.write() as db:
            db.executemany(
                "UPDATE mail_messages SET gone = 1 WHERE folder_id = ? AND uid = ?",
                [(folder_id, uid) for uid in uids],
            )

    def add_flag(self, message_id: int, flag: str) -> None:
        row = self.get(message_id)
        if row is not None and flag not in row.flags:
            with self.store.write() as db:
                db.execute(
                    "UPDATE mail_messages SET flags = ? WHERE id = ?",
                    (json.dumps([*row.flags, flag]), message_id),
                )

    def set_triage(self, verdicts: Iterable[tuple[int, list[str], str]]) -> None:
        with self.store.write() as db:
            db.executemany(
                "UPDATE mail_messages SET labels = ?, reason = ? WHERE id = ?",
                [(json.dumps(labels), reason, i) for i, labels, reason in verdicts],
            )

    # -- reading --------------------------------------------------------------------

    def get(self, message_id: int) -> MailRow | None:
        rows = self.store.query(
            f"{_SELECT} WHERE m.id = ? AND m.user_id = ?", (message_id, self.user_id)
        )
        return _row(rows[0]) if rows else None

    def rows(self, ids: Iterable[int]) -> list[MailRow]:
        """The messages with these ids, in the order given (unknown ids left out)."""
        wanted = list(ids)
        found: dict[int, MailRow] = {}
        for start in range(0, len(wanted), 500):  # well under SQLite's bound-variable limit
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.store.query(
                f"{_SELECT} WHERE m.user_id = ? AND m.id IN ({marks})",
                (self.user_id, *chunk),
            )
            found.update((r["id"], _row(r)) for r in rows)
        return [found[i] for i in wanted if i in found]

    def inbox(self, limit: int = 50, offset: int = 0) -> list[MailRow]:
        """Messages others sent the user, newest first (what triage looks at)."""
        rows = self.store.query(
            f"{_SELECT} WHERE m.user_id = ? AND m.gone = 0 AND m.outgoing = 0"
            " AND f.role != 'sent' ORDER BY m.sent_at DESC, m.id DESC LIMIT ? OFFSET ?",
            (self.user_id, limit, offset),
        )
        return [_row(r) for r in rows]

    def thread(self, thread_id: int) -> list[MailRow]:
        rows = self.store.query(
            f"{_SELECT} WHERE m.thread_id = ? AND m.user_id = ? AND m.gone = 0"
            " ORDER BY m.sent_at, m.id",
            (thread_id, self.user_id),
        )
        return [_row(r) for r in rows]

    def find(self, words: str, limit: int = 5) -> list[MailRow]:
        """Mail whose sender, subject or text match the words, newest first."""
        terms = [t for t in "".join(c if c.isalnum() else " " for c in words).split() if t]
        if not terms:
            return []
        return self._matching(" ".join(f'"{t}"*' for t in terms[:8]), limit)

    def from_sender(self, who: str, limit: int = 5) -> list[MailRow]:
        """Mail from someone named or addressed like `who`, newest first."""
        query = _sender_query(who)
        return self._matching(query, limit) if query else []

    def _matching(self, query: str, limit: int) -> list[MailRow]:
        """Received mail the full-text query matches, newest first."""
        rows = self.store.query(
            f"{_SELECT} JOIN mail_fts ON mail_fts.rowid = m.id WHERE mail_fts MATCH ?"
            " AND m.user_id = ? AND m.gone = 0 AND m.outgoing = 0"
            " ORDER BY m.sent_at DESC LIMIT ?",
            (query, self.user_id, limit),
        )
        return [_row(r) for r in rows]

    def written_to(self) -> set[str]:
        """Addresses the user has written to: people they correspond with."""
        rows = self.store.query(
            "SELECT details FROM mail_messages WHERE user_id = ? AND outgoing = 1"
            " ORDER BY id DESC LIMIT 2000",
            (self.user_id,),
        )
        found: set[str] = set()
        for r in rows:
            details = json.loads(r["details"])
            found.update(a["addr"] for a in details.get("to", []) + details.get("cc", []))
        return found

    def replied_after(self, thread_id: int, sent_at: str) -> bool:
        rows = self.store.query(
            "SELECT 1 FROM mail_messages WHERE thread_id = ? AND outgoing = 1 AND sent_at > ?"
            " LIMIT 1",
            (thread_id, sent_at),
        )
        return bool(rows)

    def own_writing(self, limit: int = 3) -> list[str]:
        """Bodies of the user's own recent emails: how they write."""
        rows = self.store.query(
            "SELECT body FROM mail_messages WHERE user_id = ? AND outgoing = 1 AND body != ''"
            " ORDER BY sent_at DESC LIMIT ?",
            (self.user_id, limit),
        )
        return [str(r["body"]) for r in rows]

    def count(self) -> int:
        rows = self.store.query(
            "SELECT count(*) AS n FROM mail_messages WHERE user_id = ? AND gone = 0",
            (self.user_id,),
        )
        return int(rows[0]["n"])

    def summary(self, thread_id: int) -> tuple[str, int]:
        rows = self.store.query(
            "SELECT summary, summary_upto FROM mail_threads WHERE id = ?", (thread_id,)
        )
        if not rows:
            return "", 0
        return str(rows[0]["summary"]), int(rows[0]["summary_upto"])

    def save_summary(self, thread_id: int, text: str, upto: int) -> None:
        with self.store.write() as db:
            db.execute(
                "UPDATE mail_threads SET summary = ?, summary_upto = ? WHERE id = ?",
                (text, upto, thread_id),
            )


def _sender_query(who: str) -> str:
    terms = [t for t in "".join(c if c.isalnum() else " " for c in who).split() if t][:4]
    if not terms:
        return ""
    return " AND ".join(f'{{from_name from_addr}} : "{t}"*' for t in terms)
