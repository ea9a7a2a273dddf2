"""`os1 proofread` and `os1 letters` as a user runs them; the Done-when with the default model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Run

pytestmark = pytest.mark.real_model  # `os1` runs in a subprocess


def test_proofread_lines_with_the_spell_checker_one_line_out_per_line_in(os1: Run) -> None:
    done = os1("proofread", "--lines", "--mode", "spelling", "-",
               stdin="I recieved it.\n\nThank you so much\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "I received it.\n\nThank you so much\n"


def test_proofread_a_file_shows_the_diff_and_reasons(os1: Run, tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear Ann,\n\nI recieved your letter.\n")
    shown = os1("proofread", "--mode", "spelling", str(letter))
    assert shown.returncode == 0, shown.stderr
    assert "1/1 (spelling) spelling: \u201creceived\u201d" in shown.stderr
    assert "- Dear Ann,  I [recieved] your letter." in shown.stderr
    assert "+ Dear Ann,  I [received] your letter." in shown.stderr
    assert "Not applied: run again with --yes" in shown.stderr
    assert shown.stdout == letter.read_text()  # nothing accepted, nothing changed
    out = tmp_path / "fixed.txt"
    taken = os1("proofread", "--mode", "spelling", "--yes", "--out", str(out), str(letter))
    assert taken.returncode == 0 and out.read_text() == "Dear Ann,\n\nI received your letter.\n"
    assert "1 of 1 fixes applied" in taken.stderr


def test_bad_input_gets_one_clear_line(os1: Run, tmp_path: Path) -> None:
    empty = os1("proofread", "--mode", "spelling", "-", stdin="  \n")
    assert empty.returncode == 2 and empty.stderr.strip() == (
        "os1: The text is empty. Write something in it, or leave it out.")  # fmt: skip
    missing = os1("proofread", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "There is no file" in missing.stderr
    huge = tmp_path / "huge.txt"
    huge.write_text("a" * 500_000)
    assert "too big to proofread" in os1("proofread", str(huge)).stderr
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x00\x00")
    assert "is not a text file" in os1("proofread", str(binary)).stderr
    hebrew = tmp_path / "he.txt"
    hebrew.write_text("שלום חבר יקר")
    rendered = os1("letters", "render", str(hebrew), "--out", str(tmp_path / "he.pdf"))
    assert rendered.returncode == 2 and "right to left" in rendered.stderr
    assert "Traceback" not in rendered.stderr


def test_render_a_letter_from_the_archive(os1: Run, archive_dir: Path, tmp_path: Path) -> None:
    assert os1("letters", "import", str(archive_dir)).returncode == 0
    done = os1("letters", "render", "1", "--out", str(tmp_path / "one.pdf"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "one.pdf").stat().st_size > 5000 and (tmp_path / "one.png").exists()
    exported = os1("letters", "export", str(tmp_path / "out"))
    assert "Wrote 10 letters" in exported.stdout
    again = os1("letters", "import", str(tmp_path / "out"))
    assert "Imported 0 letters (10 already in the archive, 0 left out)." in again.stdout


@pytest.mark.default_model
def test_done_when_their_going_to_the_beech(tmp_path: Path) -> None:
    """Exactly as the issue runs it, with the default 1.5B model in a fresh home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env["OS1_HOME"] = str(tmp_path / "home")
    done = subprocess.run([sys.executable, "-m", "os1.cli.main", "proofread", "--lines", "-"],
                          input="Their going to the beech tomorow.\n", capture_output=True,
                          text=True, env=env, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "They're going to the beach tomorrow.\n"
