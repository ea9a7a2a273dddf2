"""Documents read: stored whole as passages, keyword-searchable the moment they land."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from os1.memory.reading import Text, passages
from os1.memory.store import Store, now_iso, record_change


@dataclass(frozen=True)
class Document:
    id: int
    path: str
    title: str
    kind: str
    chars: int
    read_at: str
    passages: int = 0


@dataclass(frozen=True)
class Stored:
    document: Document
    seconds: float  # from the text in memory to searchable on disk
    unchanged: bool = False  # read before, with the same bytes: nothing was done


class Documents:
    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def store(self, text: Text) -> Stored:
        """Keep a document's text as passages, in one transaction; a changed file replaces
        the earlier reading of the same path."""
        started = time.perf_counter()
        digest = hashlib.sha256(text.data).hexdigest()
        path = str(text.path)
        old = self._store.query(
            "SELECT id, sha256 FROM documents WHERE user_id = ? AND path = ?", (self._user, path)
        )
        if old and old[0]["sha256"] == digest:
            found = self.get(int(old[0]["id"]))
            assert found is not None
            return Stored(found, time.perf_counter() - started, unchanged=True)
        pieces = passages(text.text)
        with self._store.write() as db:
            if old:
                db.execute("DELETE FROM passages WHERE document_id = ?", (old[0]["id"],))
                db.execute("DELETE FROM documents WHERE id = ?", (old[0]["id"],))
            cursor = db.execute(
                "INSERT INTO documents (user_id, path, title, kind, sha256, chars, read_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self._user, path, text.title, text.kind, digest, len(text.text), now_iso()),
            )
            document_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO passages (document_id, seq, text) VALUES (?, ?, ?)",
                [(document_id, seq, piece) for seq, piece in enumerate(pieces)],
            )
            db.execute(
                "INSERT INTO passages_fts (rowid, text) SELECT id, text FROM passages"
                " WHERE document_id = ? ORDER BY id",
                (document_id,),
            )
            record_change(
                db, self._user, "document", document_id, "read", None, text.title, "os1 read"
            )
        seconds = time.perf_counter() - started
        found = self.get(document_id)
        assert found is not None
        return Stored(found, seconds)

    def get(self, document_id: int) -> Document | None:
        rows = self._store.query(
            "SELECT d.*, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS n"
            " FROM documents d WHERE d.id = ? AND d.user_id = ?",
            (document_id, self._user),
        )
        return _document(rows[0]) if rows else None

    def listing(self, limit: int = 100) -> list[Document]:
        rows = self._store.query(
            "SELECT d.*, (SELECT count(*) FROM passages p WHERE p.document_id = d.id) AS n"
            " FROM documents d WHERE d.user_id = ? ORDER BY d.id DESC LIMIT ?",
            (self._user, limit),
        )
        return [_document(r) for r in rows]

    def forget(self, document_id: int, cause: str) -> bool:
        """Remove a document, its passages, their search rows and vectors."""
        found = self.get(document_id)
        if found is None:
            return False
        with self._store.write() as db:
            db.execute("DELETE FROM passages WHERE document_id = ?", (document_id,))
            db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
            record_change(
                db, self._user, "document", document_id, "forget", found.title, None, cause
            )
        return True


def _document(row: Any) -> Document:
    return Document(
        id=row["id"],
        path=row["path"],
        title=row["title"],
        kind=row["kind"],
        chars=row["chars"],
        read_at=row["read_at"],
        passages=row["n"],
    )
