"""Companion.heard: memory keeps what the user actually heard of a cut-off reply."""

from __future__ import annotations

import asyncio

from os1.app import App
from os1.testing import ScriptedMind

from ..conftest import collect, run

REPLY = "One. Two. Three. Four. Five. Six. Seven. Eight."


def test_a_finished_reply_cut_while_spoken_keeps_what_was_heard(
    ready_app: App, mind: ScriptedMind
) -> None:
    mind.replies = [REPLY]
    companion = ready_app.companion()
    run(collect(companion.reply("Count for me.")))
    companion.heard("One. Two. Thr")
    reply = ready_app.memory().episodes.listing()[0]
    assert reply.interrupted and reply.content == "One. Two. Thr"
    assert reply.meta["written"] == REPLY
    # The model sees what was heard, cut off, in the next turn's prompt.
    run(collect(companion.reply("Sorry, go on.")))
    assert any(m.content == "One. Two. Thr\u2026" for m in mind.chats[-1].messages)


def test_a_reply_cut_while_still_written(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = [REPLY]
    mind.delay = 0.02
    companion = ready_app.companion()

    async def cut() -> None:
        stream = companion.reply("Count for me.")
        async for _ in stream:
            break
        await stream.aclose()  # what voice does on an interruption
        companion.heard("One.")

    asyncio.run(cut())
    reply = ready_app.memory().episodes.listing()[0]
    assert reply.interrupted and reply.content == "One."
    assert reply.meta["written"].startswith("One.")


def test_nothing_stored_means_nothing_changed(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = [REPLY]
    companion = ready_app.companion()
    run(collect(companion.reply("Count for me.")))
    memory = ready_app.memory()
    thread = memory.episodes.thread("main")
    memory.episodes.add(thread, "user", "And again?")  # a new turn, not answered yet
    companion.heard("")
    earlier = memory.episodes.listing()[1]
    assert earlier.content == REPLY and not earlier.interrupted
