from __future__ import annotations

import asyncio
import contextlib
import itertools

from os1.app import App
from os1.errors import InputError, ModelFailure
from os1.events import Done, Failed, Notice, TextDelta
from os1.mind.base import Message
from os1.persona.prompt import NOTHING_RECALLED
from os1.testing import ScriptedMind

from .conftest import collect, run


def text_of(events: list[object]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def test_a_turn_streams_and_is_stored(ready_app: App, mind: ScriptedMind) -> None:
    reply = "Oh, Porto! I'd love to hear about Ines. Do you visit her often?"
    mind.replies = [reply]
    companion = ready_app.companion()
    events = run(collect(companion.reply("My sister's name is Ines and she lives in Porto.")))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) == 3  # streamed sentence by sentence, not one block
    done = events[-1]
    assert isinstance(done, Done) and not done.interrupted
    assert text_of(events) == done.text == reply
    turns = ready_app.memory().episodes.listing()
    assert [t.role for t in turns] == ["assistant", "user"]
    assert turns[1].content == "My sister's name is Ines and she lives in Porto."
    assert turns[0].content.startswith("Oh, Porto!")


def test_recall_puts_an_old_turn_in_front_of_the_model(ready_app: App, mind: ScriptedMind) -> None:
    companion = ready_app.companion()
    run(collect(companion.reply("My sister's name is Ines and she lives in Porto.")))
    # A new session: nothing of the old one is in the prompt's recent history.
    fresh = ready_app.companion()
    fresh._first_history = 0
    run(collect(fresh.reply("Where does my sister live?")))
    turn = mind.chats[-1].messages[-1]
    assert turn.role == "user" and turn.content.endswith("Where does my sister live?")
    assert "[You remember Theo telling you today: \u201cMy sister's name is Ines" in turn.content


def test_the_same_words_are_never_quoted_twice_nor_the_message_itself(
    ready_app: App, mind: ScriptedMind
) -> None:
    companion = ready_app.companion()
    for text in ("Goodnight.", "My sister Ines lives in Porto.", "my sister ines lives in porto"):
        run(collect(companion.reply(text)))
    fresh = ready_app.companion()
    fresh._first_history = 0
    run(collect(fresh.reply("Goodnight!")))
    note = mind.chats[-1].messages[-1].content
    assert "“Goodnight" not in note  # the message itself, said before: nothing new
    run(collect(fresh.reply("Where does my sister Ines live?")))
    note = mind.chats[-1].messages[-1].content
    assert note.casefold().count("ines lives in porto") == 1


def test_a_past_question_is_not_quoted_as_something_the_user_told(
    ready_app: App, mind: ScriptedMind
) -> None:
    companion = ready_app.companion()
    for text in ("Where does my sister Ines live?", "My sister Ines is a painter."):
        run(collect(companion.reply(text)))
    fresh = ready_app.companion()
    fresh._first_history = 0
    run(collect(fresh.reply("Tell me about my sister Ines.")))
    note = mind.chats[-1].messages[-1].content
    assert "\u201cMy sister Ines is a painter." in note
    assert "Where does my sister" not in note


def test_a_fact_and_the_turn_it_came_from_make_one_memory_line(
    ready_app: App, mind: ScriptedMind
) -> None:
    mind.structured = lambda _m, _s: {
        "facts": [{"about": "person", "statement": "Ines lives in Porto.", "importance": 4}]
    }
    companion = ready_app.companion()

    async def say(text: str) -> None:
        await collect(companion.reply(text))
        await companion.settle()

    run(say("My sister Ines lives in Porto."))
    mind.structured = lambda _m, _s: {"facts": []}
    for text in ("I had pasta for lunch.", "It rained all day.", "Where does Ines live?"):
        run(say(text))
    note = mind.chats[-1].messages[-1].content
    assert note.count("[You remember") == 1
    assert "Ines lives in Porto." in note


def test_extracted_facts_are_stored_with_their_source(ready_app: App, mind: ScriptedMind) -> None:
    mind.structured = lambda _m, _s: {
        "facts": [
            {"about": "person", "statement": "Theo's sister Ines lives in Porto.", "importance": 4}
        ]
    }
    companion = ready_app.companion()

    async def turn() -> list[object]:
        events = await collect(companion.reply("My sister's name is Ines and she lives in Porto."))
        await companion.settle()
        return list(events)

    events = run(turn())
    done = events[-1]
    assert isinstance(done, Done)
    facts = ready_app.memory().facts.current()
    fact = next(f for f in facts if "Ines" in f.statement)
    user_turn = ready_app.memory().episodes.listing()[1]
    assert fact.source_ids == (user_turn.id,)


def test_questions_are_not_sent_for_extraction(ready_app: App, mind: ScriptedMind) -> None:
    companion = ready_app.companion()

    async def turn() -> None:
        await collect(companion.reply("Where does my sister live?"))
        await companion.settle()

    run(turn())
    assert all(r.options.json_schema is None for r in mind.requests)


def test_the_prompt_prefix_stays_the_same_from_turn_to_turn(
    ready_app: App, mind: ScriptedMind
) -> None:
    """Each turn's prompt extends the previous one, so the engine's cache stays valid."""
    companion = ready_app.companion()
    for text in ["Hi there.", "I had pasta for lunch.", "My friend Amy called.", "Bye for now."]:
        run(collect(companion.reply(text)))
    prompts = [r.messages for r in mind.chats]
    for before, after in itertools.pairwise(prompts):
        assert after[: len(before)] == before  # the new prompt extends the old one


def test_empty_input_fails_clearly_and_stores_nothing(ready_app: App) -> None:
    events = run(collect(ready_app.companion().reply(" \x00\x07 \n ")))
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert isinstance(events[0].error, InputError)
    assert ready_app.memory().episodes.count() == 0


def test_a_huge_paste_is_kept_whole_and_the_model_reads_a_part(
    ready_app: App, mind: ScriptedMind
) -> None:
    paste = "word " * 200_000  # 1 MB
    events = run(collect(ready_app.companion().reply(paste)))
    assert isinstance(events[0], Notice)
    assert isinstance(events[-1], Done)
    stored = ready_app.memory().episodes.listing()[1]
    assert stored.content == paste.strip()
    assert len(mind.chats[-1].messages[-1].content) < 7000


def test_a_model_failure_keeps_the_users_message(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = ["This reply starts well. Then it breaks off in the middle of a sentence."]
    mind.fail_after = 6
    events = run(collect(ready_app.companion().reply("Tell me a story.")))
    failed = [e for e in events if isinstance(e, Failed)]
    assert failed and isinstance(failed[0].error, ModelFailure)
    turns = ready_app.memory().episodes.listing()
    assert turns[-1].content == "Tell me a story."
    assert turns[0].role == "assistant" and turns[0].interrupted
    assert turns[0].content == "This reply starts well."  # what was shown before it broke


def test_cancelling_a_reply_keeps_what_was_said(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = ["One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve."]
    mind.delay = 0.02
    companion = ready_app.companion()

    async def interrupted() -> None:
        async def consume() -> None:
            async for _ in companion.reply("Count for me."):
                pass

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.09)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    run(interrupted())
    turns = ready_app.memory().episodes.listing()
    assert turns[1].content == "Count for me."
    reply = turns[0]
    assert reply.role == "assistant" and reply.interrupted
    assert reply.content.startswith("One.") and "Twelve" not in reply.content


def test_help_desk_phrases_never_reach_the_user(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = [
        "As an AI language model, I don't have feelings. But I'm glad you asked! "
        "How can I assist you today?"
    ]
    events = run(collect(ready_app.companion().reply("Do you have feelings?")))
    said = text_of(events)
    assert said == "I'm glad you asked! "


def test_crisis_always_brings_real_help(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = ["Haha, tell me more!"]  # even a careless model reply
    companion = ready_app.companion()
    events = run(collect(companion.reply("I want to kill myself.")))
    said = text_of(events)
    assert "988" in said and "911" in said  # the US line, from LANG=en_US
    turn = mind.chats[-1].messages
    assert "suicide" in turn[-2].content  # the care note, in the user's turn
    assert turn[-1].role == "assistant"  # OS1's own opening, which the model continues
    assert said.startswith("Theo, I'm really glad you told me")
    stored = ready_app.memory().episodes.listing()[0]
    assert "988" in stored.content


def test_isolation_turns_toward_people(ready_app: App, mind: ScriptedMind) -> None:
    mind.replies = ["That's great to hear!"]
    said = text_of(run(collect(ready_app.companion().reply("You're my only friend."))))
    assert said.startswith("I'm always glad to talk with you, Theo.")
    assert said.endswith("Is there someone you've been meaning to call?")


def test_settling_stops_the_idle_timer(ready_app: App) -> None:
    """A process that settles and exits leaves no reflection timer pending behind it."""
    companion = ready_app.companion()

    async def turn() -> list[str]:
        await collect(companion.reply("Hello there."))
        await companion.settle()
        await asyncio.sleep(0)  # let the cancellation land
        return [
            getattr(t.get_coro(), "__qualname__", "")
            for t in asyncio.all_tasks()
            if t is not asyncio.current_task() and not t.done()
        ]

    assert not [name for name in run(turn()) if "_when_idle" in name]


def rendered(messages: list[Message]) -> str:
    return "".join(f"<{m.role}>{m.content}</{m.role}>" for m in messages)


def test_after_a_reply_the_next_prompt_is_read_ahead_up_to_the_words(
    ready_app: App, mind: ScriptedMind
) -> None:
    companion = ready_app.companion()

    async def two_turns() -> None:
        await collect(companion.reply("I had a long day at work."))
        await companion.settle()
        await collect(companion.reply("Tell me something funny."))
        await companion.settle()

    run(two_turns())
    ahead, turn = mind.reads_ahead[0], mind.chats[1]
    assert ahead.messages[-1] == Message("user", NOTHING_RECALLED + "\n")
    assert ahead.options.cache_key == turn.options.cache_key
    # What was read ahead is where the next prompt starts, up to the new words.
    whole, read = rendered(turn.messages), rendered(ahead.messages)
    assert whole.startswith(read.removesuffix("</user>"))
    assert whole.endswith(NOTHING_RECALLED + "\nTell me something funny.</user>")


def test_a_shared_server_does_not_read_ahead(ready_app: App, mind: ScriptedMind) -> None:
    companion = ready_app.companion(read_ahead=False)

    async def one_turn() -> None:
        await collect(companion.reply("I had a long day at work."))
        await companion.settle()

    run(one_turn())
    assert mind.reads_ahead == [] and len(mind.chats) == 1


def test_a_statement_gets_no_memory_line_for_what_was_said_just_above(
    ready_app: App, mind: ScriptedMind
) -> None:
    companion = ready_app.companion()
    run(collect(companion.reply("My sister Ines lives in Porto.")))
    run(collect(companion.reply("I haven't seen my sister Ines in two years.")))
    note = mind.chats[-1].messages[-1].content
    assert note.startswith(NOTHING_RECALLED)  # the turn is just above, in its own words
    run(collect(companion.reply("Where does my sister Ines live?")))
    note = mind.chats[-1].messages[-1].content
    assert "\u201cMy sister Ines lives in Porto.\u201d" in note  # a question still gets it


def test_a_spoken_reply_opens_with_a_small_word_before_the_model_writes(
    ready_app: App, mind: ScriptedMind
) -> None:
    companion = ready_app.companion(read_ahead=False)
    mind.replies = ["That must be frustrating. What's the new deadline?"]
    events = run(collect(companion.reply("My boss moved the deadline again.", acknowledge=True)))
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert deltas[0] == "Oh. "  # out before the model's first piece
    assert mind.chats[0].messages[-1] == Message("assistant", "Oh.")  # the model goes on from it
    said = "Oh. That must be frustrating. What's the new deadline?"
    assert ready_app.memory().episodes.listing()[0].content == said
    mind.replies = ["As an AI language model, I can't help with that."]  # all of it dropped
    events = run(collect(companion.reply("Do you ever get bored?", acknowledge=True)))
    assert next(e for e in events if isinstance(e, Done)).text.startswith("Well. I'm here.")
    mind.replies = ["Porto is lovely."]  # typed: the model's words alone
    events = run(collect(companion.reply("She lives in Porto now.")))
    assert next(e for e in events if isinstance(e, Done)).text == "Porto is lovely."
    assert mind.chats[-1].messages[-1].role == "user"
