"""What recall adds to a conversation turn: Companion._prepare() timed, with and without
vectors, on a memory the size of a few months of talk.

    .venv/bin/python benchmarks/memory_turn.py [--turns 60]

The memory holds the development set's four conversations (about 1,100 turns, with
their vectors from the packaged model) and 200 facts. `_prepare` is everything a turn
does before the model starts: recall (keyword lists, the query embedded, vectors,
fusion), the memory note and the prompt. The peer is the same turn with keyword recall
alone (the embedding model not loaded: a one-shot `os1 ask`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from os1.companion import Companion
from os1.memory import Memory, Store
from os1.memory.embedding import LazyEmbedder, MiniLM
from os1.memory.indexing import embed_pending
from os1.memory.ingest import import_sessions
from os1.persona.persona import PersonaRecords
from os1.persona.setup import set_up
from os1.testing import ScriptedMind

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = [
    "How did Jonas get injured?",
    "I had a long day at work, my manager is driving me mad.",
    "Do you remember what my sister plays?",
    "What did I tell you last week?",
    "I'm thinking of adopting a dog.",
    "Where does Maya live now?",
]


def timed(companion: Companion, turns: int) -> list[float]:
    thread = companion.memory.episodes.thread("bench")
    times = []
    for n in range(turns):
        started = time.perf_counter()
        companion._prepare(thread, MESSAGES[n % len(MESSAGES)], None, [], {})
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        measure(args, Path(scratch))


def measure(args: argparse.Namespace, home: Path) -> None:
    store = Store(home / "os1.sqlite3")
    lazy = LazyEmbedder(lambda: MiniLM(threads=2))
    memory = Memory(store, store.user_id(), lazy)
    records = PersonaRecords(store, memory.user_id)
    set_up({"name": "Theo", "social": "social", "mother": "close"}, memory, records)
    data = home / "dev.json"
    data.write_text(json.dumps(json.loads((ROOT / "benchmarks/data/dev.json").read_text())))
    import_sessions(memory.episodes, data)
    for n in range(200):
        memory.facts.add(f"Fact number {n}: I like thing {n} and place {n * 7}.")
    model = lazy.load()
    assert model is not None
    report = embed_pending(memory.recall.vectors, model)
    persona = records.load()
    assert persona is not None
    with_vectors = Companion(ScriptedMind(), memory, persona, reflect_after_idle=None)
    hybrid = timed(with_vectors, args.turns)
    keyword_memory = Memory(store, memory.user_id, LazyEmbedder(lambda: model))  # not loaded
    keyword = timed(Companion(ScriptedMind(), keyword_memory, persona), args.turns)
    print(f"memory: {memory.episodes.count():,} turns, 200 facts, {report.embedded:,} vectors")
    for name, times in (("hybrid (vectors loaded)", hybrid), ("keyword alone (peer)", keyword)):
        ordered = sorted(times)
        print(
            f"{name}: _prepare median {statistics.median(times):.1f} ms,"
            f" p90 {ordered[int(len(ordered) * 0.9)]:.1f} ms"
        )
    print(f"hybrid / keyword = {statistics.median(hybrid) / statistics.median(keyword):.2f}")
    store.close()


if __name__ == "__main__":
    main()
