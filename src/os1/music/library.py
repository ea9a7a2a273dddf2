"""The pieces OS1 has written: each kept as the memory of a moment (what it was about,
when, the mood, the choices, the MIDI itself), found again by words ("the beach song")."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from os1.memory.recall import search_terms
from os1.memory.store import Store, now_iso

# Words that ask for music rather than name a piece: "play the beach song again".
_ASKING = frozenset(
    {
        "play", "again", "song", "songs", "piece", "pieces", "music", "tune", "melody", "thing",
        "wrote", "written", "made", "composed", "one", "that", "this", "last", "latest",
        "newest", "recent", "me", "us", "our", "my", "your", "for", "listen", "hear", "put",
    }
)  # fmt: skip
_COLUMNS = (
    "id, kind, title, about, context, mood, plan, seed, lyrics, audio_path, seconds,"
    " created_at, played_at"
)


@dataclass(frozen=True)
class StoredPiece:
    id: int
    kind: str  # piano | song
    title: str
    about: str
    context: str
    mood: dict[str, Any]
    plan: dict[str, Any]
    seed: int
    lyrics: str
    audio_path: str
    seconds: float
    created_at: str
    played_at: str | None


def _piece(row: Any) -> StoredPiece:
    return StoredPiece(
        row["id"], row["kind"], row["title"], row["about"], row["context"],
        json.loads(row["mood"]), json.loads(row["plan"]), row["seed"], row["lyrics"],
        row["audio_path"], row["seconds"], row["created_at"], row["played_at"],
    )  # fmt: skip


class Pieces:
    """One user's pieces, in OS1's own store."""

    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def add(
        self,
        *,
        kind: str,
        title: str,
        about: str,
        seed: int,
        midi: bytes | None,
        context: str = "",
        mood: dict[str, Any] | None = None,
        plan: dict[str, Any] | None = None,
        lyrics: str = "",
        audio_path: str = "",
        seconds: float = 0.0,
    ) -> int:
        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO pieces (user_id, kind, title, about, context, mood, plan, seed,"
                " lyrics, midi, audio_path, seconds, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._user, kind, title, about, context, json.dumps(mood or {}),
                    json.dumps(plan or {}), seed, lyrics, midi, audio_path, seconds, now_iso(),
                ),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def get(self, piece_id: int) -> StoredPiece | None:
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM pieces WHERE id = ? AND user_id = ?",  # noqa: S608 (constant)
            (piece_id, self._user),
        )
        return _piece(rows[0]) if rows else None

    def midi(self, piece_id: int) -> bytes | None:
        rows = self._store.query(
            "SELECT midi FROM pieces WHERE id = ? AND user_id = ?", (piece_id, self._user)
        )
        return bytes(rows[0]["midi"]) if rows and rows[0]["midi"] is not None else None

    def recent(self, limit: int = 20) -> list[StoredPiece]:
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM pieces WHERE user_id = ? ORDER BY id DESC LIMIT ?",  # noqa: S608
            (self._user, limit),
        )
        return [_piece(r) for r in rows]

    def find(self, words: str) -> StoredPiece | None:
        """The piece the words point at: by number ('3', '#3'), by what it was about (its
        title first, then its description, its lyrics, the conversation around it), or,
        when they name nothing ('play that again'), the newest."""
        number = re.fullmatch(r"\s*#?(\d+)\s*", words)
        if number:
            return self.get(int(number.group(1)))
        terms = [t for t in search_terms(words) if t not in _ASKING]
        if not terms:
            newest = self.recent(1)
            return newest[0] if newest else None
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = self._store.query(
            f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))}"  # noqa: S608
            " FROM pieces_fts JOIN pieces p ON p.id = pieces_fts.rowid"
            " WHERE pieces_fts MATCH ? AND p.user_id = ?"
            " ORDER BY bm25(pieces_fts, 8, 4, 2, 1), p.id DESC LIMIT 1",
            (query, self._user),
        )
        return _piece(rows[0]) if rows else None

    def set_audio(self, piece_id: int, path: str, seconds: float) -> None:
        with self._store.write() as db:
            db.execute(
                "UPDATE pieces SET audio_path = ?, seconds = ? WHERE id = ? AND user_id = ?",
                (path, seconds, piece_id, self._user),
            )

    def set_lyrics(self, piece_id: int, lyrics: str, midi: bytes | None) -> None:
        with self._store.write() as db:
            db.execute(
                "UPDATE pieces SET lyrics = ?, midi = coalesce(?, midi)"
                " WHERE id = ? AND user_id = ?",
                (lyrics, midi, piece_id, self._user),
            )

    def played(self, piece_id: int) -> None:
        with self._store.write() as db:
            db.execute(
                "UPDATE pieces SET played_at = ? WHERE id = ? AND user_id = ?",
                (now_iso(), piece_id, self._user),
            )

    def forget(self, piece_id: int) -> bool:
        with self._store.write() as db:
            gone = db.execute(
                "DELETE FROM pieces WHERE id = ? AND user_id = ?", (piece_id, self._user)
            ).rowcount
        return bool(gone)
