"""Recall@5 and recall@10 on OS1's development set, through the evaluation interface.

    .venv/bin/python benchmarks/memory_recall.py [--answers 24] [--model qwen-1.5b]

For each conversation, in a fresh data folder: `os1 memory ingest --format sessions`,
then `os1 memory search --queries Q.jsonl --k 10 --json` (the real command, in a
subprocess). Recall@k is the share of a question's evidence turns found in the top k,
averaged over questions. The peer, measured in the same run, is keyword search alone
(BM25, the same ingest with --no-embed). With --answers N, the packaged chat model
answers N questions (spread over the categories) from the top 5 hits, and an answer
counts as right when it contains the expected answer (see right_answer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OS1 = [sys.executable, "-m", "os1.cli.main"]


def _os1(home: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env["OS1_HOME"] = str(home)
    done = subprocess.run([*OS1, *args], capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"os1 {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def run_sample(sample: dict[str, Any], embed: bool, work: Path) -> list[dict[str, Any]]:
    home = Path(tempfile.mkdtemp(dir=work))
    data = home / "sample.json"
    data.write_text(json.dumps([sample]))
    started = time.perf_counter()
    _os1(
        home / "os1",
        "memory",
        "ingest",
        "--format",
        "sessions",
        str(data),
        *([] if embed else ["--no-embed"]),
    )
    ingest = time.perf_counter() - started
    queries = home / "q.jsonl"
    queries.write_text(
        "".join(
            json.dumps({"id": str(i), "query": qa["question"]}) + "\n"
            for i, qa in enumerate(sample["qa"])
        )
    )
    started = time.perf_counter()
    out = _os1(home / "os1", "memory", "search", "--queries", str(queries), "--k", "10", "--json")
    search = time.perf_counter() - started
    answers = {line["id"]: line["hits"] for line in map(json.loads, out.splitlines())}
    rows = []
    for i, qa in enumerate(sample["qa"]):
        hits = [h["source_id"] for h in answers[str(i)]]
        evidence = qa["evidence"]
        rows.append(
            {
                "sample": sample["sample_id"],
                "category": qa["category"],
                "question": qa["question"],
                "answer": qa["answer"],
                "hits": answers[str(i)],
                "r5": sum(e in hits[:5] for e in evidence) / len(evidence),
                "r10": sum(e in hits[:10] for e in evidence) / len(evidence),
            }
        )
    print(
        f"  {sample['sample_id']}: ingest {ingest:.1f} s, {len(sample['qa'])} queries "
        f"in {search:.1f} s (one process)",
        file=sys.stderr,
    )
    return rows


def table(rows: list[dict[str, Any]]) -> dict[str, tuple[float, float, int]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["category"]].append(row)
        groups["all"].append(row)
    return {
        name: (sum(r["r5"] for r in g) / len(g), sum(r["r10"] for r in g) / len(g), len(g))
        for name, g in groups.items()
    }


def right_answer(expected: str, said: str) -> bool:
    """Whether the reply holds the expected answer (or one of its |-separated
    alternatives), ignoring case, a leading article and "by <author>"."""
    heard = " ".join(said.lower().split())
    for option in expected.lower().split("|"):
        option = re.sub(r"^(a|an|the) ", "", option.split(" by ")[0].strip())
        if option and option in heard:
            return True
    return False


async def answer_accuracy(rows: list[dict[str, Any]], count: int, model: str) -> tuple[int, int]:
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row)
    chosen: list[dict[str, Any]] = []
    while len(chosen) < count and any(by_category.values()):
        for group in by_category.values():
            if group and len(chosen) < count:
                chosen.append(group.pop(0))
    with tempfile.TemporaryDirectory() as home:  # the model is copied in: 1.1 GB
        return await _answer_accuracy(chosen, model, Path(home))


async def _answer_accuracy(chosen: list[dict[str, Any]], model: str, home: Path) -> tuple[int, int]:
    from os1.app import App
    from os1.mind.base import GenerationOptions, Message
    from os1.mind.structured import collect
    from os1.settings import load_settings

    app = App(load_settings(env={"OS1_HOME": str(home), "OS1_MODEL": model}))
    right = 0
    try:
        await app.mind.start()
        for row in chosen:
            memories = "\n".join(f"- {h['text']}" for h in row["hits"][:5])
            messages = [
                Message(
                    "system",
                    "Answer the question from these memories of a conversation, "
                    "in a few words. Later memories replace earlier ones.\n" + memories,
                ),
                Message("user", row["question"]),
            ]
            said = await collect(
                app.mind, messages, GenerationOptions(max_tokens=40, temperature=0)
            )
            ok = right_answer(str(row["answer"]), said)
            right += ok
            print(
                f"  [{'ok' if ok else '--'}] {row['question']} -> {said.strip()[:80]!r} "
                f"(expected {row['answer']!r})",
                file=sys.stderr,
            )
    finally:
        await app.aclose()
    return right, len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "benchmarks/data/dev.json"))
    parser.add_argument("--answers", type=int, default=0, help="questions the model answers")
    parser.add_argument("--model", default="qwen-1.5b")
    parser.add_argument("--keyword-peer", action="store_true", help="also BM25 alone")
    args = parser.parse_args()
    samples = json.loads(Path(args.data).read_text())
    with tempfile.TemporaryDirectory() as scratch:
        measure(args, samples, Path(scratch))


def measure(args: argparse.Namespace, samples: list[dict[str, Any]], work: Path) -> None:
    print("hybrid (keyword + vectors + recency):", file=sys.stderr)
    hybrid = [row for s in samples for row in run_sample(s, True, work)]
    results = {"hybrid": table(hybrid)}
    if args.keyword_peer:
        print("keyword only (BM25):", file=sys.stderr)
        results["keyword"] = table([row for s in samples for row in run_sample(s, False, work)])
    for name, by in results.items():
        print(f"\n{name}: category, recall@5, recall@10, questions")
        for category, (r5, r10, n) in sorted(by.items()):
            print(f"  {category:12s} {r5:.3f}  {r10:.3f}  {n}")
    misses = [r for r in hybrid if r["r5"] < 1]
    for row in misses:
        print(f"  miss@5 [{row['category']}] {row['sample']}: {row['question']}", file=sys.stderr)
    if args.answers:
        right, asked = asyncio.run(answer_accuracy(hybrid, args.answers, args.model))
        print(
            f"\nanswer accuracy ({args.model}, top 5 hits): {right}/{asked} = {right / asked:.2f}"
        )


if __name__ == "__main__":
    main()
