"""Reading a book in a blink: keyword-searchable ingest of a 1 MB plain-text book.

    .venv/bin/python benchmarks/memory_reading.py [--runs 15] [--embed 40]

The book is made here, deterministically, from the words of Python's own standard
library (so it reads like no book at all, but has a real vocabulary); one rare word is
planted in it. "Stored" is Documents.store(): from the text in memory to committed and
keyword-searchable (passages, FTS5 index, history) in a fresh data folder each run. The
peer, measured in the same run, is the bare minimum SQLite can do: the same passages
into a plain FTS5 table. Then `os1 read` end to end, once, and the embedding throughput
of the packaged model on the book's first passages.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from os1.memory import Memory, Store
from os1.memory.embedding import MiniLM, embed_long, windows
from os1.memory.reading import passages, read_text

RARE = "quixotically"


def make_book(path: Path, size: int = 1_000_000, seed: int = 5) -> Path:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    words: list[str] = []
    for source in sorted(stdlib.glob("*.py"))[:120]:
        words += re.findall(r"\b[a-z]{3,12}\b", source.read_text(errors="replace"))
    rng = random.Random(seed)
    paragraphs, length, count = [], 0, 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            sentence = [rng.choice(words) for _ in range(rng.randint(6, 18))]
            count += 1
            if count == 2500:
                sentence.insert(2, RARE)
            sentences.append(" ".join(sentence).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    path.write_text("The Book of Everything\n\n" + "\n\n".join(paragraphs))
    return path


def stored_ms(book: Path) -> tuple[float, int]:
    text = read_text(book)
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "os1.sqlite3")
        memory = Memory(store, store.user_id())
        stored = memory.documents.store(text)
        hits = memory.recall.search(RARE, kinds=("passage",))
        assert hits and RARE in hits[0].text, "the rare word was not found"
        store.close()
    return stored.seconds * 1000, stored.document.passages


def peer_ms(book: Path) -> float:
    pieces = passages(read_text(book).text)
    with tempfile.TemporaryDirectory() as home:
        db = sqlite3.connect(Path(home) / "peer.sqlite3", isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("CREATE VIRTUAL TABLE t USING fts5 (text, tokenize='porter unicode61')")
        started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany("INSERT INTO t (text) VALUES (?)", [(p,) for p in pieces])
        db.execute("COMMIT")
        seconds = time.perf_counter() - started
        db.close()
    return seconds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--embed", type=int, default=40, help="passages to embed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        measure(args, Path(scratch))


def measure(args: argparse.Namespace, work: Path) -> None:
    book = make_book(work / "book.txt")
    megabytes = book.stat().st_size / 1_000_000
    ours, peers = [], []
    for _ in range(args.runs):
        ms, count = stored_ms(book)
        ours.append(ms)
        peers.append(peer_ms(book))
    median, peer = statistics.median(ours), statistics.median(peers)
    print(f"book: {megabytes:.2f} MB, {count} passages, rare word {RARE!r} found every run")
    print(
        f"stored and keyword-searchable: median {median:.1f} ms (min {min(ours):.1f},"
        f" max {max(ours):.1f}) = {megabytes / median * 1000:.0f} MB/s"
    )
    print(
        f"peer, bare FTS5 insert of the same passages: median {peer:.1f} ms;"
        f" OS1 / peer = {median / peer:.2f}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env["OS1_HOME"] = str(work / "home")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "os1.cli.main", "read", str(book), "--no-embed"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    whole = time.perf_counter() - started
    print(f"`os1 read` said: {done.stdout.strip()}")
    print(f"`os1 read` process end to end (Python start, extraction, store): {whole:.2f} s")
    model = MiniLM(threads=2)
    pieces = passages(read_text(book).text)[: args.embed]
    count_windows = sum(len(windows(p)) for p in pieces)
    started = time.perf_counter()
    embed_long(model, pieces)
    seconds = time.perf_counter() - started
    chars = sum(len(p) for p in pieces)
    print(
        f"embedding: {len(pieces)} passages ({count_windows} windows of <= 900 characters,"
        f" {chars / 1e6:.2f} MB) in {seconds:.1f} s = {len(pieces) / seconds:.1f} passages/s,"
        f" {count_windows / seconds:.0f} windows/s, {chars / 1e6 / seconds:.3f} MB/s;"
        f" the whole book would take about {megabytes / (chars / 1e6 / seconds):.0f} s"
    )


if __name__ == "__main__":
    main()
