"""The memory commands as a user (or an evaluation) runs them: real `os1` processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Run, no_traceback

SAMPLE = [
    {
        "sample_id": "s1",
        "conversation": {
            "speaker_a": "Ana",
            "speaker_b": "Ben",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": "Ana", "dia_id": "D1:1", "text": "We adopted a beagle called Biscuit."},
                {"speaker": "Ben", "dia_id": "D1:2", "text": "I sprained my ankle at football."},
                {"speaker": "Ana", "dia_id": "D1:3", "text": "The weather was lovely."},
            ],
            "session_2_date_time": "10:00 am on 20 June, 2023",
            "session_2": [
                {"speaker": "Ben", "dia_id": "D2:1", "text": "Biscuit chewed my shoes."},
            ],
        },
    }
]


@pytest.fixture
def dev(tmp_path: Path) -> Path:
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(SAMPLE))
    return path


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_ingest_then_search_as_json_lines(os1: Run, dev: Path, tmp_path: Path) -> None:
    done = os1("memory", "ingest", "--format", "sessions", str(dev), "--no-embed")
    assert done.returncode == 0, done.stderr
    assert "Stored sample s1: 4 turns." in done.stderr
    found = os1("memory", "search", "Biscuit", "--k", "10", "--json")
    assert found.returncode == 0, found.stderr
    (line,) = _lines(found.stdout)
    assert list(line) == ["id", "hits"] and line["id"] == "0"
    hits = line["hits"]
    assert isinstance(hits, list)
    assert all(list(h) == ["source_id", "text", "score"] for h in hits)
    assert {h["source_id"] for h in hits} == {"D1:1", "D2:1"}
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"id": "q-dog", "query": "beagle"}\n\n'
        '{"id": 7, "query": "What did Ben say in June 2023?"}\n'
    )
    many = _lines(os1("memory", "search", "--queries", str(queries), "--k", "1", "--json").stdout)
    assert [(m["id"], [h["source_id"] for h in m["hits"]]) for m in many] == [  # type: ignore[union-attr]
        ("q-dog", ["D1:1"]),
        (7, ["D2:1"]),
    ]


def test_vectors_find_what_no_keyword_does(os1: Run, dev: Path) -> None:
    done = os1("memory", "ingest", "--format", "sessions", str(dev))
    assert done.returncode == 0, done.stderr
    assert "Embedded 4 items" in done.stderr
    (line,) = _lines(os1("memory", "search", "How did Ben get injured?", "--json").stdout)
    assert line["hits"][0]["source_id"] == "D1:2"  # type: ignore[index]


def test_read_a_book_then_find_a_rare_word(os1: Run, tmp_path: Path) -> None:
    book = tmp_path / "book.txt"
    paragraphs = [f"Chapter {n}. The river ran on past the mill and the town." for n in range(3000)]
    paragraphs[1777] += " A quixotically patient heron waited."
    book.write_text("A Long Book\n\n" + "\n\n".join(paragraphs))
    done = os1("read", str(book), "--no-embed")
    assert done.returncode == 0, done.stderr
    assert "Read 'A Long Book'" in done.stdout and " ms: d1, searchable now." in done.stdout
    found = os1("memory", "search", "quixotically")
    assert found.stdout.startswith("p") and f"[{book}]" in found.stdout
    assert "quixotically patient heron" in found.stdout
    listed = os1("memory", "list")
    assert "d1\t" in listed.stdout and "[read] A Long Book" in listed.stdout
    assert os1("memory", "forget", "d1", "--yes").returncode == 0
    assert os1("memory", "search", "quixotically").stdout == ""


def test_edit_keeps_the_old_value_in_show(set_up_os1: Run) -> None:
    listed = set_up_os1("memory", "list").stdout.splitlines()
    fact = next(line.split("\t")[0] for line in listed if "About my mother" in line)
    edited = set_up_os1("memory", "edit", fact, "About my mother: we talk every Sunday now.")
    assert edited.returncode == 0, edited.stderr
    new = edited.stderr.split(" is now ")[1].split(":")[0]
    shown = set_up_os1("memory", "show", new)
    assert shown.returncode == 0, shown.stderr
    assert "we talk every Sunday now" in shown.stdout.splitlines()[0]
    assert "history" in shown.stdout and "It's complicated." in shown.stdout
    assert "edited by the user" in shown.stdout
    old = set_up_os1("memory", "show", fact)
    assert "replaced on" in old.stdout
    # A core block, always in the prompt, is edited by its name and listed.
    assert set_up_os1("memory", "edit", "profile", "I write letters.").returncode == 0
    assert "profile\t\t[core] I write letters." in set_up_os1("memory", "list").stdout


def test_persona_history_and_reflections(set_up_os1: Run) -> None:
    history = set_up_os1("persona", "history")
    assert history.returncode == 0
    (line,) = history.stdout.splitlines()
    assert "first interview" in line and "warmth 0.90" in line
    reflections = set_up_os1("memory", "reflections")
    assert reflections.returncode == 0 and "No reflections yet" in reflections.stderr
    edited = set_up_os1("memory", "edit", "relationship", "We have only just met.")
    assert edited.returncode == 0
    assert "relationship\tWe have only just met." in set_up_os1("memory", "reflections").stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["memory", "search"], "Nothing to search for."),
        (["memory", "search", "x", "--k", "0"], "--k must be at least 1."),
        (["memory", "search", "--queries", "/nonexistent.jsonl"], "Cannot read /nonexistent.jsonl"),
        (["memory", "ingest", "--format", "sessions", "/nonexistent.json"], "Cannot read"),
        (["memory", "show", "f404"], "There is no memory f404."),
        (["memory", "show", "zebra"], "'zebra' is not a memory id."),
        (["memory", "edit", "f404", "new text"], "There is no fact f404."),
        (["read", "/nonexistent/book.txt"], "There is no file or folder /nonexistent/book.txt."),
    ],
)
def test_bad_input_is_one_line(os1: Run, args: list[str], says: str) -> None:
    done = os1(*args)
    assert done.returncode == 2, done.stderr
    no_traceback(done)
    assert done.stderr.startswith(f"os1: {says}")
    assert len(done.stderr.strip().splitlines()) == 1


def test_bad_files_are_one_line(os1: Run, tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("[{")
    bad_queries = tmp_path / "bad.jsonl"
    bad_queries.write_text('{"id": 1, "query": "ok"}\nnot json\n')
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8")
    for args, says in [
        (["memory", "ingest", "--format", "sessions", str(bad_json)], "is not valid JSON"),
        (["memory", "search", "--queries", str(bad_queries)], "Line 2 of"),
        (["read", str(photo)], "OS1 cannot read photo.jpg. It reads txt, md, html"),
    ]:
        done = os1(*args)
        assert done.returncode == 2 and says in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        no_traceback(done)
