"""The letter archive: import, who wrote to whom, no doubles, export and back, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.errors import InputError, StorageError
from os1.letters.parse import parse_letter
from os1.letters.service import LetterService
from os1.letters.text import MAX_LETTER_CHARS, LetterError, clean_letter


def test_import_knows_who_wrote_to_whom_and_when(letters: LetterService, archive_dir: Path) -> None:
    report = letters.archive.import_dir(archive_dir)
    assert len(report.added) == 10 and report.problems == [] and report.already == 0
    people = letters.archive.people()
    assert {"Roberta", "Chris", "Emma", "Grandpa Joe", "Maya", "Lena"} <= set(people)
    plain = next(x for x in letters.archive.letters() if x.written_on == "1975-12-24")
    assert (plain.sender, plain.recipient) == ("Chris", "Roberta")  # salutation and signature
    headed = next(x for x in letters.archive.letters() if x.written_on == "2003-07-30")
    assert (headed.sender, headed.recipient) == ("Grandpa Joe", "Emma")  # From:/To: lines
    assert len(letters.archive.between("roberta", "CHRIS")) == 4
    again = letters.archive.import_dir(archive_dir)
    assert again.added == [] and again.already == 10


def test_export_then_import_gives_back_the_same_archive(
    letters: LetterService, archive_dir: Path, tmp_path: Path, ready_app: object
) -> None:
    from os1.letters.archive import LetterArchive
    from os1.memory.store import Store

    letters.archive.import_dir(archive_dir)
    assert letters.archive.export_dir(tmp_path / "out") == 10
    other = LetterArchive(Store(tmp_path / "other.sqlite3"), 1)
    with pytest.raises(StorageError):  # no such user yet in a fresh store
        other.import_dir(tmp_path / "out")
    store = Store(tmp_path / "second.sqlite3")
    second = LetterArchive(store, store.user_id())
    assert len(second.import_dir(tmp_path / "out").added) == 10

    def key(x: object) -> tuple[str, ...]:
        return (x.sender, x.recipient, x.written_on, x.title, x.body)  # type: ignore[attr-defined]

    assert sorted(map(key, second.letters())) == sorted(map(key, letters.archive.letters()))


def test_bad_letter_files_are_left_out_each_with_a_clear_line(
    letters: LetterService, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("   \n\n")
    (folder / "huge.txt").write_text("word " * (MAX_LETTER_CHARS // 4))
    (folder / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04")
    (folder / "latin1.txt").write_bytes("Cher ami, à bientôt".encode("latin-1"))
    (folder / "hebrew.md").write_text("שלום חבר יקר,\nאני מתגעגע אליך.\nאוהב,\nדוד\n")
    (folder / "odd.txt").write_text("Dear Ann,\x07 I\u202e miss you.\r\nLove,\r\nBea\n")
    report = letters.archive.import_dir(folder)
    problems = "\n".join(report.problems)
    assert "empty.txt is empty. Write something in it, or leave it out." in problems
    assert "huge.txt is 124,999 characters long; a letter may have at most 100,000" in problems
    assert "binary.txt is not a text file." in problems
    assert "latin1.txt is not UTF-8 text. Save it as UTF-8" in problems
    assert len(report.added) == 2  # right-to-left letters are kept in the archive
    odd = next(x for x in letters.archive.letters() if x.sender == "Bea")
    assert odd.body == "Dear Ann, I miss you.\nLove,\nBea" and odd.recipient == "Ann"
    with pytest.raises(InputError, match="is not a folder"):
        letters.archive.import_dir(folder / "empty.txt")
    with pytest.raises(InputError, match="has no letters in it"):
        letters.archive.import_dir(tmp_path / "home")


def test_parsing_front_matter_headings_and_signatures() -> None:
    parsed = parse_letter(
        "# A title\n\nMy dearest Sam,\n\nHello.\n\nWith love,\nAnn", "2020-01-02.md"
    )
    assert (parsed.title, parsed.recipient, parsed.sender, parsed.written_on) == (
        "A title", "Sam", "Ann", "2020-01-02")  # fmt: skip
    with pytest.raises(LetterError, match="is empty"):
        clean_letter("\u202e\u200b\n")
