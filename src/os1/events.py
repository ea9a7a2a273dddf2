"""What one turn streams out to whichever interface asked (terminal, web, voice, API)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from os1.errors import OS1Error


@dataclass(frozen=True)
class TextDelta:
    """A piece of the reply, in order."""

    text: str
    ours: bool = False  # OS1's own opening words ("Oh. "), said before the model's


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not part of the reply (a fallback model...)."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    """The companion decided to use a skill."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfirmationNeeded:
    """A skill that sends, deletes, moves or spends waits for the user's explicit yes."""

    action_id: int
    summary: str


@dataclass(frozen=True)
class Done:
    """The turn is complete (or was interrupted); `text` is what was stored."""

    message_id: int
    text: str
    interrupted: bool = False


@dataclass(frozen=True)
class Failed:
    """The turn could not be completed; `error` says why and what to do."""

    error: OS1Error


@dataclass(frozen=True)
class PieceReady:
    """A piece of music OS1 composed or found, to be played where the user is: the
    terminal's speakers already play it; the web page fetches and plays it."""

    piece_id: int
    title: str


Event = TextDelta | Notice | ToolCall | ConfirmationNeeded | PieceReady | Done | Failed
