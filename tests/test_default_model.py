"""The issue's promise with the default 1.5B model, run exactly as a new user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.real_model, pytest.mark.default_model]

OS1 = [sys.executable, "-m", "os1.cli.main"]


def test_a_fact_told_in_one_process_is_recalled_in_another(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env["OS1_HOME"] = str(tmp_path / "home")  # a fresh home: the model is prepared in it
    answers = tmp_path / "a.toml"
    answers.write_text('name = "Theo"\nsocial = "social"\nmother = "We are close."\n')

    def os1(*args: str) -> str:
        done = subprocess.run([*OS1, *args], capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    os1("setup", "--answers", str(answers))
    os1("ask", "My sister's name is Ines and she lives in Porto.")
    reply = os1("ask", "Where does my sister live?")
    assert "Porto" in reply
