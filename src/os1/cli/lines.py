"""Lines OS1 writes to the terminal outside a reply, with colour only where a person reads.

Kept apart from `terminal` (the event loop and streamed turns) so that commands which
only print, like `os1 tidy`, start without loading asyncio.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

CORAL = "\033[38;5;209m"  # OS1's own words
_DIM = "\033[2m"
_RESET = "\033[0m"


def color(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def paint(text: str, code: str, stream: TextIO) -> str:
    return f"{code}{text}{_RESET}" if color(stream) else text


def say(text: str, stream: TextIO = sys.stderr) -> None:
    """A line from OS1 that is not part of a reply (notices, errors)."""
    print(paint(text, _DIM, stream), file=stream, flush=True)
