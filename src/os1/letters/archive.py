"""The letter archive: clients, the people they write to, and years of letters between them.

Letters come in from a folder of plain-text or Markdown files (one letter a file) and go
out to one the same way, so an export imported again gives back the same archive.
Identical letters are recognised by a digest of who, when and what, so nothing doubles.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from os1.errors import InputError, StorageError
from os1.letters.parse import ParsedLetter, parse_letter, to_file
from os1.letters.text import MAX_LETTER_CHARS, LetterError, clean_letter, decode_letter
from os1.memory.store import Store, now_iso

SUFFIXES = (".txt", ".md", ".markdown", ".text")
_MAX_FILE_BYTES = 4 * MAX_LETTER_CHARS + 4096  # UTF-8 takes at most 4 bytes a character


@dataclass(frozen=True)
class Letter:
    id: int
    sender: str
    recipient: str
    written_on: str
    title: str
    body: str
    kind: str

    @property
    def heading(self) -> str:
        """What a contents page calls it."""
        if self.title:
            return self.title
        who = f"{self.sender or 'Someone'} to {self.recipient or 'someone'}"
        return f"{who}, {self.written_on}" if self.written_on else who

    def parsed(self) -> ParsedLetter:
        return ParsedLetter(self.sender, self.recipient, self.written_on, self.title, self.body)


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    already: int = 0
    problems: list[str] = field(default_factory=list)  # one line per file left out


def _digest(letter: ParsedLetter) -> str:
    key = "\x1f".join(
        (letter.sender.casefold(), letter.recipient.casefold(), letter.written_on, letter.body)
    )
    return hashlib.sha256(key.encode()).hexdigest()


class LetterArchive:
    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def _person(self, db: sqlite3.Connection, name: str) -> int | None:
        if not name:
            return None
        db.execute(
            "INSERT OR IGNORE INTO letter_people (user_id, name) VALUES (?, ?)", (self._user, name)
        )
        row = db.execute(
            "SELECT id FROM letter_people WHERE user_id = ? AND name = ?", (self._user, name)
        ).fetchone()
        return int(row[0])

    def add(self, letter: ParsedLetter, kind: str = "archive", source: str = "") -> int | None:
        """Keep a letter; its id, or None if the archive already has it."""
        digest = _digest(letter)
        with self._store.write() as db:
            if db.execute(
                "SELECT 1 FROM letters WHERE user_id = ? AND digest = ?", (self._user, digest)
            ).fetchone():
                return None
            cursor = db.execute(
                "INSERT INTO letters (user_id, sender_id, recipient_id, title, written_on, body,"
                " kind, source, digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self._user, self._person(db, letter.sender), self._person(db, letter.recipient),
                 letter.title, letter.written_on, letter.body, kind, source, digest, now_iso()),
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def letters(self, kind: str = "archive", letter_id: int = 0) -> list[Letter]:
        """Letters of one kind ('' for all), or the one with this id, oldest first."""
        rows = self._store.query(
            "SELECT l.*, s.name AS sender, r.name AS recipient FROM letters l"
            " LEFT JOIN letter_people s ON s.id = l.sender_id"
            " LEFT JOIN letter_people r ON r.id = l.recipient_id"
            " WHERE l.user_id = ? AND (? = '' OR l.kind = ?) AND (? = 0 OR l.id = ?)"
            " ORDER BY l.written_on, l.id",
            (self._user, kind, kind, letter_id, letter_id),
        )
        return [
            Letter(r["id"], r["sender"] or "", r["recipient"] or "", r["written_on"], r["title"],
                   r["body"], r["kind"])
            for r in rows
        ]  # fmt: skip

    def get(self, letter_id: int) -> Letter:
        found = self.letters("", letter_id)
        if not found:
            raise InputError(
                f"There is no letter {letter_id}.", "`os1 letters list` shows their numbers."
            )
        return found[0]

    def between(self, client: str, recipient: str) -> list[Letter]:
        """Every letter between two people, either way, oldest first."""
        names = (client.casefold(), recipient.casefold())
        return [
            letter
            for letter in self.letters()
            if {letter.sender.casefold(), letter.recipient.casefold()} == set(names)
        ]

    def people(self) -> list[str]:
        rows = self._store.query(
            "SELECT name FROM letter_people WHERE user_id = ? ORDER BY name", (self._user,)
        )
        return [r["name"] for r in rows]

    def import_dir(
        self, folder: Path, progress: Callable[[int, int], None] | None = None
    ) -> ImportReport:
        """Bring in every letter file in a folder (and its subfolders)."""
        if not folder.is_dir():
            raise InputError(
                f"{folder} is not a folder.", "Give the folder that holds the letters."
            )
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(
                f"{folder} has no letters in it.",
                f"Put one letter in each {', '.join(SUFFIXES[:2])} file there.",
            )
        report = ImportReport()
        for done, path in enumerate(files, 1):
            self._import_file(path, folder, report)
            if progress:
                progress(done, len(files))
        return report

    def _import_file(self, path: Path, folder: Path, report: ImportReport) -> None:
        name = str(path.relative_to(folder))
        try:
            if path.stat().st_size > _MAX_FILE_BYTES:
                raise LetterError(
                    f"{name} is too big for a letter ({path.stat().st_size:,} bytes).",
                    "Split it into several letters.",
                )
            text = clean_letter(decode_letter(path.read_bytes(), name), name)
        except LetterError as exc:
            report.problems.append(str(exc))
            return
        except OSError as exc:
            report.problems.append(f"Cannot read {name}: {exc.strerror}.")
            return
        letter = parse_letter(text, path.name)
        added = self.add(letter, source=name)
        if added is None:
            report.already += 1
        else:
            report.added.append(added)

    def export_dir(self, folder: Path) -> int:
        """Every archived letter as a Markdown file with front matter; how many."""
        letters = self.letters()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for letter in letters:
                stem = "-".join(filter(None, (letter.written_on, _slug(letter.sender),
                                               _slug(letter.recipient))))  # fmt: skip
                path = folder / f"{letter.id:04d}-{stem or 'letter'}.md"
                path.write_text(to_file(letter.parsed()), encoding="utf-8")
        except OSError as exc:
            raise StorageError(f"Cannot write the letters to {folder}: {exc.strerror}.") from exc
        return len(letters)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30]
