"""One import of a heavy package at a time, across the threads that load models.

A voice session loads Whisper, Silero, Piper and the embedding model in parallel threads.
Their packages import one another's modules (faster_whisper, onnxruntime), and two threads
importing them at once can deadlock in Python's import system: CI saw `_DeadlockError`
on `faster_whisper.utils`. Loaders take their imports under this lock; the loading
itself (minutes of work in total) still runs in parallel.
"""

from __future__ import annotations

import threading

IMPORTING = threading.RLock()  # reentrant: a loader may call a helper that imports too
