"""`kill -9` of a real OS1 process during import, extraction and reflection, again and
again: no acknowledged turn is lost, and the database stays whole."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

DRIVER = Path(__file__).with_name("kill_driver.py")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env["OS1_HOME"] = str(home)
    return env


def _run_and_kill(args: list[str], home: Path, after: float, stream: str) -> list[str]:
    """Start a process, kill -9 it after `after` seconds; the lines it printed."""
    process = subprocess.Popen(
        args, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    source = process.stdout if stream == "stdout" else process.stderr
    assert source is not None
    reader = threading.Thread(target=lambda: lines.extend(source), daemon=True)
    reader.start()
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    reader.join(timeout=10)
    return lines


def _whole(db_path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
    return db


def test_killing_an_import_loses_no_acknowledged_sample(tmp_path: Path) -> None:
    samples = [
        {
            "sample_id": f"s{n}",
            "conversation": {
                "session_1_date_time": "1:56 pm on 8 May, 2023",
                "session_1": [
                    {"speaker": "Ana", "dia_id": f"D1:{t}", "text": f"Sample {n} turn {t} words."}
                    for t in range(400)
                ],
            },
        }
        for n in range(60)
    ]
    data = tmp_path / "big.json"
    data.write_text(json.dumps(samples))
    home = tmp_path / "home"
    command = [sys.executable, "-m", "os1.cli.main", "memory", "ingest", str(data), "--no-embed"]
    rng = random.Random(9)
    acknowledged: set[str] = set()
    for _ in range(5):
        lines = _run_and_kill(command, home, rng.uniform(0.8, 2.5), "stderr")
        acknowledged |= {line.split()[2].rstrip(":") for line in lines if "Stored sample" in line}
        if not (home / "os1.sqlite3").exists():
            continue
        db = _whole(home / "os1.sqlite3")
        counts = dict(
            db.execute(
                "SELECT t.title, count(m.id) FROM threads t LEFT JOIN messages m"
                " ON m.thread_id = t.id GROUP BY t.id"
            ).fetchall()
        )
        db.close()
        assert all(n in (0, 400) for n in counts.values())  # a sample lands whole, or not
        assert all(counts.get(f"import:{s}") == 400 for s in acknowledged)
    assert acknowledged, "the process never got far enough to acknowledge a sample"
    done = subprocess.run(command, env=_env(home), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    db = _whole(home / "os1.sqlite3")
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 60 * 400
    db.close()


def test_killing_during_extraction_and_reflection_loses_no_acknowledged_turn(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    rng = random.Random(4)
    acknowledged: set[int] = set()
    start = 0
    for _ in range(5):
        lines = _run_and_kill(
            [sys.executable, str(DRIVER), str(start)], home, rng.uniform(1.5, 3.0), "stdout"
        )
        acks = [line.split() for line in lines if line.startswith("ack ")]
        acknowledged |= {int(a[1]) for a in acks}
        start += 1000
        db = _whole(home / "os1.sqlite3")
        stored = {r[0] for r in db.execute("SELECT id FROM messages WHERE role = 'user'")}
        db.close()
        assert acknowledged <= stored
    assert len(acknowledged) >= 5
    db = _whole(home / "os1.sqlite3")
    facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    reflections = db.execute("SELECT count(*) FROM reflections").fetchone()[0]
    history = db.execute("SELECT count(*) FROM persona_history").fetchone()[0]
    db.close()
    assert facts > 0 and reflections > 0 and history > 1  # the killed work was under way
