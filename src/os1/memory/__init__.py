"""OS1's memory of one user: episodes, facts and recall, over one SQLite store."""

from __future__ import annotations

from os1.memory.episodes import Episodes
from os1.memory.facts import Facts
from os1.memory.recall import Recall
from os1.memory.store import Store


class Memory:
    """Everything OS1 remembers about one user; every part shares the same store."""

    def __init__(self, store: Store, user_id: int) -> None:
        self.store = store
        self.user_id = user_id
        self.episodes = Episodes(store, user_id)
        self.facts = Facts(store, user_id)
        self.recall = Recall(store, user_id)


__all__ = ["Memory", "Store"]
