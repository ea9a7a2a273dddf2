"""Recall: the facts and past turns that matter for what the user just said.

Keyword ranking (SQLite FTS5, BM25, Porter stemming) over current facts and the
user's own past words, fused by reciprocal rank. Every hit carries its source id.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from os1.memory.store import Store

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


@dataclass(frozen=True)
class Recollection:
    kind: Literal["fact", "message"]
    id: int
    text: str
    when: str
    score: float


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


class Recall:
    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def search(
        self, text: str, limit: int = 6, exclude_messages: Collection[int] = ()
    ) -> list[Recollection]:
        """The best facts and past user turns for `text`, best first."""
        query = fts_query(text)
        if not query:
            return []
        facts = self._store.query(
            "SELECT f.id, f.statement AS text, f.valid_from AS at FROM facts_fts"
            " JOIN facts f ON f.id = facts_fts.rowid WHERE facts_fts MATCH ?"
            " AND f.user_id = ? AND f.valid_to IS NULL ORDER BY bm25(facts_fts) LIMIT ?",
            (query, self._user, limit * 2),
        )
        messages = self._store.query(
            "SELECT m.id, m.content AS text, m.created_at AS at FROM messages_fts"
            " JOIN messages m ON m.id = messages_fts.rowid WHERE messages_fts MATCH ?"
            " AND m.user_id = ? AND m.role = 'user' ORDER BY bm25(messages_fts) LIMIT ?",
            (query, self._user, limit * 2 + len(exclude_messages)),
        )
        scored: list[Recollection] = []
        for rank, row in enumerate(facts):
            # Facts are distilled; they win ties against the raw turns they came from.
            score = 1.2 / (_RRF_K + rank)
            scored.append(Recollection("fact", row["id"], row["text"], row["at"], score))
        kept = [r for r in messages if r["id"] not in exclude_messages]
        for rank, row in enumerate(kept):
            score = 1.0 / (_RRF_K + rank)
            scored.append(Recollection("message", row["id"], row["text"], row["at"], score))
        scored.sort(key=lambda r: r.score, reverse=True)
        return scored[:limit]
