"""Whether the conversation wants the engine now; background model work gives way then."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol


class Signal(Protocol):
    def is_set(self) -> bool: ...


class Busy:
    """Set while a turn runs (`turn`), and while any added check says so: a voice session
    adds one that holds from the user's first words until their turn reaches the
    companion. Work dropped only when the turn starts can still hold the engine then,
    since a prompt being read stops only at the end of its batch (a turn waited 5-13 s
    behind a 600-token one, docs/NOTES.md); dropped at the first words, it is gone by
    the time the user stops speaking, and Whisper has the cores to itself meanwhile."""

    def __init__(self) -> None:
        self.turn = threading.Event()
        self._checks: list[Callable[[], bool]] = []

    def is_set(self) -> bool:
        return self.turn.is_set() or any(check() for check in tuple(self._checks))

    def also_while(self, check: Callable[[], bool]) -> Callable[[], None]:
        """Count `check()` in until the returned function is called."""
        self._checks.append(check)

        def remove() -> None:
            if check in self._checks:
                self._checks.remove(check)

        return remove
