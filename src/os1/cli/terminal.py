"""Terminal plumbing: an event loop beside the prompt, and rendering a streamed turn.

The loop runs in its own thread so background work (remembering, loading the model)
goes on while the user types at a plain `input()` prompt, and Ctrl-C during a reply
cancels just that reply, after which the partial reply is stored as interrupted.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, TextIO, TypeVar

from os1.cli.lines import CORAL, paint, say
from os1.events import ConfirmationNeeded, Done, Event, Failed, Notice, TextDelta

T = TypeVar("T")


class LoopThread:
    """An asyncio loop in a background thread, driven from the blocking main thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="os1-loop", daemon=True)
        self._thread.start()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run to completion; on Ctrl-C cancel it, wait for its cleanup, then re-raise."""
        holder: dict[str, asyncio.Task[T]] = {}

        async def tracked() -> T:
            task = asyncio.current_task()
            assert task is not None
            holder["task"] = task
            return await coro

        future = self.submit(tracked())
        try:
            return future.result()
        except KeyboardInterrupt:
            finished = threading.Event()

            def cancel() -> None:
                task = holder.get("task")
                if task is None or task.done():
                    finished.set()
                    return
                task.add_done_callback(lambda _: finished.set())
                task.cancel()

            self.loop.call_soon_threadsafe(cancel)
            finished.wait(timeout=10)
            raise

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)


async def render(
    events: AsyncIterator[Event],
    speaker: str,
    out: TextIO = sys.stdout,
    on_event: Callable[[Event], None] | None = None,
) -> Done | None:
    """Print a streamed turn; notices and failures go to stderr, one line each.
    Other events (skills, proposals) go to `on_event`, or are shown as plain notices."""
    started = False
    done: Done | None = None
    try:
        async for event in events:
            if isinstance(event, TextDelta):
                if not started and speaker:
                    out.write(paint(f"{speaker} \u203a ", CORAL, out))
                started = True
                out.write(event.text)
                out.flush()
            elif isinstance(event, Notice):
                say(event.text)
            elif isinstance(event, Failed):
                _end_line(out, started)
                started = False
                say(f"os1: {event.error}")
            elif isinstance(event, Done):
                done = event
            elif on_event is not None:
                on_event(event)
            elif isinstance(event, ConfirmationNeeded):
                say(event.summary)
    except asyncio.CancelledError:
        _end_line(out, started)
        raise
    _end_line(out, started)
    return done


def _end_line(out: TextIO, started: bool) -> None:
    if started:
        out.write("\n")
        out.flush()
