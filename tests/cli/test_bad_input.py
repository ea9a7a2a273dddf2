"""Bad input and bad conditions: a one-line message, no traceback, nothing stored is lost."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from ..conftest import ctrl_c_works
from .conftest import OS1, Run, no_traceback

pytestmark = pytest.mark.real_model


def turns(home: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(home / "os1.sqlite3") as db:
        return list(
            db.execute(
                "SELECT role, content, interrupted FROM messages WHERE role != 'context'"
                " ORDER BY id"
            )
        )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    no_traceback(done)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("os1: ")
    return lines[0]


def test_empty_input(set_up_os1: Run, hermetic: Path) -> None:
    for text in ("", "   "):
        done = set_up_os1("ask", text)
        assert done.returncode == 1
        assert "That message was empty" in one_line_error(done)
    done = set_up_os1("ask", "-", stdin=b"\x00\x07\x1b \r\n")
    assert done.returncode == 1 and "That message was empty" in one_line_error(done)
    assert turns(hermetic) == []


def test_invalid_utf8_and_control_characters_on_stdin(set_up_os1: Run, hermetic: Path) -> None:
    done = set_up_os1("ask", "-", stdin=b"Hi \xff\xfe there \x1b[31mred\x1b[0m\x00 friend")
    assert done.returncode == 0, done.stderr
    no_traceback(done)
    said = turns(hermetic)[0][1]
    assert said == "Hi \ufffd\ufffd there [31mred[0m friend"


def test_a_one_megabyte_paste(set_up_os1: Run, hermetic: Path) -> None:
    paste = ("All work and no play makes Theo a dull boy. " * 24_000)[:1_000_000]
    done = set_up_os1("ask", "-", stdin=paste)
    assert done.returncode == 0, done.stderr
    notice = done.stderr.strip().splitlines()
    assert len(notice) == 1 and "I kept all of it" in notice[0]
    stored = turns(hermetic)[0][1]
    assert stored == paste.strip()


def test_ctrl_c_during_a_reply_keeps_both_sides(
    set_up_os1: Run, cli_env: dict[str, str], hermetic: Path
) -> None:
    process = subprocess.Popen(
        [*OS1, "ask", "Tell me a long story about a dragon who learns to sing, in detail."],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**cli_env, "OS1_THREADS": "1"},
        preexec_fn=ctrl_c_works,
    )
    assert process.stdout is not None
    first = process.stdout.read(1)  # the reply has started streaming
    assert first
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode().strip().splitlines()[-1] == (
        "os1: interrupted; everything said so far is kept."
    )
    kept = turns(hermetic)
    assert kept[0][0] == "user" and kept[0][1].startswith("Tell me a long story")
    assert kept[1][0] == "assistant" and kept[1][2] == 1 and kept[1][1]
    after = set_up_os1("ask", "Hi again.")
    assert after.returncode == 0, after.stderr


def test_two_processes_at_once(set_up_os1: Run, cli_env: dict[str, str], hermetic: Path) -> None:
    processes = [
        subprocess.Popen(
            [*OS1, "ask", text], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env
        )
        for text in ("I like green tea.", "I like black coffee.")
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    said = [content for role, content, _ in turns(hermetic) if role == "user"]
    assert sorted(said) == ["I like black coffee.", "I like green tea."]


def test_a_bad_config_file(set_up_os1: Run, hermetic: Path) -> None:
    (hermetic / "config.toml").write_text("model = [unclosed\n")
    done = set_up_os1("ask", "hello")
    assert done.returncode == 1
    assert "config.toml is not valid TOML" in one_line_error(done)
    (hermetic / "config.toml").write_text('modle = "qwen-0.5b"\n')
    assert "Unknown setting 'modle'" in one_line_error(set_up_os1("ask", "hello"))


def _isolated(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (root only)."""
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _can_remount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = _isolated("mount -t tmpfs -o size=1m tmpfs /mnt", dict(os.environ))
    return probe.returncode == 0


def test_a_read_only_data_directory(
    set_up_os1: Run, cli_env: dict[str, str], hermetic: Path
) -> None:
    assert set_up_os1("ask", "Remember that I love rain.").returncode == 0
    before = turns(hermetic)
    ask = " ".join(shlex.quote(a) for a in [*OS1, "ask", "hello"])
    if _can_remount():
        home = shlex.quote(str(hermetic))
        done = _isolated(
            f"mount --bind {home} {home} && mount -o remount,bind,ro {home} && exec {ask}",
            cli_env,
        )
    else:
        hermetic.chmod(0o500)
        try:
            done = subprocess.run(ask, shell=True, capture_output=True, text=True, env=cli_env)
        finally:
            hermetic.chmod(0o700)
    assert done.returncode == 1
    assert "read-only" in one_line_error(done)
    assert turns(hermetic) == before


def test_a_full_data_directory(set_up_os1: Run, cli_env: dict[str, str], hermetic: Path) -> None:
    if not _can_remount():
        pytest.skip("needs root and mount namespaces to make a small filesystem")
    assert set_up_os1("ask", "Remember that I love rain.").returncode == 0
    used = sum(f.stat().st_size for f in hermetic.iterdir()) // 1024 + 64
    home = shlex.quote(str(hermetic))
    copy = shlex.quote(str(hermetic.parent / "home-copy"))
    big = hermetic.parent / "big-message.txt"
    big.write_text("x" * 300_000)  # more than the little filesystem has room for
    ask = " ".join(shlex.quote(a) for a in [*OS1, "ask", "-"]) + f" < {shlex.quote(str(big))}"
    listing = " ".join(shlex.quote(a) for a in [*OS1, "memory", "list", "--turns"])
    script = (
        f"cp -a {home} {copy} && mount -t tmpfs -o size={used}k tmpfs {home} && "
        f"cp -a {copy}/. {home}/ && "
        f'{ask}; echo "exit=$?"; {listing}'
    )
    started = time.perf_counter()
    done = _isolated(script, cli_env)
    assert time.perf_counter() - started < 300
    assert "exit=1" in done.stdout
    error = [line for line in done.stderr.splitlines() if line.startswith("os1: ")]
    assert len(error) == 1 and ("full" in error[0] or "could not write" in error[0])
    no_traceback(done)
    assert "Remember that I love rain." in done.stdout  # what was stored is still there
