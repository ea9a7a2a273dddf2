"""Letter text as OS1 takes it: checked, cleaned, and its script known.

Every problem is one line that says what to do: an empty letter, a huge one, a file that
is not text, characters that hide or reorder text (bidirectional overrides), and
right-to-left scripts, which the handwriting and book fonts cannot write.
"""

from __future__ import annotations

import unicodedata

from os1.errors import InputError

MAX_LETTER_CHARS = 100_000  # about 40 pages: far more than any letter
# Characters that reorder or hide text; a letter never needs them and they can disguise it.
_INVISIBLE = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0xFEFF)}


class LetterError(InputError):
    """A letter OS1 cannot take as it is; the message says what to do."""


def decode_letter(data: bytes, name: str) -> str:
    """A file's bytes as text: UTF-8 (with or without a BOM), else a clear error."""
    if b"\x00" in data[:4096]:
        raise LetterError(f"{name} is not a text file.", "Letters are plain text or Markdown.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LetterError(
            f"{name} is not UTF-8 text.", "Save it as UTF-8 (most editors offer it), then retry."
        ) from None


def clean_letter(text: str, name: str = "The letter") -> str:
    """Line ends normalised; control and invisible reordering characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or (unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn") and ch not in _INVISIBLE)
    )
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    if not text:
        raise LetterError(f"{name} is empty.", "Write something in it, or leave it out.")
    if len(text) > MAX_LETTER_CHARS:
        raise LetterError(
            f"{name} is {len(text):,} characters long; a letter may have at most "
            f"{MAX_LETTER_CHARS:,}.",
            "Split it into several letters.",
        )
    return text


def right_to_left(text: str) -> bool:
    """Whether most of the letters in the text belong to a right-to-left script."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        rtl += kind in ("R", "AL")
        ltr += kind == "L"
    return rtl > ltr


def script_problem(text: str, name: str = "The letter") -> str:
    """Why this text cannot be written in OS1's handwriting and book fonts, or ''."""
    if right_to_left(text):
        return (
            f"{name} is written right to left (Hebrew or Arabic script), which OS1's "
            "handwriting and book fonts cannot write yet; keep it in the archive, and write "
            "it by hand or in another program."
        )
    return ""
