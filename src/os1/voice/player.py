"""What OS1 is saying right now: a queue of audio pieces the device pulls from.

The device's own thread pulls blocks (`pull`); the pipeline adds pieces (`add`) and, on
an interruption, empties it at once (`clear`). The player remembers how much of each
reply was actually played, which is what the user heard.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import numpy as np

from os1.voice.audio import Samples
from os1.voice.frames import ReplyText
from os1.voice.words import heard_until


class Player:
    def __init__(self, rate: int, clock: Callable[[], float] = time.perf_counter) -> None:
        self.rate = rate
        self._clock = clock
        self._lock = threading.Lock()
        self._queue: deque[tuple[ReplyText, Samples]] = deque()
        self._position = 0  # samples of the first queued piece already played
        self.first_sound: dict[int, float] = {}  # reply -> when its first sample played
        self.heard: dict[int, int] = {}  # reply -> offset in its text heard so far

    def add(self, piece: ReplyText, audio: Samples) -> None:
        with self._lock:
            self._queue.append((piece, audio))

    @property
    def playing(self) -> bool:
        with self._lock:
            return bool(self._queue)

    def pull(self, count: int) -> tuple[Samples, int]:
        """The next `count` samples to play (silence when there is nothing to say), and
        how many of them are OS1's voice."""
        out = np.zeros(count, np.float32)
        filled = 0
        with self._lock:
            while filled < count and self._queue:
                piece, audio = self._queue[0]
                if self._position == 0:
                    self.first_sound.setdefault(piece.reply, self._clock())
                take = min(count - filled, len(audio) - self._position)
                out[filled : filled + take] = audio[self._position : self._position + take]
                filled += take
                self._position += take
                self._note_heard(piece, audio)
                if self._position >= len(audio):
                    self._queue.popleft()
                    self._position = 0
        return out, filled

    def _note_heard(self, piece: ReplyText, audio: Samples) -> None:
        fraction = self._position / len(audio) if len(audio) else 1.0
        heard = piece.start + heard_until(piece.text, 0, len(piece.text), fraction)
        self.heard[piece.reply] = max(self.heard.get(piece.reply, 0), heard)

    def clear(self) -> None:
        """Stop talking now."""
        with self._lock:
            self._queue.clear()
            self._position = 0
