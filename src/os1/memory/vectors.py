"""Vectors for facts, turns and passages: stored as int8 in SQLite, searched by cosine.

Up to a few tens of thousands of vectors a search reads them all (kept in memory
between searches). Beyond that they are grouped into inverted-file cells (spherical
k-means centroids, trained once the collection is big enough and again when it has
grown a lot), and a search reads only the cells nearest the query.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from os1.memory.store import Store, inline_ids

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Kind = Literal["fact", "message", "passage"]
KINDS: tuple[Kind, ...] = ("fact", "message", "passage")
CELL_THRESHOLD = 40_000  # below this, every search reads every vector
_PROBES = 4
_PER_CELL = 500  # vectors a cell holds on average when trained
_TABLES = {"fact": "facts", "message": "messages", "passage": "passages"}
_SCALE = 127.0

# What still needs a vector, per kind: (kind, id, text) for one user.
_PENDING = {
    "fact": (
        "SELECT 'fact' AS kind, f.id, f.statement AS text FROM facts f"
        " LEFT JOIN vectors v ON v.kind = 'fact' AND v.item_id = f.id"
        " WHERE f.user_id = :user AND v.item_id IS NULL ORDER BY f.id LIMIT :limit"
    ),
    "message": (
        # Without the speaker's name: a name in a short text outweighs its meaning, and
        # a question naming the speaker is matched against that speaker's turns instead.
        "SELECT 'message' AS kind, m.id, m.content AS text"
        " FROM messages m LEFT JOIN vectors v ON v.kind = 'message' AND v.item_id = m.id"
        " WHERE m.user_id = :user AND m.role != 'context' AND v.item_id IS NULL"
        " ORDER BY m.id LIMIT :limit"
    ),
    "passage": (
        "SELECT 'passage' AS kind, p.id, p.text FROM passages p"
        " JOIN documents d ON d.id = p.document_id"
        " LEFT JOIN vectors v ON v.kind = 'passage' AND v.item_id = p.id"
        " WHERE d.user_id = :user AND v.item_id IS NULL ORDER BY p.id LIMIT :limit"
    ),
}


@dataclass(frozen=True)
class Pending:
    kind: Kind
    id: int
    text: str


def quantise(vectors: NDArray[np.float32]) -> NDArray[np.int8]:
    import numpy as np

    result: NDArray[np.int8] = np.clip(np.rint(vectors * _SCALE), -127, 127).astype(np.int8)
    return result


def _matrix(blobs: Sequence[bytes], dims: int) -> NDArray[np.float32]:
    import numpy as np

    if not blobs:
        return np.zeros((0, dims), dtype=np.float32)
    raw = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), dims)
    result: NDArray[np.float32] = raw.astype(np.float32) / _SCALE
    return result


class Vectors:
    """One user's vectors in the store."""

    def __init__(self, store: Store, user_id: int, dims: int = 384) -> None:
        self._store = store
        self._user = user_id
        self._dims = dims
        self._cache: tuple[tuple[int, int], list[tuple[str, int]], NDArray[np.float32]] | None
        self._cache = None
        self._centroids: tuple[int, NDArray[np.float32]] | None = None

    # -- writing ---------------------------------------------------------------------

    def pending(self, limit: int = 256, kinds: Collection[str] = KINDS) -> list[Pending]:
        """Items that have no vector yet, oldest first, a few of each kind."""
        found: list[Pending] = []
        for kind in KINDS:
            if kind in kinds and len(found) < limit:
                rows = self._store.query(
                    _PENDING[kind], {"user": self._user, "limit": limit - len(found)}
                )
                found.extend(Pending(r["kind"], r["id"], r["text"]) for r in rows)
        return found

    def count_pending(self) -> int:
        return sum(
            self._store.query(
                f"SELECT count(*) AS n FROM ({_PENDING[k]})",  # noqa: S608 (our own SQL)
                {"user": self._user, "limit": -1},
            )[0]["n"]
            for k in KINDS
        )

    def put(
        self, items: Sequence[tuple[str, int]], vectors: NDArray[np.float32], model: str
    ) -> None:
        """Store vectors for (kind, id) items, each in its nearest cell."""
        if not items:
            return
        cells = self._cells_for(vectors)
        packed = quantise(vectors)
        rows = [
            (kind, item_id, self._user, model, int(cell), packed[i].tobytes())
            for i, ((kind, item_id), cell) in enumerate(zip(items, cells, strict=True))
        ]
        with self._store.write() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (kind, item_id, user_id, model, cell, vector)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            # An item forgotten while its vector was being computed stays forgotten.
            for kind, table in _TABLES.items():
                listed = inline_ids(i for k, i in items if k == kind)
                db.execute(
                    f"DELETE FROM vectors WHERE kind = ? AND item_id IN ({listed}) AND NOT EXISTS"  # noqa: S608
                    f" (SELECT 1 FROM {table} t WHERE t.id = vectors.item_id)",
                    (kind,),
                )

    def _cells_for(self, vectors: NDArray[np.float32]) -> list[int]:
        centroids = self._load_centroids()
        if centroids is None or not len(vectors):
            return [0] * len(vectors)
        return [int(c) + 1 for c in (vectors @ centroids.T).argmax(axis=1)]

    def _load_centroids(self) -> NDArray[np.float32] | None:
        # max(id) is one look at the end of the key; count(*) would read every centroid.
        last = int(self._store.query("SELECT max(id) AS last FROM vector_cells")[0]["last"] or 0)
        if last == 0:
            self._centroids = None
            return None
        if self._centroids is None or self._centroids[0] != last:
            import numpy as np

            blobs = [
                r[0] for r in self._store.tuples("SELECT centroid FROM vector_cells ORDER BY id")
            ]
            matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(-1, self._dims)
            self._centroids = (last, matrix)
        return self._centroids[1]

    # -- cells -----------------------------------------------------------------------

    def needs_cells(self) -> bool:
        """Whether the collection is big enough (or has grown enough) to (re)train cells."""
        total = int(self._store.query("SELECT count(*) AS n FROM vectors")[0]["n"])
        cells = int(self._store.query("SELECT max(id) AS n FROM vector_cells")[0]["n"] or 0)
        if total < CELL_THRESHOLD:
            return False
        return cells == 0 or total > 1.5 * _trained_for(cells)

    def train_cells(self, seed: int = 7, chunk: int = 50_000) -> int:
        """Group every stored vector into cells; returns the number of cells. Reads the
        vectors a chunk at a time, so a million of them never sit in memory at once."""
        import numpy as np

        total = int(self._store.query("SELECT count(*) AS n FROM vectors")[0]["n"])
        count = max(16, min(4096, total // _PER_CELL))
        sample_rows = self._store.query(
            "SELECT vector FROM vectors ORDER BY random() LIMIT ?", (count * 24,)
        )
        centroids = _kmeans(_matrix([r["vector"] for r in sample_rows], self._dims), count, seed)
        with self._store.write() as db:
            db.execute("DELETE FROM vector_cells")
            db.executemany(
                "INSERT INTO vector_cells (id, model, centroid) VALUES (?, 'trained', ?)",
                [(i + 1, centroids[i].astype(np.float32).tobytes()) for i in range(count)],
            )
            last = 0
            while True:
                rows = db.execute(
                    "SELECT rowid, vector FROM vectors WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (last, chunk),
                ).fetchall()
                if not rows:
                    break
                cells = (_matrix([r[1] for r in rows], self._dims) @ centroids.T).argmax(axis=1)
                db.executemany(
                    "UPDATE vectors SET cell = ? WHERE rowid = ?",
                    [(int(c) + 1, r[0]) for c, r in zip(cells, rows, strict=True)],
                )
                last = rows[-1][0]
            _cluster(db)
        self._centroids = None
        self._cache = None
        return count

    # -- searching -------------------------------------------------------------------

    def search(
        self, query: NDArray[np.float32], limit: int, kinds: Collection[str] = KINDS
    ) -> list[tuple[str, int, float]]:
        """(kind, id, cosine) of the nearest vectors, best first."""
        import numpy as np

        centroids = self._load_centroids()
        if centroids is None:
            keys, matrix = self._everything()
        else:
            near = np.argsort(-(centroids @ query))[:_PROBES] + 1
            marks = ",".join("?" * len(near))
            rows = self._store.tuples(
                f"SELECT kind, item_id, vector FROM vectors WHERE user_id = ? AND cell IN ({marks})",  # noqa: E501, S608
                (self._user, *[int(c) for c in near]),
            )
            keys = [(r[0], r[1]) for r in rows]
            matrix = _matrix([r[2] for r in rows], self._dims)
        if not keys:
            return []
        scores = matrix @ query
        wanted = set(kinds)
        if len(scores) > 4 * limit:  # only the best few need sorting
            best = np.argpartition(-scores, 4 * limit)[: 4 * limit]
            order = best[np.argsort(-scores[best])]
        else:
            order = np.argsort(-scores)
        found: list[tuple[str, int, float]] = []
        for i in order:
            kind, item_id = keys[int(i)]
            if kind in wanted:
                found.append((kind, item_id, float(scores[int(i)])))
                if len(found) >= limit:
                    break
        return found

    def _everything(self) -> tuple[list[tuple[str, int]], NDArray[np.float32]]:
        """All of this user's vectors, kept between searches: new rows are appended, and
        anything else (a deletion, a replacement) reloads them."""
        import numpy as np

        row = self._store.query(
            "SELECT count(*) AS n, max(rowid) AS last FROM vectors WHERE user_id = ?", (self._user,)
        )[0]
        stamp = (int(row["n"]), int(row["last"] or 0))
        cached = self._cache
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        since = cached[0][1] if cached is not None else 0
        rows = self._store.tuples(
            "SELECT kind, item_id, vector FROM vectors WHERE user_id = ? AND rowid > ?",
            (self._user, since),
        )
        if cached is not None and cached[0][0] + len(rows) == stamp[0]:
            keys = cached[1] + [(r[0], r[1]) for r in rows]
            matrix = np.vstack([cached[2], _matrix([r[2] for r in rows], self._dims)])
        else:
            rows = self._store.tuples(
                "SELECT kind, item_id, vector FROM vectors WHERE user_id = ?", (self._user,)
            )
            keys = [(r[0], r[1]) for r in rows]
            matrix = _matrix([r[2] for r in rows], self._dims)
        self._cache = (stamp, keys, matrix)
        return keys, matrix


def _cluster(db: sqlite3.Connection) -> None:
    """Rewrite the table in cell order, so a cell's vectors sit on neighbouring pages and
    a search reads a few runs of pages instead of thousands of scattered ones."""
    db.execute(
        "CREATE TEMP TABLE clustered AS SELECT kind, item_id, user_id, model, cell, vector"
        " FROM vectors ORDER BY user_id, cell"
    )
    db.execute("DELETE FROM vectors")
    db.execute(
        "INSERT INTO vectors (kind, item_id, user_id, model, cell, vector)"
        " SELECT kind, item_id, user_id, model, cell, vector FROM clustered ORDER BY rowid"
    )
    db.execute("DROP TABLE clustered")


def _trained_for(cells: int) -> int:
    return cells * _PER_CELL


def _kmeans(
    data: NDArray[np.float32], count: int, seed: int, rounds: int = 8
) -> NDArray[np.float32]:
    """Spherical k-means on a sample: centroids of unit length."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sample = data[rng.choice(len(data), size=min(len(data), count * 24), replace=False)]
    centroids = sample[rng.choice(len(sample), size=count, replace=False)].copy()
    for _ in range(rounds):
        assigned = (sample @ centroids.T).argmax(axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assigned, sample)
        empty = np.linalg.norm(sums, axis=1) < 1e-6
        sums[empty] = sample[rng.choice(len(sample), size=int(empty.sum()), replace=False)]
        centroids = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    result: NDArray[np.float32] = centroids.astype(np.float32)
    return result
