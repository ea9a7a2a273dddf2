"""Work spread over processes: the GIL-free way to use every core for many small files.

Threads help little here: a file's open, read and close are each too short for the
GIL to be released usefully, and contended hand-offs cost more CPU than they save.
Forked workers share the scan copy-on-write and send back only small results. Forking
is only safe in a process that runs no other threads, which the caller checks.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def fork_map(
    function: Callable[[T], R],
    items: list[T],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """`[function(item) for item in items]`, in `workers` processes (this one included).
    A worker that fails has its share done again here, so the result is always whole."""
    if workers <= 1 or len(items) < 2 * workers or not can_fork():
        return _here(function, items, range(len(items)), progress)
    children = [_spawn(function, items, k, workers) for k in range(1, workers)]
    results: dict[int, R] = dict(
        zip(
            range(0, len(items), workers),
            _here(function, items, range(0, len(items), workers), progress),
            strict=True,
        )
    )
    for k, (pid, reader) in enumerate(children, 1):
        with os.fdopen(reader, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(pid, 0)
        share = range(k, len(items), workers)
        if status == 0 and data:
            results.update(pickle.loads(data))  # noqa: S301 - our own child's output
        else:
            results.update(zip(share, _here(function, items, share, None), strict=True))
    return [results[i] for i in range(len(items))]


def _here(
    function: Callable[[T], R],
    items: list[T],
    indices: range,
    progress: Callable[[int, int], None] | None,
) -> list[R]:
    out = []
    for done, i in enumerate(indices, 1):
        out.append(function(items[i]))
        if progress is not None:
            progress(done, len(indices))
    return out


def _spawn(function: Callable[[T], R], items: list[T], k: int, workers: int) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, write, and leave without running any cleanup
        code = 1
        try:
            os.close(reader)
            share = [(i, function(items[i])) for i in range(k, len(items), workers)]
            data = pickle.dumps(share, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as fh:
                fh.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


class Helpers:
    """Forked processes that take tasks through pipes while this process goes on with
    its own work (the walk). `offer` hands a task over only where a helper's pipe has
    room, so the caller never waits: it does the task itself instead. `collect` ends
    the helpers and returns their results by key; a helper that failed is simply
    missing from them, and the caller does its tasks again."""

    def __init__(self, function: Callable[[T], R], count: int) -> None:
        self._children: list[tuple[int, int, int]] = []  # pid, task writer, result reader
        self._next = 0
        if not can_fork():
            return
        for _ in range(count):
            inherited = [fd for _, writer, reader in self._children for fd in (writer, reader)]
            self._children.append(_helper(function, inherited))

    def __bool__(self) -> bool:
        return bool(self._children)

    def offer(self, key: int, task: T) -> bool:
        """Give `task` to a helper with room for it; False if none has."""
        if not self._children:
            return False
        data = pickle.dumps((key, task), protocol=pickle.HIGHEST_PROTOCOL)
        frame = len(data).to_bytes(4, "little") + data
        count = len(self._children)
        for attempt in range(count):
            index = (self._next + attempt) % count
            writer = self._children[index][1]
            try:
                written = os.write(writer, frame)
            except OSError:  # full (BlockingIOError) or gone (BrokenPipeError)
                continue
            if written < len(frame):  # a partial frame: the helper is reading, finish it
                os.set_blocking(writer, True)
                try:
                    _write_all(writer, frame[written:])
                finally:
                    os.set_blocking(writer, False)
            self._next = (index + 1) % count
            return True
        return False

    def collect(self) -> dict[int, R]:
        """Wait for the helpers to finish what they took; their results by key."""
        for _, writer, _ in self._children:
            os.close(writer)  # end of tasks: the helper reads to the end, then answers
        done: dict[int, R] = {}
        for pid, _, reader in self._children:
            with os.fdopen(reader, "rb") as fh:
                data = fh.read()
            _, status = os.waitpid(pid, 0)
            if status == 0 and data:
                done.update(pickle.loads(data))  # noqa: S301 - our own child's output
        self._children.clear()
        return done

    def close(self) -> None:
        """Stop any helper still running (after an error or an interruption)."""
        for pid, writer, reader in self._children:
            for fd in (writer, reader):
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        self._children.clear()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _helper(function: Callable[[T], R], inherited: list[int]) -> tuple[int, int, int]:
    task_reader, task_writer = os.pipe()
    result_reader, result_writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: take tasks until the pipe closes, answer, leave at once
        code = 1
        try:
            # Other helpers' pipe ends must not stay open here, or they never see the end.
            for fd in (task_writer, result_reader, *inherited):
                os.close(fd)
            done: dict[int, R] = {}
            with os.fdopen(task_reader, "rb") as tasks:
                while header := tasks.read(4):
                    key, task = pickle.loads(tasks.read(int.from_bytes(header, "little")))  # noqa: S301
                    done[key] = function(task)
            with os.fdopen(result_writer, "wb") as sink:
                sink.write(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(task_reader)
    os.close(result_writer)
    os.set_blocking(task_writer, False)
    return pid, task_writer, result_reader
