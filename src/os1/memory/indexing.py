"""Embedding what has no vector yet: in batches, with progress, stoppable and resumable.

Nothing here remembers where it stopped: what still lacks a vector is simply what
has no row in `vectors`, so an interrupted run (Ctrl-C, kill -9, a closed laptop) is
resumed by running again, and each finished batch is already stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from os1.memory.busy import Signal
from os1.memory.embedding import Embedder, embed_long
from os1.memory.vectors import KINDS, Vectors

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class IndexReport:
    embedded: int
    seconds: float
    finished: bool  # False when stopped before the end
    cells: int = 0  # inverted-file cells trained at the end (0: none needed)

    @property
    def rate(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0


def embed_pending(
    vectors: Vectors,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
    stop: Signal | None = None,
    batch: int = 64,
    kinds: tuple[str, ...] = KINDS,
) -> IndexReport:
    """Give every fact, turn and passage without a vector its vector."""
    total = vectors.count_pending()
    done = 0
    started = time.perf_counter()
    if progress:
        progress(0, total)
    while not (stop and stop.is_set()):
        items = vectors.pending(batch, kinds)
        if not items:
            break
        matrix = embed_long(embedder, [item.text for item in items])
        vectors.put([(item.kind, item.id) for item in items], matrix, embedder.model_id)
        done += len(items)
        if progress:
            progress(done, max(total, done))
    finished = not (stop and stop.is_set())
    cells = vectors.train_cells() if finished and vectors.needs_cells() else 0
    return IndexReport(done, time.perf_counter() - started, finished, cells)
