"""Background model work (fact extraction) leaves the engine to the conversation: a turn
that starts drops its request, and it runs again from the start once the turn is over."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from os1.app import App
from os1.memory import remembering
from os1.memory.busy import Busy
from os1.memory.remembering import giving_way
from os1.mind.base import GenerationOptions, Message
from os1.testing import ScriptedMind

from ..conftest import collect, run


@dataclass
class CountingMind(ScriptedMind):
    """Notes the most structured requests (fact extractions) it served at once."""

    running: int = 0
    most: int = 0

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        structured = options.json_schema is not None
        self.running += structured
        self.most = max(self.most, self.running)
        try:
            async for piece in super().stream(messages, options):
                yield piece
        finally:
            self.running -= structured


@pytest.fixture
def mind() -> CountingMind:
    return CountingMind()


def test_work_stops_when_a_turn_starts_and_starts_again_when_it_ends() -> None:
    busy = threading.Event()
    steps: list[str] = []

    async def work() -> int:
        steps.append("started")
        await asyncio.sleep(0.3)
        steps.append("finished")
        return len(steps)

    async def scenario() -> int:
        task = asyncio.create_task(giving_way(work, busy))
        await asyncio.sleep(0.1)
        busy.set()  # a turn starts while the work runs
        await asyncio.sleep(0.4)
        assert steps == ["started"]  # dropped, and not started again during the turn
        busy.clear()
        return await task

    assert run(scenario()) == 3
    assert steps == ["started", "started", "finished"]


def test_work_waits_for_a_turn_in_progress() -> None:
    busy = threading.Event()
    busy.set()

    async def work() -> str:
        assert not busy.is_set()
        return "done"

    async def scenario() -> str:
        task = asyncio.create_task(giving_way(work, busy))
        await asyncio.sleep(0.1)
        assert not task.done()
        busy.clear()
        return await task

    assert run(scenario()) == "done"


def test_a_turn_that_never_ends_holds_the_work_back_only_so_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(remembering, "_LONGEST_WAIT", 0.2)
    busy = threading.Event()
    busy.set()  # a reply its caller dropped without closing: busy for good

    async def work() -> str:
        return "done"

    assert run(asyncio.wait_for(giving_way(work, busy), 10)) == "done"


def test_a_fact_extraction_gives_way_to_the_next_turn(ready_app: App, mind: CountingMind) -> None:
    said = "Ines is my sister and she lives in Porto, by the river, in a small old flat."

    def facts(_messages: Sequence[Message], _schema: dict[str, Any]) -> Any:
        return {"facts": [{"about": "person", "statement": said, "importance": 3}]}

    mind.structured = facts
    mind.replies = ["Porto is lovely.", "Good night, Theo."]  # three words: never paused
    companion = ready_app.companion()

    async def two_turns() -> None:
        await collect(companion.reply("My sister Ines lives in Porto."))
        mind.pause_after = 3  # the extraction is still writing...
        while not mind.running:
            await asyncio.sleep(0.01)
        mind.delay = 0.1  # (a turn lasts: the extraction looks every 20 ms)
        await collect(companion.reply("Good night."))  # ...when the next turn comes
        mind.resume.set()
        await companion.settle()

    run(two_turns())
    extractions = [r for r in mind.requests if r.options.json_schema is not None]
    told = [r for r in extractions if "My sister Ines lives in Porto." in r.messages[-1].content]
    assert len(told) == 2  # dropped when the second turn started, then made again
    statements = [f.statement for f in ready_app.memory().facts.current()]
    assert statements.count(said) == 1


def test_extractions_given_way_start_again_one_at_a_time(
    ready_app: App, mind: CountingMind
) -> None:
    told = ["My sister Ines lives in Porto.", "My boss is called Paul.", "I love old books."]
    mind.structured = lambda messages, _schema: {
        "facts": [
            {
                "about": "user",
                "statement": messages[-1].content.split('"""')[1].strip() + " " + "so " * 20,
                "importance": 3,
            }
        ]
    }
    companion = ready_app.companion()

    async def turns() -> None:
        for text in told:
            await collect(companion.reply(text))
            mind.delay = 0.02  # each extraction writes for about half a second
            await asyncio.sleep(0.1)  # the next turn comes before it is done
        await companion.settle()

    run(turns())
    assert mind.most == 1  # the interrupted ones did not pile up in the engine
    stored = " ".join(f.statement for f in ready_app.memory().facts.current())
    assert all(text in stored for text in told)  # and every one was done in the end


def test_busy_is_a_turn_or_any_check_added_until_it_is_removed() -> None:
    busy = Busy()
    speaking = [False]
    assert not busy.is_set()
    busy.turn.set()
    assert busy.is_set()
    busy.turn.clear()
    remove = busy.also_while(lambda: speaking[0])
    assert not busy.is_set()
    speaking[0] = True
    assert busy.is_set()  # a voice session hears the user's first words
    remove()
    remove()  # twice is harmless
    assert not busy.is_set()
