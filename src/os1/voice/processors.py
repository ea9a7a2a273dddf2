"""Small processors passing frames, and the pipeline that runs them.

Each processor is one stage with an inbox; it handles one frame at a time and pushes
what it makes to the next stage, so every stage works at once (the first sentence is
spoken while the model still writes the second). `Pipeline.interrupt()` overtakes the
queues: it stops every stage's work in hand, empties the inboxes, and lets each stage
reset, in order from the sound outwards so that OS1 falls silent first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

log = logging.getLogger(__name__)


class Processor:
    """One stage of the pipeline. Subclasses implement `handle`."""

    name = "processor"

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[object] = asyncio.Queue()
        self.next: Processor | None = None
        self.busy = False
        self.failure: BaseException | None = None
        self._task: asyncio.Task[None] | None = None

    async def handle(self, frame: object) -> None:
        """Do this stage's work on one frame; `push` what it makes."""
        await self.push(frame)

    async def push(self, frame: object) -> None:
        if self.next is not None:
            self.next.inbox.put_nowait(frame)

    async def reset(self) -> None:
        """After an interruption: forget the work that was stopped."""

    @property
    def idle(self) -> bool:
        return not self.busy and self.inbox.empty()

    async def _run(self) -> None:
        while True:
            frame = await self.inbox.get()
            self.busy = True
            try:
                await self.handle(frame)
            finally:
                self.busy = False

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)
            self._task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.failure = task.exception()
            log.debug("voice stage %s failed", self.name, exc_info=self.failure)

    async def stop(self) -> None:
        """Stop the work in hand and drop what is queued."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.busy = False
        while not self.inbox.empty():
            self.inbox.get_nowait()


class Pipeline:
    """Processors linked in order; frames go in at the first one."""

    def __init__(self, stages: Sequence[Processor]) -> None:
        self.stages = list(stages)
        for before, after in zip(self.stages, self.stages[1:], strict=False):
            before.next = after

    def start(self) -> None:
        for stage in self.stages:
            stage.start()

    def put(self, frame: object) -> None:
        self.stages[0].inbox.put_nowait(frame)

    async def interrupt(self, after: Processor) -> None:
        """Stop and reset every stage after `after` (the one that noticed the user),
        the last stage (the sound) first, then start them again."""
        index = self.stages.index(after)
        for stage in reversed(self.stages[index + 1 :]):
            await stage.stop()
            await stage.reset()
        for stage in self.stages[index + 1 :]:
            stage.start()

    def failure(self) -> BaseException | None:
        return next((s.failure for s in self.stages if s.failure is not None), None)

    def idle(self, after: int = 0) -> bool:
        return all(stage.idle for stage in self.stages[after:])

    async def stop(self) -> None:
        for stage in reversed(self.stages):
            await stage.stop()
