"""Memory at scale: a million stored items, their ingest rate, size on disk, recall latency.

    .venv/bin/python benchmarks/memory_scale.py [--items 1000000] [--queries 300]

Items are conversation turns of 6 to 18 words drawn from the words of Python's standard
library, imported through Episodes.import_turns (FTS5 indexed as they land), 10,000 a
transaction. Their vectors are synthetic (2,000 topics plus noise, unit length) and
stored through Vectors.put: embedding a million turns with the packaged model would take
hours here, and what a search costs does not depend on where its vectors came from.
Recall is the whole Recall.search() of a conversation turn (keyword lists, the query
embedded by the packaged model, vector cells, fusion, bonuses), over facts, turns and
passages; then keyword alone, as the peer, on the same database in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

from os1.memory import Memory, Store
from os1.memory.embedding import LazyEmbedder, MiniLM
from os1.memory.episodes import ImportedTurn

BATCH = 10_000


def vocabulary() -> list[str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    words: list[str] = []
    for source in sorted(stdlib.glob("*.py"))[:120]:
        words += re.findall(r"\b[a-z]{3,12}\b", source.read_text(errors="replace"))
    return words


def fill(memory: Memory, items: int, words: list[str], rng: random.Random) -> float:
    thread = memory.episodes.thread("scale")
    started = time.perf_counter()
    for start in range(0, items, BATCH):
        turns = [
            ImportedTurn(
                " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + ".",
                f"2024-{1 + n * 12 // items:02d}-15T10:00:00+00:00",
                "Ana" if n % 2 else "Ben",
                f"S{n}",
            )
            for n in range(start, min(items, start + BATCH))
        ]
        memory.episodes.import_turns(thread, turns)
        if (start // BATCH) % 10 == 0:
            done = start + len(turns)
            rate = done / (time.perf_counter() - started)
            print(f"  {done:,} turns, {rate:,.0f} a second", flush=True)
    return time.perf_counter() - started


def vectors(memory: Memory, items: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((2000, 384)).astype(np.float32)
    started = time.perf_counter()
    for start in range(0, items, 20_000):
        count = min(items, start + 20_000) - start
        chosen = topics[rng.integers(0, 2000, count)]
        data = chosen + 0.8 * rng.standard_normal((count, 384)).astype(np.float32)
        data /= np.linalg.norm(data, axis=1, keepdims=True)
        memory.recall.vectors.put(
            [("message", start + i + 1) for i in range(count)], data, "synthetic"
        )
    return time.perf_counter() - started


def latencies(memory: Memory, queries: list[str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each search (CPU time says what the search
    itself costs when other work shares the cores)."""
    everything = ("fact", "message", "passage")
    for query in queries[:10]:  # warm the caches
        memory.recall.search(query, 6, kinds=everything)
    wall, cpu = [], []
    for query in queries:
        started, used = time.perf_counter(), time.process_time()
        memory.recall.search(query, 6, kinds=everything)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return wall, cpu


def describe(name: str, measured: tuple[list[float], list[float]]) -> str:
    parts = []
    for label, times in zip(("wall", "CPU"), measured, strict=True):
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        parts.append(f"{label} p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms")
    return f"{name}: {'; '.join(parts)} ({len(measured[0])} queries)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--home", help="a folder to keep the database in (default: temporary)")
    parser.add_argument(
        "--reuse", action="store_true", help="the database in --home is filled: measure it"
    )
    args = parser.parse_args()
    rng = random.Random(11)
    words = vocabulary()
    if args.home:
        measure(args, Path(args.home), rng, words)
        return
    with tempfile.TemporaryDirectory() as scratch:  # GBs at a million items
        measure(args, Path(scratch), rng, words)


def measure(args: argparse.Namespace, home: Path, rng: random.Random, words: list[str]) -> None:
    store = Store(home / "os1.sqlite3")
    lazy = LazyEmbedder(lambda: MiniLM(threads=2))
    memory = Memory(store, store.user_id(), lazy)
    if not args.reuse:
        print(f"importing {args.items:,} turns...")
        seconds = fill(memory, args.items, words, rng)
        print(f"ingest: {args.items:,} turns in {seconds:.0f} s = {args.items / seconds:,.0f}/s")
        seconds = vectors(memory, args.items, 3)
        print(f"vectors: {args.items:,} stored in {seconds:.0f} s")
    args.items = memory.episodes.count()
    if not args.reuse or memory.recall.vectors.needs_cells():
        started = time.perf_counter()
        cells = memory.recall.vectors.train_cells()
        print(
            f"cells: {cells:,} trained, assigned and clustered in"
            f" {time.perf_counter() - started:.0f} s"
        )
    store.query("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(p.stat().st_size for p in home.glob("os1.sqlite3*"))
    print(
        f"database: {size / 1e9:.2f} GB ({size / args.items:,.0f} bytes an item, FTS and"
        " int8 vectors included)"
    )
    queries = [
        " ".join(rng.choice(words) for _ in range(rng.randint(2, 6))) for _ in range(args.queries)
    ]
    lazy.load()
    hybrid = latencies(memory, queries)
    print(describe("recall, hybrid (query embedded by the packaged model)", hybrid))
    keyword = Memory(store, memory.user_id)  # the same store, no embedder: keyword alone
    print(describe("peer, keyword alone", latencies(keyword, queries)))
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    store.close()


if __name__ == "__main__":
    main()
