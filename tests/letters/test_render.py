"""Handwriting: a script font on a paper-like page, to PDF and PNG; fonts embedded; refusals."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from os1.letters.fonts import HANDWRITING, FontMissing, font_path
from os1.letters.handwriting import INK, PAPER, render_handwriting, wrap
from os1.letters.pages import page_count
from os1.letters.text import LetterError

from .conftest import ARCHIVE

LETTER = (ARCHIVE / "1969-06-14-roberta-chris.md").read_text().split("---\n", 2)[2]


def _fonts(pdf: Path) -> str:
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) is not installed")
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout


def test_a_letter_in_handwriting_to_pdf_and_png(tmp_path: Path) -> None:
    from PIL import Image

    done = render_handwriting(LETTER * 2, tmp_path / "letter.pdf")
    assert done.pages == page_count(done.pdf) >= 2  # natural breaks onto further sheets
    listing = _fonts(done.pdf)
    assert "DancingScript" in listing and " yes yes " in listing  # embedded, subset
    assert done.png is not None
    image = Image.open(done.png).convert("RGB")
    assert image.size[1] > image.size[0]  # a portrait sheet
    colours = image.getcolors(1_000_000) or []
    assert max(colours)[1] == PAPER  # mostly paper
    inky = sum(n for n, c in colours if sum(abs(a - b) for a, b in zip(c, INK, strict=True)) < 60)
    assert inky > 2000  # and written on


def test_lines_break_between_words() -> None:
    lines = wrap("one two three four five\n\nsix", 9, len)
    assert lines == ["one two", "three", "four five", "", "six"]
    assert wrap("abcdefghijklmnop", 6, len)[0].endswith("-")


def test_refusals_each_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(LetterError, match=r"right to left .* cannot write yet"):
        render_handwriting("שלום חבר יקר, אני מתגעגע אליך", tmp_path / "he.pdf")
    with pytest.raises(LetterError, match=r"cannot write: .*Grinning Face"):
        render_handwriting("Dear Ann, \U0001f600 see you soon", tmp_path / "emoji.pdf")
    with pytest.raises(LetterError, match="is empty"):
        render_handwriting(" \n", tmp_path / "empty.pdf")
    with pytest.raises(FontMissing, match="OS1_LETTER_FONT"):
        render_handwriting("Dear Ann", tmp_path / "x.pdf", font=tmp_path / "nope.ttf")
    missing = type(HANDWRITING)("Nowhere Script", "fonts-nowhere", "OS1_LETTER_FONT", ("/no",))
    with pytest.raises(FontMissing, match="Run: sudo apt-get install fonts-nowhere"):
        font_path(missing)
    assert not (tmp_path / "he.pdf").exists()
