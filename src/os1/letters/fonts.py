"""The fonts letters and the book are set in: found on the system (Debian packages), or
named in settings; a missing font, or a character a font cannot write, is one clear line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from os1.errors import ConfigError
from os1.letters.text import LetterError


@dataclass(frozen=True)
class FontChoice:
    name: str
    package: str
    setting: str
    paths: tuple[str, ...]


HANDWRITING = FontChoice(
    "Dancing Script",
    "fonts-dancingscript",
    "OS1_LETTER_FONT",
    (
        "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf",
        "/usr/share/fonts/truetype/dancingscript/DancingScript-Regular.ttf",
    ),
)
BOOK = FontChoice(
    "EB Garamond",
    "fonts-ebgaramond",
    "OS1_BOOK_FONT",
    (
        "/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf",
        "/usr/share/fonts/truetype/ebgaramond/EBGaramond12-Regular.ttf",
    ),
)
BOOK_ITALIC = FontChoice(
    "EB Garamond Italic",
    "fonts-ebgaramond",
    "OS1_BOOK_FONT",
    ("/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Italic.otf",),
)


class FontMissing(ConfigError):
    """A font OS1 needs is not installed (or the configured file is not there)."""


def font_path(choice: FontChoice, configured: Path | None = None) -> Path:
    """The font file to use: the configured one, else the first installed system file."""
    if configured is not None:
        if configured.is_file() and configured.suffix.lower() in (".ttf", ".otf"):
            return configured
        raise FontMissing(
            f"The font file {configured} ({choice.setting}) is missing or not a .ttf/.otf file.",
            f"Point {choice.setting} at a font file, or unset it to use {choice.name}.",
        )
    for candidate in choice.paths:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing(
        f"The {choice.name} font is not installed.",
        f"Run: sudo apt-get install {choice.package} (or set {choice.setting} to a font file).",
    )


@cache
def _characters(path: Path) -> frozenset[int]:
    try:
        from fontTools.ttLib import TTFont
    except ImportError as exc:  # pragma: no cover - comes with fpdf2
        raise ConfigError(
            "fontTools is not installed.", "Run: .venv/bin/pip install fpdf2"
        ) from exc
    try:
        with TTFont(str(path), lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception as exc:
        raise FontMissing(f"The font file {path} cannot be read ({type(exc).__name__}).") from exc


def check_writable(path: Path, text: str, name: str, font_name: str) -> None:
    """Raise a LetterError naming the characters the font has no letter for."""
    have = _characters(path)
    missing = sorted({ch for ch in text if ch not in "\n\t " and ord(ch) not in have})
    if not missing:
        return
    shown = ", ".join(
        f"\u2018{ch}\u2019 ({unicodedata.name(ch, f'U+{ord(ch):04X}').title()})"
        for ch in missing[:4]
    )
    more = f" and {len(missing) - 4} more" if len(missing) > 4 else ""
    raise LetterError(
        f"{name} has characters the {font_name} font cannot write: {shown}{more}.",
        "Replace or remove them, or set a font that has them.",
    )
