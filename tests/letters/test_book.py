"""The book: OS1's selection with reasons, the PDF (title page, contents, letters, fonts
embedded) and the EPUB (structure, and epubcheck where installed), through the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

from os1.letters.epub import epub_problems
from os1.letters.service import LetterService
from tests.cli.conftest import Run


def _text(pdf: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_done_when_import_ten_letters_then_build_the_book(
    os1: Run, archive_dir: Path, tmp_path: Path, hermetic: Path
) -> None:
    imported = os1("letters", "import", str(archive_dir))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 10 letters (0 already in the archive, 0 left out)." in imported.stdout
    out = tmp_path / "book.pdf"
    built = os1("book", "build", "--out", str(out), "--yes")
    assert built.returncode == 0, built.stderr
    assert "OS1 chose 7 of 10 letters" in built.stderr
    assert (
        "+    1  The steps of the old library: particular memories (Dover Street)" in built.stderr
    )
    assert "and " + str(out.with_suffix(".epub")) in built.stdout
    pages = _text(out)
    assert "Letters from Your Life" in pages[0] and "Letters written by" not in pages[0]
    assert pages[1].startswith("Contents")
    chosen = json.loads((hermetic / "book" / "last.json").read_text())["letters"]
    assert len(chosen) == 7 and all(item["reasons"] for item in chosen)
    for item in chosen:
        assert item["heading"] in pages[1]
        assert any(item["heading"] in page for page in pages[2:])
    assert "Thanks for the book" not in "".join(pages)  # the thinnest letter was left out
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "EBGaramond12Regular" in fonts and "no " not in fonts.split("\n", 2)[2]
    epub = out.with_suffix(".epub")
    assert epub_problems(epub) == []
    with zipfile.ZipFile(epub) as book:
        chapters = [n for n in book.namelist() if n.startswith("OEBPS/letter-")]
        assert len(chapters) == 7
    if shutil.which("epubcheck") and shutil.which("java"):
        check = subprocess.run(["java", "-jar", shutil.which("epubcheck") or "", str(epub)],
                               capture_output=True, text=True, timeout=120)  # fmt: skip
        assert "0 fatals / 0 errors / 0 warnings" in check.stdout + check.stderr


def test_the_user_changes_the_selection_and_the_title(
    letters: LetterService, archive_dir: Path, tmp_path: Path
) -> None:
    from os1.letters.book import with_selection

    letters.archive.import_dir(archive_dir)
    plan = with_selection(letters.plan_book("Forty Years of Mail", 3), [7, 2])
    built = letters.build_book(plan, tmp_path / "mine.pdf")
    assert built.letters == 2
    pages = _text(built.pdf)
    assert "Forty Years of Mail" in pages[0] and "Letters written by Theo" in pages[0]
    assert "Thanks for the book" in pages[3]  # the user's choice stands


def test_build_refusals(os1: Run, tmp_path: Path, archive_dir: Path) -> None:
    empty = os1("book", "build", "--out", str(tmp_path / "b.pdf"), "--yes")
    assert empty.returncode == 2
    assert "The letter archive is empty" in empty.stderr and "Traceback" not in empty.stderr
    assert os1("letters", "import", str(archive_dir)).returncode == 0
    asked = os1("book", "build", "--out", str(tmp_path / "b.pdf"))
    assert asked.returncode == 2 and "Pass --yes to accept it, or --pick 3,5,8" in asked.stderr
    wrong = os1("book", "build", "--out", str(tmp_path / "b.pdf"), "--pick", "2,99")
    assert wrong.returncode == 2 and "There is no letter 99" in wrong.stderr
    odd = os1("book", "build", "--out", str(tmp_path / "b.txt"), "--yes")
    assert odd.returncode == 2 and "should end in .pdf" in odd.stderr
    font = os1("book", "build", "--out", str(tmp_path / "b.pdf"), "--yes",
               OS1_BOOK_FONT=str(tmp_path / "missing.otf"))  # fmt: skip
    assert font.returncode == 1 and "OS1_BOOK_FONT" in font.stderr


def test_letters_the_book_font_cannot_set_are_left_out_with_the_reason(
    letters: LetterService, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.md").write_text("Dear Ann,\n\nI remember the lake. I love you.\n\nLove,\nBea\n")
    (folder / "b.md").write_text("שלום חבר יקר,\nאני מתגעגע אליך.\nאוהב,\nדוד\n")
    letters.archive.import_dir(folder)
    plan = letters.plan_book()
    excluded = [j.excluded for j in plan.judged if j.excluded]
    assert len(plan.chosen) == 1 and "right to left" in excluded[0]
