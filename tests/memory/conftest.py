"""Fixtures for memory tests: a fresh store, and one user's memory over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from os1.memory import Memory
from os1.memory.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "os1.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def memory(store: Store) -> Memory:
    return Memory(store, store.user_id("a"))
