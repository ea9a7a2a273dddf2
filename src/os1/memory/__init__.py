"""OS1's memory of one user: episodes, facts, documents, reflections and recall, over one
SQLite store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from os1.memory.documents import Documents
from os1.memory.embedding import LazyEmbedder
from os1.memory.episodes import Episodes
from os1.memory.facts import Facts
from os1.memory.recall import Recall
from os1.memory.reflections import Reflections
from os1.memory.store import Store


class Memory:
    """Everything OS1 remembers about one user; every part shares the same store."""

    def __init__(
        self,
        store: Store,
        user_id: int,
        embedder: LazyEmbedder | None = None,
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.store = store
        self.user_id = user_id
        self.embedder = embedder
        self.episodes = Episodes(store, user_id)
        self.facts = Facts(store, user_id)
        self.documents = Documents(store, user_id)
        self.reflections = Reflections(store, user_id)
        self.recall = Recall(store, user_id, embedder.loaded if embedder else None, clock)


__all__ = ["Memory", "Store"]
