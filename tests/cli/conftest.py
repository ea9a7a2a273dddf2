"""Running the real `os1` command in a subprocess, with the tiny packaged model."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

OS1 = [sys.executable, "-m", "os1.cli.main"]

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def shared_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def cli_env(hermetic: Path, shared_models: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env.update(OS1_HOME=str(hermetic), OS1_MODEL="smollm2", OS1_MODELS_DIR=str(shared_models))
    return env


@pytest.fixture
def os1(cli_env: dict[str, str]) -> Run:
    """Run `os1 ARGS...`; returns the completed process (text mode, bytes stdin allowed)."""

    def run(
        *args: str, stdin: bytes | str | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        done = subprocess.run(
            [*OS1, *args], input=data, capture_output=True, env={**cli_env, **env}, timeout=300
        )
        return subprocess.CompletedProcess(
            done.args,
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )

    return run


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.toml"
    path.write_text(
        'name = "Theo"\nsocial = "Anti-social, I guess."\nmother = "It\'s complicated."\n'
    )
    return path


@pytest.fixture
def set_up_os1(os1: Run, answers: Path) -> Run:
    """`os1` after a scripted interview."""
    done = os1("setup", "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    return os1


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
