"""A real OS1 process for the kill -9 tests: talks turn after turn (extraction and
reflection in the background, slowed down), printing `ack ID` once a turn is stored."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from os1.app import App
from os1.companion import Companion
from os1.events import Done
from os1.memory.reflect import REFLECTION_SCHEMA
from os1.mind.base import Message
from os1.persona.setup import set_up
from os1.settings import load_settings
from os1.testing import ScriptedMind


def structured(messages: Sequence[Message], schema: dict[str, Any]) -> Any:
    if schema is REFLECTION_SCHEMA:
        return {
            "summary": "We talked about the garden and the sea.",
            "insights": ["Theo loves the sea."],
            "relationship": "Closer every day.",
            "drift": {
                k: 1 for k in ("warmth", "playfulness", "directness", "curiosity", "outgoing")
            },
        }
    said = messages[-1].content.strip('"\n ')[-50:]
    fact = {"about": "user", "statement": said, "importance": 3}
    if "replaces" in schema["properties"]["facts"]["items"]["properties"]:
        fact["replaces"] = 0
    return {"facts": [fact]}


async def main(start: int) -> None:
    mind = ScriptedMind(structured=structured, delay=0.002)
    app = App(load_settings(), mind=mind)
    if app.persona() is None:
        set_up(
            {"name": "Theo", "social": "social", "mother": "close"}, app.memory(), app.personas()
        )
    persona = app.persona()
    assert persona is not None
    companion = Companion(mind, app.memory(), persona, reflect_after_idle=0.0, reflect_every=2)
    for n in range(start, start + 10_000):
        async for event in companion.reply(f"Turn {n}: I walked by the sea and the garden."):
            if isinstance(event, Done):
                user_turn = app.memory().episodes.listing(limit=2)[1]
                print(f"ack {user_turn.id} {n}", flush=True)
        await asyncio.sleep(0.05 if n % 3 else 0.3)  # now and then, a quiet moment


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
