"""Skills in conversation: routing, proposals that wait for a yes, audit, and the forget skill."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from os1 import audit
from os1.app import App
from os1.events import ConfirmationNeeded, Done, ToolCall
from os1.mind.base import Message
from os1.skills.actions import answer_to_proposal
from os1.skills.base import Risk, SkillContext, SkillResult, parameters_schema, skill
from os1.testing import ScriptedMind

from .conftest import collect, run


def routing(choice: dict[str, Any]) -> Any:
    """A scripted mind whose structured answers route to `choice` (and extract nothing)."""

    def answer(messages: list[Message], schema: dict[str, Any]) -> Any:
        return choice if "anyOf" in schema else {"facts": []}

    return answer


def test_a_schema_comes_from_the_signature() -> None:
    async def f(
        context: SkillContext,
        *,
        path: str,
        depth: int = 2,
        names: list[str] | None = None,
        mode: Literal["fast", "safe"] = "fast",
    ) -> SkillResult:
        return SkillResult("")

    schema = parameters_schema(f)
    assert schema["required"] == ["path"]
    assert schema["properties"]["depth"] == {"type": "integer"}
    assert schema["properties"]["names"] == {"type": "array", "items": {"type": "string"}}
    assert schema["properties"]["mode"] == {"type": "string", "enum": ["fast", "safe"]}


def test_an_acting_skill_must_be_able_to_carry_out() -> None:
    with pytest.raises(ValueError, match="needs carry_out"):

        @skill("send", Risk.ACT)
        async def send(context: SkillContext, *, to: str) -> SkillResult:
            return SkillResult("")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", True),
        ("Yes please!", True),
        ("ok, go ahead", True),
        ("no", False),
        ("Don't.", False),
        ("never mind", False),
        ("yes but only the first one", None),
        ("what do you mean?", None),
        ("Nope", False),
    ],
)
def test_answers_to_a_proposal(text: str, answer: bool | None) -> None:
    assert answer_to_proposal(text) is answer


def test_forgetting_waits_for_a_yes_and_is_audited(ready_app: App, mind: ScriptedMind) -> None:
    memory = ready_app.memory()
    keep = memory.facts.add("I love rain.", "user")
    gone = memory.facts.add("My ex is called Sam.", "person")
    mind.structured = routing({"skill": "forget", "arguments": {"about": "ex"}})
    companion = ready_app.companion()
    events = run(collect(companion.reply("Please forget what I told you about my ex.")))
    assert ToolCall("forget", {"about": "ex"}) in events
    asked = next(e for e in events if isinstance(e, ConfirmationNeeded))
    assert "My ex is called Sam." in asked.summary
    assert memory.facts.get(gone) is not None  # nothing is forgotten yet
    note = mind.chats[-1].messages[-1].content
    assert "Nothing is done until Theo says yes" in note

    run(collect(companion.reply("yes")))
    assert memory.facts.get(gone) is None and memory.facts.get(keep) is not None
    actions = [a[1] for a in audit.entries(memory.store, memory.user_id)]
    assert actions[:2] == ["forget.done", "forget.propose"]
    assert "it is done" in mind.chats[-1].messages[-1].content


def test_a_no_leaves_everything(ready_app: App, mind: ScriptedMind) -> None:
    memory = ready_app.memory()
    fact = memory.facts.add("My ex is called Sam.", "person")
    mind.structured = routing({"skill": "forget", "arguments": {"about": "ex"}})
    companion = ready_app.companion()
    run(collect(companion.reply("Forget my ex.")))
    run(collect(companion.reply("no, leave it")))
    assert memory.facts.get(fact) is not None
    assert audit.entries(memory.store, memory.user_id)[0][1] == "forget.declined"


def test_a_yes_without_a_question_is_just_talk(ready_app: App, mind: ScriptedMind) -> None:
    memory = ready_app.memory()
    fact = memory.facts.add("My ex is called Sam.", "person")
    mind.structured = routing({"skill": "forget", "arguments": {"about": "ex"}})
    companion = ready_app.companion()
    run(collect(companion.reply("Forget my ex.")))
    run(collect(companion.reply("Tell me about your day first.")))  # the question moved on
    events = run(collect(companion.reply("yes")))
    assert isinstance(events[-1], Done)
    assert memory.facts.get(fact) is not None


def test_talking_about_forgetting_routes_to_nothing(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = routing({"skill": "none"})
    events = run(collect(ready_app.companion().reply("I always forget my keys.")))
    assert not any(isinstance(e, ToolCall | ConfirmationNeeded) for e in events)
    assert not any(
        r.options.json_schema is None
        and "forget" in r.messages[-1].content
        and "Nothing is done" in r.messages[-1].content
        for r in mind.requests
    )


def test_no_trigger_means_no_routing_call(ready_app: App, mind: ScriptedMind) -> None:
    run(collect(ready_app.companion().reply("What a lovely evening.")))
    assert not any(
        r.options.json_schema and "anyOf" in r.options.json_schema for r in mind.requests
    )


def test_the_button_path_decides_too(ready_app: App, mind: ScriptedMind) -> None:
    memory = ready_app.memory()
    fact = memory.facts.add("My ex is called Sam.", "person")
    mind.structured = routing({"skill": "forget", "arguments": {"about": "ex"}})
    companion = ready_app.companion()
    events = run(collect(companion.reply("Forget my ex.")))
    action = next(e for e in events if isinstance(e, ConfirmationNeeded)).action_id
    assert "gone for good" in run(companion.decide(action, True))
    assert memory.facts.get(fact) is None
