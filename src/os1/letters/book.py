"""The book: OS1's selection from the archive (with reasons), typeset as PDF and EPUB."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from os1.errors import InputError, StorageError
from os1.letters.archive import Letter
from os1.letters.book_pdf import write_book_pdf
from os1.letters.epub import epub_problems, write_epub
from os1.letters.fonts import BOOK, BOOK_ITALIC, FontMissing, check_writable, font_path
from os1.letters.select import Judged, choose, default_count, judge
from os1.letters.text import LetterError, script_problem

DEFAULT_TITLE = "Letters from Your Life"


@dataclass(frozen=True)
class BookPlan:
    title: str
    subtitle: str
    author: str
    judged: tuple[Judged, ...]  # every letter, with its score and reasons
    chosen: tuple[Judged, ...]  # OS1's selection, in the order written


@dataclass(frozen=True)
class BuiltBook:
    pdf: Path
    epub: Path
    pages: int
    letters: int


def _unwritable(letter: Letter, fonts: tuple[Path, Path]) -> str:
    if problem := script_problem(letter.body, f"Letter {letter.id}"):
        return problem
    try:
        check_writable(fonts[0], letter.heading + letter.body, f"Letter {letter.id}", BOOK.name)
    except LetterError as exc:
        return str(exc)
    return ""


def book_fonts(configured: Path | None = None) -> tuple[Path, Path]:
    regular = font_path(BOOK, configured)
    try:
        italic = font_path(BOOK_ITALIC) if configured is None else regular
    except FontMissing:
        italic = regular
    return regular, italic


def plan_book(
    letters: list[Letter], title: str, author: str, count: int | None, fonts: tuple[Path, Path]
) -> BookPlan:
    if not letters:
        raise InputError(
            "The letter archive is empty, so there is no book to make yet.",
            "Bring letters in with `os1 letters import DIR`.",
        )
    judged = tuple(judge(letter, _unwritable(letter, fonts)) for letter in letters)
    wanted = count or default_count(sum(not j.excluded for j in judged))
    chosen = tuple(choose(list(judged), wanted))
    if not chosen:
        raise InputError("None of the letters can be set in the book's font.",
                         "See why with `os1 book build` and fix those letters.")  # fmt: skip
    subtitle = f"Letters written by {author}" if author else "A book of letters"
    return BookPlan(title.strip() or DEFAULT_TITLE, subtitle, author, judged, chosen)


def with_selection(plan: BookPlan, ids: list[int]) -> BookPlan:
    """The plan with the user's own selection instead of OS1's."""
    by_id = {j.letter.id: j for j in plan.judged}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise InputError(f"There is no letter {unknown[0]} in the archive.",
                         "`os1 letters list` shows their numbers.")  # fmt: skip
    refused = [by_id[i] for i in ids if by_id[i].excluded]
    if refused:
        raise LetterError(refused[0].excluded)
    picked = sorted((by_id[i] for i in dict.fromkeys(ids)),
                    key=lambda j: (j.letter.written_on, j.letter.id))  # fmt: skip
    return BookPlan(plan.title, plan.subtitle, plan.author, plan.judged, tuple(picked))


def build_book(plan: BookPlan, out: Path, fonts: tuple[Path, Path]) -> BuiltBook:
    """Write the PDF at `out` and the EPUB beside it; the EPUB's structure is checked."""
    if out.suffix.lower() != ".pdf":
        raise InputError(f"{out} should end in .pdf.", "The EPUB is written beside it.")
    letters = [j.letter for j in plan.chosen]
    pages = write_book_pdf(out, plan.title, plan.subtitle, letters, fonts)
    epub = out.with_suffix(".epub")
    write_epub(epub, plan.title, plan.subtitle, plan.author, letters)
    if problems := epub_problems(epub):
        raise StorageError(f"The EPUB came out broken ({problems[0]}); please report it.")
    return BuiltBook(out, epub, pages, len(letters))


def save_manifest(path: Path, plan: BookPlan, built: BuiltBook) -> None:
    """What was built last, for `os1 book send`."""
    record = {
        "title": plan.title,
        "pdf": str(built.pdf.absolute()),
        "epub": str(built.epub.absolute()),
        "letters": [
            {"id": j.letter.id, "heading": j.letter.heading, "reasons": list(j.reasons)}
            for j in plan.chosen
        ],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"Cannot write {path}: {exc.strerror}.") from exc


def load_manifest(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            "No book has been built yet.", "Run `os1 book build --out book.pdf`, or pass --file."
        ) from None
    except (OSError, ValueError) as exc:
        raise StorageError(f"{path} is damaged.", "Build the book again.") from exc
    return dict(data)
