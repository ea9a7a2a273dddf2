"""Proofreading quality: precision, recall and F0.5 of word-level edits on the development
set (benchmarks/data/proofread_dev.tsv), for OS1's combined proofreader, the model alone and
the spell checker alone, with the median seconds a sentence.

An edit is a replaced span of words (punctuation counts as a word): the system's edits are
compared with the reference's, both found by aligning with the original sentence, and an
edit counts as right only when the same words become the same words. F0.5 weighs precision
twice as much as recall, as proofreading should (a wrong fix is worse than a missed one).

    .venv/bin/python benchmarks/proofread_quality.py [--model qwen-1.5b] [--limit N]
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import re
import statistics
import time
from pathlib import Path

from os1.app import build_mind
from os1.letters.proofread import MODES, Proofreader
from os1.settings import load_settings

DATA = Path(__file__).parent / "data" / "proofread_dev.tsv"
_TOKEN = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")


def edits(source: str, target: str) -> set[tuple[int, int, str]]:
    a, b = _TOKEN.findall(source), _TOKEN.findall(target)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return {(i1, i2, " ".join(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()
            if op != "equal"}  # fmt: skip


def score(rows: list[tuple[str, str, str]]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for source, reference, output in rows:
        gold, made = edits(source, reference), edits(source, output)
        tp += len(gold & made)
        fp += len(made - gold)
        fn += len(gold - made)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
    return p, r, f


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    pairs = [tuple(line.split("\t")) for line in DATA.read_text().splitlines()
             if line and not line.startswith("#")]  # fmt: skip
    pairs = pairs[: args.limit or None]
    settings = load_settings(flags={"model": args.model})
    mind = build_mind(settings)
    await mind.start()
    print(f"{len(pairs)} sentences, model {mind.info.name}")
    try:
        for mode in MODES:
            proofreader = Proofreader(mind if mode != "spelling" else None, mode)
            rows, times, exact = [], [], 0
            for source, reference in pairs:
                started = time.perf_counter()
                output = (await proofreader.check(source)).corrected()
                times.append(time.perf_counter() - started)
                rows.append((source, reference, output))
                exact += output == reference
            p, r, f = score(rows)
            median = statistics.median(times)
            print(f"{mode:<9} precision {p:.2f}  recall {r:.2f}  F0.5 {f:.2f}  "
                  f"exact {exact}/{len(pairs)}  median {median:.2f} s/sentence")  # fmt: skip
            for source, reference, output in rows:
                if output != reference:
                    print(f"    {source!r} -> {output!r} (want {reference!r})")
    finally:
        await mind.aclose()


if __name__ == "__main__":
    asyncio.run(main())
