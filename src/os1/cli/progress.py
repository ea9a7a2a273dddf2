"""A progress bar on stderr for long work (embedding), and the Ctrl-C that stops it."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from os1.cli.lines import say
from os1.memory import Memory
from os1.memory.indexing import IndexReport, embed_pending

_WIDTH = 28


class Bar:
    """`label ▕█████░░░░▏ 1,234/5,000 41% 312/s`, redrawn in place on a terminal; on a
    pipe, a line at each quarter."""

    def __init__(self, label: str, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.stream = stream
        self.started = time.perf_counter()
        self._shown = -1
        self._tty = stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        if not self._tty:
            quarter = int(share * 4)
            if quarter > self._shown and done:
                self._shown = quarter
                print(f"{self.label}: {done:,}/{total:,}", file=self.stream, flush=True)
            return
        filled = int(share * _WIDTH)
        rate = done / max(1e-9, time.perf_counter() - self.started)
        bar = "\u2588" * filled + "\u2591" * (_WIDTH - filled)
        line = f"\r{self.label} \u2595{bar}\u258f {done:,}/{total:,} {share:4.0%} {rate:,.0f}/s"
        self.stream.write(line)
        self.stream.flush()

    def end(self) -> None:
        if self._tty:
            self.stream.write("\n")
            self.stream.flush()


def embed_with_progress(memory: Memory) -> int:
    """Embed what has no vector yet, showing progress; Ctrl-C stops, keeping what is done."""
    if memory.embedder is None:
        return 0
    pending = memory.recall.vectors.count_pending()
    if not pending:
        return 0
    model = memory.embedder.load()
    if model is None:
        say(f"Vectors skipped: {memory.embedder.error}. Keyword search works without them.")
        return 0
    bar = Bar("Embedding")
    try:
        report: IndexReport = embed_pending(memory.recall.vectors, model, progress=bar)
    except KeyboardInterrupt:
        bar.end()
        left = memory.recall.vectors.count_pending()
        say(f"Stopped; {left:,} items still need vectors. `os1 memory embed` resumes.")
        return 130
    bar.end()
    cells = f"; grouped into {report.cells:,} cells" if report.cells else ""
    say(
        f"Embedded {report.embedded:,} items in {report.seconds:.1f} s "
        f"({report.rate:,.0f} a second){cells}."
    )
    return 0
