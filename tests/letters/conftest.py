"""Letter test fixtures: the ten-letter archive, a scripted proofreading mind."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from os1.app import App
from os1.letters.service import LetterService
from os1.mind.base import Message
from tests.cli.conftest import answers, cli_env, os1, set_up_os1, shared_models  # noqa: F401
from tests.mail.conftest import imap_server, mailbox, smtp  # noqa: F401

ARCHIVE = Path(__file__).parent / "data" / "archive"


@pytest.fixture
def archive_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "letters"
    shutil.copytree(ARCHIVE, folder)
    return folder


@pytest.fixture
def letters(ready_app: App) -> LetterService:
    return ready_app.letters()


def proofreading_answers(wanted: dict[str, str], corrected: dict[str, str] | None = None) -> Any:
    """A scripted mind's structured answers: blanks filled from `wanted` (word -> choice),
    corrections from `corrected` (text -> corrected text; the text itself otherwise)."""

    def answer(messages: Sequence[Message], schema: dict[str, Any]) -> Any:
        properties = schema["properties"]
        if "corrected" in properties:
            text = messages[-1].content.split("<<<\n", 1)[1].rsplit("\n>>>", 1)[0]
            return {"corrected": (corrected or {}).get(text, text), "style_notes": []}
        choices = {}
        for key, spec in properties.items():
            written = spec["enum"][0]
            choices[key] = wanted.get(written, written)
        return choices

    return answer
