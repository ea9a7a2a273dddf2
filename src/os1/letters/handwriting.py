"""A letter in handwriting, as in the film: a script font in ink on a paper-like page,
lines broken between words where a hand would break them, to PDF and PNG.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from os1.letters.fonts import HANDWRITING, check_writable, font_path
from os1.letters.pages import new_pdf, page_to_png, save_pdf
from os1.letters.text import LetterError, clean_letter, script_problem

PAGE = (148.0, 210.0)  # A5, as a letter sheet, in mm
MARGIN = (18.0, 22.0)  # sides, top and bottom
PAPER = (250, 245, 232)  # warm cream
RULE = (214, 222, 232)  # faint blue lines
INK = (28, 40, 92)  # blue-black ink
SIZE = 17.0  # points
LEADING = 9.0  # mm between lines


@dataclass(frozen=True)
class Rendered:
    pdf: Path
    png: Path | None
    pages: int


def wrap(text: str, width: float, measure: Any) -> list[str]:
    """Lines no wider than `width`, broken between words; '' marks a paragraph break."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        line = ""
        for word in paragraph.split():
            while measure(word) > width:  # a word wider than the page is cut, as a hand would
                cut = max(1, int(len(word) * width / measure(word)) - 1)
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut] + "-")
                word = word[cut:]
            trial = f"{line} {word}".strip()
            if line and measure(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _paper(pdf: Any) -> None:
    pdf.add_page()
    pdf.set_fill_color(*PAPER)
    pdf.rect(0, 0, PAGE[0], PAGE[1], style="F")
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.15)
    y = MARGIN[1] + LEADING
    while y < PAGE[1] - MARGIN[1] + 1:
        pdf.line(MARGIN[0] - 4, y + 1.2, PAGE[0] - MARGIN[0] + 4, y + 1.2)
        y += LEADING


def render_handwriting(
    text: str, out: Path, font: Path | None = None, png: bool = True, name: str = "The letter"
) -> Rendered:
    """Write the letter to `out` (PDF) and, with `png`, its first page beside it as PNG."""
    text = clean_letter(text, name)
    if problem := script_problem(text, name):
        raise LetterError(problem)
    path = font_path(HANDWRITING, font)
    check_writable(path, text, name, HANDWRITING.name)
    pdf = new_pdf(*PAGE)
    pdf.set_title(text.split("\n", 1)[0][:80])
    pdf.add_font("hand", fname=str(path))
    pdf.set_font("hand", size=SIZE)
    pdf.set_text_color(*INK)
    width = PAGE[0] - 2 * MARGIN[0]
    jitter = random.Random(hashlib.sha256(text.encode()).digest())  # noqa: S311 - looks only
    y = PAGE[1]  # start a page at the first line
    for line in wrap(text, width - 3, pdf.get_string_width):
        if y > PAGE[1] - MARGIN[1]:
            _paper(pdf)
            y = MARGIN[1] + LEADING
        if line:
            pdf.text(MARGIN[0] + jitter.uniform(0, 1.6), y + jitter.uniform(-0.35, 0.35), line)
        y += LEADING
    save_pdf(pdf, out)
    image = out.with_suffix(".png") if png else None
    if image is not None:
        page_to_png(out, image)
    return Rendered(out, image, pdf.pages_count)
