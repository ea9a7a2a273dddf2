"""Recall: the facts, past turns and passages read that matter for a question.

Hybrid ranking, fused by reciprocal rank: keyword lists (SQLite FTS5, BM25, Porter
stemming) for facts, turns and passages; one list from the packaged embedding model
(when its vectors exist); then small bonuses for recency and importance. A question
that names a time ("last week", "in May 2023") favours what was said then. Every hit
carries its source id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from os1.memory.embedding import Embedder
from os1.memory.store import Store, inline_ids
from os1.memory.vectors import Vectors
from os1.memory.when import Window, time_window

_STOPWORD_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves tell told remember know think please okay ok hey hi hello yes yeah really also
    still ever get got let lets say said dont im ive id youre thats whats"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_RRF_K = 60
_MAX_TERMS = 16
_POOL = 40  # candidates taken from each list
_WEIGHTS = {
    "fact": 1.2,
    "message": 1.0,
    "passage": 0.9,
    "vector": 1.0,
    "time": 1.0,
    "speaker": 0.8,
    "lookup": 1.0,  # a one-word query is a lookup: rows holding the word come first
}
_RECENCY = 0.0006  # at most a move of two or three places in the fused ranking
_IMPORTANCE = 0.0004  # per step of a fact's importance away from 3
_OUTDATED = 0.4  # a turn with a fact corrected since: part of what it said no longer holds
# "Where does she live now?": the newest of several candidates is far more likely right.
_NOW = re.compile(
    r"\b(now|currently|these days|at the moment|nowadays|anymore|lately|latest|still|current)\b",
    re.IGNORECASE,
)
_NOW_FACTOR = 4.0
_NEAR_ENOUGH = 0.15  # cosine below which a vector neighbour is no evidence at all

HitKind = Literal["fact", "message", "passage"]


@dataclass(frozen=True)
class Recollection:
    kind: HitKind
    id: int
    text: str
    when: str
    score: float
    source_id: str = ""  # where it came from: a turn's own id, a document's path
    speaker: str = ""  # who said it, for imported conversations


def search_terms(text: str) -> list[str]:
    """The words worth searching for, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in re.findall(r"\w+", text.lower()):
        word = word.replace("_", "")
        if len(word) < 2 or word in _STOPWORDS or (word.isdigit() and len(word) != 4):
            continue  # numbers other than years rarely identify a memory
        seen.setdefault(word, None)
    return list(seen)[:_MAX_TERMS]


def fts_query(text: str) -> str:
    """An FTS5 query matching any of the terms ('' when there is nothing to search)."""
    return " OR ".join(f'"{term}"' for term in search_terms(text))


def excerpt(text: str, terms: list[str], width: int = 600) -> str:
    """The part of a long text around the first place the terms appear."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    lowered = flat.lower()
    places = [p for p in (lowered.find(t[: max(4, len(t) - 2)]) for t in terms) if p >= 0]
    start = max(0, min(places) - width // 3) if places else 0
    start = flat.rfind(" ", 0, start) + 1 if start else 0
    piece = flat[start : start + width]
    return ("\u2026" if start else "") + piece + ("\u2026" if start + width < len(flat) else "")


_KEYWORD_SQL = {
    "fact": (
        "SELECT f.id, f.statement AS text, f.valid_from AS at, f.importance, NULL AS speaker,"
        " f.source_ids AS source FROM facts_fts JOIN facts f ON f.id = facts_fts.rowid"
        " WHERE facts_fts MATCH :q AND +f.user_id = :user AND f.valid_to IS NULL {window}"
        " {order} LIMIT :limit"
    ),
    "message": (
        "SELECT m.id, m.content AS text, m.created_at AS at, 3 AS importance, m.speaker,"
        " m.source_id AS source FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
        " WHERE messages_fts MATCH :q AND +m.user_id = :user AND m.role IN ({roles}) {window}"
        " {order} LIMIT :limit"
    ),
    "passage": (
        "SELECT p.id, p.text, d.read_at AS at, 3 AS importance, NULL AS speaker,"
        " d.path AS source FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid"
        " JOIN documents d ON d.id = p.document_id"
        " WHERE passages_fts MATCH :q AND +d.user_id = :user {window}"
        " {order} LIMIT :limit"
    ),
}
_FTS = {"fact": "facts_fts", "message": "messages_fts", "passage": "passages_fts"}
# Rows are fetched by their ids with `+x.user_id`: the unary plus keeps SQLite from
# preferring a user_id index (and scanning all of a user's rows) over the id lookups.
# A term found in this many rows says little, and ranking all of them would cost more
# than the rest of the search: such terms are left out while rarer ones are there.
_COMMON = 4000
_WINDOW_COLUMN = {"fact": "f.valid_from", "message": "m.created_at", "passage": "d.read_at"}
_BY_ID_SQL = {
    "fact": (
        "SELECT f.id, f.statement AS text, f.valid_from AS at, f.importance, NULL AS speaker,"
        " f.source_ids AS source FROM facts f WHERE f.id IN ({ids}) AND +f.user_id = :user"
        " AND f.valid_to IS NULL"
    ),
    "message": (
        "SELECT m.id, m.content AS text, m.created_at AS at, 3 AS importance, m.speaker,"
        " m.source_id AS source FROM messages m WHERE m.id IN ({ids}) AND +m.user_id = :user"
        " AND m.role IN ({roles})"
    ),
    "passage": (
        "SELECT p.id, p.text, d.read_at AS at, 3 AS importance, NULL AS speaker,"
        " d.path AS source FROM passages p JOIN documents d ON d.id = p.document_id"
        " WHERE p.id IN ({ids}) AND +d.user_id = :user"
    ),
}
_IN_WINDOW_SQL = (
    "SELECT m.id, m.content AS text, m.created_at AS at, 3 AS importance, m.speaker,"
    " m.source_id AS source FROM messages m WHERE m.user_id = :user AND m.role IN ({roles})"
    " AND m.created_at >= :start AND m.created_at < :end ORDER BY m.id DESC LIMIT :limit"
)


@dataclass
class _Candidate:
    kind: HitKind
    row: Any
    score: float = 0.0


class Recall:
    def __init__(
        self,
        store: Store,
        user_id: int,
        embedder: Callable[[], Embedder | None] | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self._store = store
        self._user = user_id
        self._embedder = embedder or (lambda: None)
        self._clock = clock
        self.vectors = Vectors(store, user_id)
        self._frequency: dict[tuple[str, str], int] = {}

    def search(
        self,
        text: str,
        limit: int = 6,
        exclude_messages: Collection[int] = (),
        *,
        kinds: Collection[HitKind] = ("fact", "message"),
        roles: Collection[str] = ("user",),
        prefer_current: bool = True,
        near_enough: float = _NEAR_ENOUGH,
    ) -> list[Recollection]:
        """The best memories for `text`, best first; a neighbour by meaning alone counts
        from a cosine of `near_enough`."""
        window = time_window(text, self._clock())
        keywords = text.lower().replace(window.words, " ") if window else text
        terms = search_terms(keywords)
        roles_sql = ",".join(f"'{r}'" for r in roles if r in ("user", "assistant")) or "''"
        speakers = self._speakers(terms) if "message" in kinds else []
        pool: dict[tuple[str, int], _Candidate] = {}
        if terms:
            for kind in kinds:
                rows = self._keyword(kind, terms, roles_sql)
                self._fuse(pool, kind, rows, _WEIGHTS[kind])
                if len(terms) == 1:  # "quixotically": no neighbour by meaning outranks it
                    self._fuse(pool, kind, rows, _WEIGHTS["lookup"])
                if window is not None:  # what was said then, on top of what matches anywhere
                    rows = self._keyword(kind, terms, roles_sql, window=window)
                    self._fuse(pool, kind, rows, _WEIGHTS["time"])
            rest = [t for t in terms if t not in speakers]
            for speaker in speakers:  # "what did Ana say about...": Ana's own words
                if rest:
                    rows = self._keyword("message", rest, roles_sql, speaker=speaker)
                    self._fuse(pool, "message", rows, _WEIGHTS["speaker"])
        if window is not None and "message" in kinds:
            start, end = window.bounds()
            rows = self._store.query(
                _IN_WINDOW_SQL.format(roles=roles_sql),
                {"user": self._user, "start": start, "end": end, "limit": _POOL},
            )
            self._fuse(pool, "message", rows, _WEIGHTS["time"] * (0.5 if terms else 1.0))
        if terms:
            self._vector_lists(pool, keywords, kinds, roles_sql, speakers, near_enough)
        self._bonuses(pool, prefer_current, _NOW.search(text) is not None)
        excluded = {("message", i) for i in exclude_messages}
        ranked = sorted(
            (c for key, c in pool.items() if key not in excluded),
            key=lambda c: c.score,
            reverse=True,
        )
        return [_recollection(c, terms) for c in ranked[:limit]]

    def _speakers(self, terms: list[str]) -> list[str]:
        """Terms that are the name of someone whose words were imported."""
        found = []
        for term in terms[:8]:
            rows = self._store.query(
                "SELECT 1 FROM messages WHERE user_id = ? AND speaker = ? COLLATE NOCASE LIMIT 1",
                (self._user, term),
            )
            if rows:
                found.append(term)
        return found

    def _keyword(
        self,
        kind: str,
        terms: list[str],
        roles: str,
        *,
        window: Window | None = None,
        speaker: str = "",
    ) -> list[Any]:
        query, order = self._match(kind, terms)
        clause = ""
        params: dict[str, Any] = {"q": query, "user": self._user, "limit": _POOL}
        if window is not None:
            clause = f"AND {_WINDOW_COLUMN[kind]} >= :start AND {_WINDOW_COLUMN[kind]} < :end"
            params["start"], params["end"] = window.bounds()
        if speaker:
            clause += " AND m.speaker = :speaker COLLATE NOCASE"
            params["speaker"] = speaker
        sql = _KEYWORD_SQL[kind].format(window=clause, roles=roles, order=order)
        return self._store.query(sql, params)

    def _match(self, kind: str, terms: list[str]) -> tuple[str, str]:
        """The FTS5 query and its order: the rarer terms ranked by BM25; when every term
        is common, the newest rows holding all of them. BM25 weighs a term by how many
        rows hold it, which FTS5 counts by reading the term's whole row list: for a word
        in half a million turns that alone took 20 ms, so common terms are never ranked."""
        table = _FTS[kind]
        rare = [t for t in terms if self._rows_with(table, t) < _COMMON]
        if rare:
            return " OR ".join(f'"{t}"' for t in rare), f"ORDER BY bm25({table})"
        return " AND ".join(f'"{t}"' for t in terms), f"ORDER BY {table}.rowid DESC"

    def _rows_with(self, table: str, term: str) -> int:
        """How many rows hold `term`, counted up to `_COMMON` (a bounded cost)."""
        key = (table, term)
        if key not in self._frequency:
            rows = self._store.query(
                f"SELECT count(*) AS n FROM (SELECT rowid FROM {table} WHERE {table}"  # noqa: S608
                f" MATCH ? LIMIT {_COMMON})",
                (f'"{term}"',),
            )
            if len(self._frequency) > 10_000:
                self._frequency.clear()
            self._frequency[key] = int(rows[0]["n"])
        return self._frequency[key]

    @staticmethod
    def _fuse(
        pool: dict[tuple[str, int], _Candidate], kind: HitKind, rows: list[Any], weight: float
    ) -> None:
        for rank, row in enumerate(rows):
            candidate = pool.setdefault((kind, row["id"]), _Candidate(kind, row))
            candidate.score += weight / (_RRF_K + rank)

    def _vector_lists(
        self,
        pool: dict[tuple[str, int], _Candidate],
        text: str,
        kinds: Collection[HitKind],
        roles: str,
        speakers: list[str],
        near_enough: float,
    ) -> None:
        """The nearest memories by meaning; and, when the question names a speaker, the
        nearest among that speaker's own words."""
        embedder = self._embedder()
        if embedder is None:
            return
        for name in speakers:
            text = re.sub(rf"\b{re.escape(name)}(?:'s)?\b", " ", text, flags=re.IGNORECASE)
        wanted = _POOL * 5 if speakers else _POOL  # room to find the speaker's own among them
        nearest = self.vectors.search(embedder.embed([text])[0], wanted, kinds)
        rows = self._rows(nearest, roles)
        ranked = [(k, i) for k, i, score in nearest if (k, i) in rows and score >= near_enough]
        lists = [(ranked[:_POOL], _WEIGHTS["vector"])]
        for speaker in speakers:
            own = [key for key in ranked if (rows[key]["speaker"] or "").lower() == speaker]
            lists.append((own[:_POOL], _WEIGHTS["speaker"]))
        for keys, weight in lists:
            for rank, key in enumerate(keys):
                candidate = pool.setdefault(key, _Candidate(key[0], rows[key]))  # type: ignore[arg-type]
                candidate.score += weight / (_RRF_K + rank)

    def _rows(
        self, nearest: list[tuple[str, int, float]], roles: str
    ) -> dict[tuple[str, int], Any]:
        """The rows behind vector hits that may be shown (current facts, wanted roles)."""
        ids: dict[str, list[int]] = {}
        for kind, item_id, _score in nearest:
            ids.setdefault(kind, []).append(item_id)
        rows: dict[tuple[str, int], Any] = {}
        for kind, wanted in ids.items():
            sql = _BY_ID_SQL[kind].format(roles=roles, ids=inline_ids(wanted))
            for row in self._store.query(sql, {"user": self._user}):
                rows[(kind, row["id"])] = row
        return rows

    def _bonuses(
        self, pool: dict[tuple[str, int], _Candidate], prefer_current: bool, now: bool
    ) -> None:
        if not pool:
            return
        times = sorted({c.row["at"] or "" for c in pool.values()})
        place = {stamp: n + 1 for n, stamp in enumerate(times)}  # the same time, the same bonus
        recency = _RECENCY * (_NOW_FACTOR if now else 1.0)
        for candidate in pool.values():
            candidate.score += recency * place[candidate.row["at"] or ""] / len(times)
            if candidate.kind == "fact":
                candidate.score += _IMPORTANCE * (int(candidate.row["importance"]) - 3)
        if prefer_current:
            for message_id in self._outdated([k[1] for k in pool if k[0] == "message"]):
                pool[("message", message_id)].score *= _OUTDATED

    def _outdated(self, message_ids: list[int]) -> set[int]:
        """Turns with a fact that has been superseded since: what they said no longer
        (all) holds, and the turn that corrected it says what does."""
        if not message_ids:
            return set()
        rows = self._store.query(
            "SELECT s.value AS id, max(f.valid_to IS NOT NULL) AS old FROM facts f,"
            " json_each(f.source_ids) s WHERE f.user_id = ? AND s.value IN"
            " (SELECT value FROM json_each(?)) GROUP BY s.value",
            (self._user, json.dumps(message_ids)),
        )
        return {int(r["id"]) for r in rows if r["old"]}


def _recollection(candidate: _Candidate, terms: list[str]) -> Recollection:
    row = candidate.row
    text = row["text"]
    if candidate.kind == "passage":
        text = excerpt(text, terms)
    return Recollection(
        candidate.kind,
        int(row["id"]),
        text,
        row["at"] or "",
        round(candidate.score, 6),
        source_id=_source_id(candidate.kind, row),
        speaker=row["speaker"] or "",
    )


def _source_id(kind: str, row: Any) -> str:
    source = row["source"]
    if kind == "fact":
        turns = json.loads(source or "[]")
        return f"m{turns[0]}" if turns else f"f{row['id']}"
    if kind == "message":
        return str(source) if source else f"m{row['id']}"
    return str(source)


def with_sources(store: Store, user_id: int, hits: list[Recollection]) -> list[Recollection]:
    """Facts' source ids as the source turn's own id (an imported turn's id), where it has one."""
    turns = [int(h.source_id[1:]) for h in hits if h.kind == "fact" and h.source_id[:1] == "m"]
    if not turns:
        return hits
    rows = store.query(
        f"SELECT id, source_id FROM messages WHERE id IN ({inline_ids(turns)})"  # noqa: S608
        " AND +user_id = ? AND source_id IS NOT NULL",
        (user_id,),
    )
    own = {f"m{r['id']}": r["source_id"] for r in rows}
    return [replace(h, source_id=own.get(h.source_id, h.source_id)) for h in hits]
