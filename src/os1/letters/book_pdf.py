"""The book as a typeset PDF: title page, contents, one letter a chapter, fonts embedded."""

from __future__ import annotations

import math
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from os1.letters.archive import Letter
from os1.letters.pages import new_pdf, save_pdf

PAGE = (152.4, 228.6)  # 6 x 9 inches, a common trade book size, in mm
MARGIN = 20.0
CONTENTS_PER_PAGE = 22


def byline(letter: Letter) -> str:
    parts = []
    if letter.sender or letter.recipient:
        parts.append(f"From {letter.sender or 'someone'} to {letter.recipient or 'someone'}")
    if letter.written_on:
        parts.append(letter.written_on)
    return " \u00b7 ".join(parts)


def _title_page(pdf: Any, title: str, subtitle: str) -> None:
    pdf.add_page()
    pdf.set_font("book", size=26)
    pdf.set_y(PAGE[1] * 0.32)
    pdf.multi_cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("italic", size=13)
    pdf.multi_cell(0, 7, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")


def _contents(pdf: Any, outline: list[Any]) -> None:
    pdf.set_xy(MARGIN, MARGIN)
    pdf.set_font("book", size=18)
    pdf.cell(0, 14, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("book", size=11.5)
    for entry in outline:
        if pdf.get_y() > PAGE[1] - MARGIN - 8:
            pdf.add_page()
        name = entry.name if len(entry.name) <= 55 else entry.name[:54] + "\u2026"
        number = str(entry.page_number)
        width = PAGE[0] - 2 * MARGIN - pdf.get_string_width(number) - 2
        pdf.cell(width, 7.5, name)
        pdf.cell(0, 7.5, number, align="R", new_x="LMARGIN", new_y="NEXT")


def _chapter(pdf: Any, number: int, letter: Letter) -> None:
    if number > 1:  # the contents placeholder already opened the first chapter's page
        pdf.add_page()
    pdf.start_section(letter.heading)
    pdf.set_y(MARGIN + 18)
    pdf.set_font("italic", size=11)
    pdf.cell(0, 6, f"Letter {number}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("book", size=17)
    pdf.multi_cell(0, 8.5, letter.heading, align="C", new_x="LMARGIN", new_y="NEXT")
    if line := byline(letter):
        pdf.set_font("italic", size=10.5)
        pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("book", size=11.5)
    for paragraph in letter.body.split("\n"):
        if not paragraph.strip():
            pdf.ln(2.5)
            continue
        pdf.multi_cell(0, 5.6, paragraph.strip(), align="J", new_x="LMARGIN", new_y="NEXT")


def _page_number(pdf: Any) -> None:
    if pdf.page > 2:
        pdf.set_y(-MARGIN + 4)
        pdf.set_font("book", size=9.5)
        pdf.cell(0, 5, str(pdf.page), align="C")


def write_book_pdf(
    out: Path, title: str, subtitle: str, letters: Sequence[Letter], fonts: tuple[Path, Path]
) -> int:
    """Typeset the book; the number of pages."""
    pdf = new_pdf(*PAGE)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN + 4)
    pdf.set_title(title)
    pdf.set_subject(subtitle)
    pdf.set_lang("en")
    pdf.add_font("book", fname=str(fonts[0]))
    pdf.add_font("italic", fname=str(fonts[1]))
    pdf.set_text_color(25, 25, 25)
    pdf.footer = types.MethodType(_page_number, pdf)
    _title_page(pdf, title, subtitle)
    pdf.add_page()
    pages = max(1, math.ceil(len(letters) / CONTENTS_PER_PAGE))
    pdf.insert_toc_placeholder(_contents, pages=pages)
    for number, letter in enumerate(letters, 1):
        _chapter(pdf, number, letter)
    save_pdf(pdf, out)
    return int(pdf.pages_count)
