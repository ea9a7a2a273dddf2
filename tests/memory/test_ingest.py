"""Importing multi-session conversations: ids and times kept, all or nothing, bad layouts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from os1.errors import InputError
from os1.memory import Memory
from os1.memory.ingest import Imported, import_sessions, parse_when


def sample(name: str = "s1") -> dict[str, Any]:
    return {
        "sample_id": name,
        "conversation": {
            "speaker_a": "Ana",
            "speaker_b": "Ben",
            "session_2_date_time": "10:00 am on 20 June, 2023",
            "session_2": [{"speaker": "Ben", "dia_id": "D2:1", "text": "I quit the hospital."}],
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": "Ana", "dia_id": "D1:1", "text": "We adopted a beagle."},
                {
                    "speaker": "Ben",
                    "dia_id": "D1:2",
                    "text": "Look!",
                    "img_url": ["x"],
                    "blip_caption": "a photo of a dog",
                },
            ],
        },
        "qa": [],
    }


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1:56 pm on 8 May, 2023", "2023-05-08T13:56:00+00:00"),
        ("10:00 am on 20 June, 2023", "2023-06-20T10:00:00+00:00"),
        ("2023/05/20 (Sat) 02:21", "2023-05-20T02:21:00+00:00"),
        ("2023-05-20T10:00:00+02:00", "2023-05-20T08:00:00+00:00"),
        ("2023-05-20", "2023-05-20T00:00:00+00:00"),
    ],
)
def test_session_times(text: str, stored: str) -> None:
    assert parse_when(text) == stored


def test_turns_keep_their_ids_speakers_and_session_times(tmp_path: Path, memory: Memory) -> None:
    acknowledged: list[Imported] = []
    done = import_sessions(memory.episodes, _write(tmp_path, [sample()]), acknowledged.append)
    assert done == acknowledged == [Imported("s1", 3, skipped=False)]
    d11, d12 = memory.episodes.by_source("D1:1")[0], memory.episodes.by_source("D1:2")[0]
    d21 = memory.episodes.by_source("D2:1")[0]
    assert (d11.speaker, d11.content, d11.created_at) == (
        "Ana",
        "We adopted a beagle.",
        "2023-05-08T13:56:00+00:00",
    )
    assert d12.content == "Look! [shares a photo: a photo of a dog]"
    assert d21.created_at == "2023-06-20T10:00:00+00:00"
    assert d11.id < d12.id < d21.id  # sessions in order, whatever the file's key order


def test_importing_again_changes_nothing(tmp_path: Path, memory: Memory) -> None:
    path = _write(tmp_path, [sample(), sample("s2")])
    import_sessions(memory.episodes, path)
    again = import_sessions(memory.episodes, path)
    assert [d.skipped for d in again] == [True, True]
    assert memory.episodes.count() == 6


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"not": "a list"}, "has no 'conversation'"),
        ([1, 2], "is not a list of conversation samples"),
        ([{"conversation": {"speaker_a": "A"}}], "has no session_N lists"),
        ([{"conversation": {"session_1": [{"speaker": "A"}]}}], "turn 1 of a session has no text"),
        (
            [{"conversation": {"session_1_date_time": "someday", "session_1": []}}],
            "Cannot read the session time 'someday'",
        ),
    ],
)
def test_bad_layouts_store_nothing(tmp_path: Path, memory: Memory, data: Any, says: str) -> None:
    good = sample("good")
    with pytest.raises(InputError, match=says):
        import_sessions(
            memory.episodes, _write(tmp_path, [good, *data] if isinstance(data, list) else data)
        )
    assert memory.episodes.count() == 0  # checked before anything is stored


def test_not_json(tmp_path: Path, memory: Memory) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[{")
    with pytest.raises(InputError, match="is not valid JSON"):
        import_sessions(memory.episodes, path)
