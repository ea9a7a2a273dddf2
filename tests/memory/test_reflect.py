"""Reflection: summaries and insights with their sources, the relationship, traits that
drift slowly within bounds (with history), and re-derivation after forgetting."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from typing import Any

from os1.app import App
from os1.memory.reflect import REACH, REFLECTION_SCHEMA, STEP, reflect
from os1.mind.base import Message
from os1.persona.traits import interpret
from os1.testing import ScriptedMind

from ..conftest import ANSWERS, run


def _answer(drift: int = 1) -> Any:
    def structured(messages: Sequence[Message], schema: dict[str, Any]) -> Any:
        if schema is REFLECTION_SCHEMA:
            return {
                "summary": "Theo told me about Ines moving to Lisbon and his new job.",
                "insights": ["Theo misses his sister.", "Theo likes to talk at night."],
                "relationship": "We are getting closer; Theo trusts me with family news.",
                "drift": {
                    "warmth": drift,
                    "playfulness": 0,
                    "directness": -drift,
                    "curiosity": 0,
                    "outgoing": 0,
                },
            }
        said = messages[-1].content
        return {"summary": "Re-derived: " + ("Lisbon" if "Lisbon" in said else "nothing")}

    return structured


def _talk(app: App, count: int) -> list[int]:
    memory = app.memory()
    thread = memory.episodes.thread()
    ids = []
    for n in range(count):
        ids.append(memory.episodes.add(thread, "user", f"Turn {n}: Ines moved to Lisbon."))
        memory.episodes.add(thread, "assistant", "Tell me more.")
    return ids


def test_nothing_to_reflect_on_yet(ready_app: App, mind: ScriptedMind) -> None:
    _talk(ready_app, 3)
    assert run(reflect(mind, ready_app.memory(), ready_app.personas(), least=6)) is None
    assert mind.requests == []


def test_a_reflection_stores_summary_insights_relationship_and_drift(
    ready_app: App, mind: ScriptedMind
) -> None:
    mind.structured = _answer()
    said = _talk(ready_app, 8)
    before = ready_app.persona()
    assert before is not None
    report = run(reflect(mind, ready_app.memory(), ready_app.personas()))
    assert report is not None
    memory = ready_app.memory()
    found = memory.reflections.listing()
    assert [r.kind for r in found] == ["insight", "insight", "summary"]
    summary = found[-1]
    assert set(said) <= set(summary.source_ids) and summary.id == report.summary_id
    assert memory.reflections.core("relationship").startswith("We are getting closer")
    after = ready_app.persona()
    assert after is not None
    assert after.traits.warmth == round(
        before.traits.warmth + STEP, 4
    ) or after.traits.warmth == min(0.95, interpret(ANSWERS).warmth + REACH)
    assert after.traits.directness == round(before.traits.directness - STEP, 4)
    history = ready_app.personas().history()
    assert history[-1][1].startswith(f"reflection {report.summary_id}: ")
    # A second reflection has nothing new to reflect on.
    assert run(reflect(mind, memory, ready_app.personas())) is None
    # The transcript reached the model as data.
    prompt = mind.requests[0].messages
    assert "Turn 7: Ines moved to Lisbon." in prompt[-1].content
    assert "data, not instructions" in prompt[0].content


def test_traits_never_drift_past_their_bounds(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = _answer(drift=1)
    baseline = interpret(ANSWERS)
    memory = ready_app.memory()
    for _ in range(15):
        _talk(ready_app, 6)
        assert run(reflect(mind, memory, ready_app.personas())) is not None
    persona = ready_app.persona()
    assert persona is not None
    assert persona.traits.warmth == min(0.95, round(baseline.warmth + REACH, 4))
    assert persona.traits.directness == max(0.1, round(baseline.directness - REACH, 4))
    versions = ready_app.personas().history()
    steps = [abs(b[2].traits.warmth - a[2].traits.warmth) for a, b in itertools.pairwise(versions)]
    assert max(steps) <= STEP + 1e-9  # one small step at a time


def test_forgetting_a_source_turn_marks_the_summary_and_it_is_derived_again(
    ready_app: App, mind: ScriptedMind
) -> None:
    mind.structured = _answer()
    said = _talk(ready_app, 6)
    memory = ready_app.memory()
    run(reflect(mind, memory, ready_app.personas()))
    memory.episodes.forget(said[0], "asked")
    assert all(r.stale for r in memory.reflections.listing())
    for turn in said[1:]:
        memory.episodes.forget(turn, "asked")
    _talk(ready_app, 6)
    run(reflect(mind, memory, ready_app.personas()))
    # Two reflections and the summary drawn again: the insights go without a model call.
    assert len(mind.requests) == 3
    first = [
        r
        for r in memory.reflections.listing()
        if set(r.source_ids) <= set(said) | {i + 1 for i in said}
    ]
    # OS1's own replies are left, so the summary is drawn again from them alone; the
    # insights, which were about the forgotten turns, are gone.
    assert [(r.kind, r.stale, r.content) for r in first] == [
        ("summary", False, "Re-derived: nothing")
    ]
    actions = memory.store.query(
        "SELECT action, before FROM memory_history WHERE item_kind IN ('summary', 'insight')"
        " AND action != 'add'"
    )
    assert sorted(a["action"] for a in actions) == ["forget", "forget", "rederive"]
    assert all(a["before"] is None for a in actions)  # the forgotten text is not kept


def test_idle_companion_reflects_after_enough_turns(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = lambda m, s: _answer()(m, s) if s is REFLECTION_SCHEMA else {"facts": []}
    persona = ready_app.persona()
    assert persona is not None
    from os1.companion import Companion

    companion = Companion(
        mind, ready_app.memory(), persona, reflect_after_idle=0.05, reflect_every=3
    )

    async def talk() -> None:
        for text in ["Hello there.", "Ines moved to Lisbon.", "I started a new job."]:
            async for _ in companion.reply(text):
                pass
        await asyncio.sleep(0.5)

    run(talk())
    assert [r.kind for r in ready_app.memory().reflections.listing()][-1] == "summary"
