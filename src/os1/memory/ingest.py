"""Importing multi-session conversations (the common long-conversation memory layout).

    [{"sample_id": "...", "conversation": {"speaker_a": "Ana", "speaker_b": "Ben",
      "session_1_date_time": "1:56 pm on 8 May, 2023",
      "session_1": [{"speaker": "Ana", "dia_id": "D1:1", "text": "..."}, ...], ...}}, ...]

Each turn keeps its `dia_id` as its source id and its session's time as its time.
Each sample lands in one transaction, in its own thread; importing it again is a no-op.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from os1.errors import InputError
from os1.memory.episodes import Episodes, ImportedTurn
from os1.memory.store import now_iso

_FORMATS = (
    "%I:%M %p on %d %B, %Y",
    "%I:%M %p on %d %b, %Y",
    "%I:%M %p on %B %d, %Y",
    "%Y/%m/%d (%a) %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d %B %Y",
    "%B %d, %Y",
)
_FIX = "Each sample needs a 'conversation' with session_N lists of {speaker, dia_id, text}."


@dataclass(frozen=True)
class Imported:
    sample: str
    turns: int
    skipped: bool  # imported before


def parse_when(text: str) -> str:
    """A session's date and time as a stored timestamp (UTC, ISO 8601)."""
    cleaned = " ".join(str(text).replace("\u202f", " ").split())
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        parsed = None
        for form in _FORMATS:
            try:
                parsed = datetime.strptime(cleaned, form)
                break
            except ValueError:
                continue
    if parsed is None:
        raise InputError(f"Cannot read the session time {text!r}.", "Use ISO 8601 dates.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


def load_samples(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.", "Check the path.") from exc
    except ValueError as exc:
        raise InputError(
            f"{path} is not valid JSON ({exc}).", "Fix the file and try again."
        ) from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise InputError(f"{path} is not a list of conversation samples.", _FIX)
    return data


def _sessions(conversation: dict[str, Any], where: str) -> Iterator[tuple[str, list[Any]]]:
    numbers = sorted(
        int(m.group(1))
        for key in conversation
        if (m := re.fullmatch(r"session_(\d+)", key)) and isinstance(conversation[key], list)
    )
    if not numbers:
        raise InputError(f"{where} has no session_N lists of turns.", _FIX)
    for number in numbers:
        yield (
            str(conversation.get(f"session_{number}_date_time") or ""),
            conversation[f"session_{number}"],
        )


def sample_turns(sample: dict[str, Any], where: str) -> list[ImportedTurn]:
    conversation = sample.get("conversation")
    if not isinstance(conversation, dict):
        raise InputError(f"{where} has no 'conversation'.", _FIX)
    turns: list[ImportedTurn] = []
    for when, session in _sessions(conversation, where):
        at = parse_when(when) if when else now_iso()
        for index, turn in enumerate(session):
            if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
                raise InputError(f"{where}: turn {index + 1} of a session has no text.", _FIX)
            text = " ".join(turn["text"].split())
            if caption := turn.get("blip_caption"):
                text += f" [shares a photo: {caption}]"
            if not text:
                continue
            speaker = str(turn.get("speaker") or "")
            source = str(turn.get("dia_id") or "")
            turns.append(ImportedTurn(text, at, speaker, source))
    return turns


def import_sessions(
    episodes: Episodes, path: Path, acknowledge: Callable[[Imported], None] | None = None
) -> list[Imported]:
    """Import every sample in `path`; each is acknowledged once it is safely stored."""
    samples = load_samples(path)
    prepared = []
    for index, sample in enumerate(samples):  # check everything before storing anything
        name = str(sample.get("sample_id", index))
        prepared.append((name, sample_turns(sample, f"Sample {name}")))
    done: list[Imported] = []
    for name, turns in prepared:
        thread = episodes.thread(f"import:{name}")
        if episodes.recent(thread, limit=1):
            result = Imported(name, 0, skipped=True)
        else:
            episodes.import_turns(thread, turns)
            result = Imported(name, len(turns), skipped=False)
        done.append(result)
        if acknowledge:
            acknowledge(result)
    return done
