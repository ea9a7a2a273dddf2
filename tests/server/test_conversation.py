"""The websocket conversation: streaming, stopping, leaving mid-reply, proposals, floods."""

from __future__ import annotations

import time
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from os1.memory.episodes import Episode

from .conftest import Running, Users
from .wsclient import Talk, said

LONG = " ".join(f"word{i}." for i in range(60))


def replies_of(running: Running, handle: str) -> list[Episode]:
    return [e for e in running.app.memory(handle).episodes.listing() if e.role == "assistant"]


def wait_for(check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := check()):
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)
    return value


def test_a_turn_streams_and_is_stored(running: Running, users: Users) -> None:
    running.mind.replies = ["I'm glad you're home. How was the day?"]
    with Talk(running.ws_url, users.theo) as talk:
        assert talk.ready["type"] == "ready" and talk.ready["setup_needed"] is False
        assert talk.ready["persona"]["user_name"] == "Theo"
        frames = talk.say("Hi. I'm home.")
    deltas = [f for f in frames if f["type"] == "delta"]
    assert len(deltas) == 2  # sentence by sentence, through the same voice guard as the terminal
    done = frames[-1]
    assert done["type"] == "done" and done["text"] == said(frames)
    turns = running.app.memory("theo").episodes.listing()
    assert [(t.role, t.content) for t in turns[:2]] == [
        ("assistant", "I'm glad you're home. How was the day?"),
        ("user", "Hi. I'm home."),
    ]
    assert turns[0].id == done["message_id"]


@pytest.mark.parametrize("how", ["stop", "disconnect"])
def test_a_reply_cut_short_is_stored_as_interrupted(
    running: Running, users: Users, how: str
) -> None:
    running.mind.replies = [LONG]
    running.mind.pause_after = 3  # two sentences out, then it waits to be cut short
    talk = Talk(running.ws_url, users.theo)
    talk.send({"type": "message", "text": "Tell me everything."})
    talk.until("delta")
    talk.until("delta")
    if how == "stop":
        talk.send({"type": "stop"})
        talk.until("stopped")
    else:
        talk.ws.close()
    stored = wait_for(lambda: replies_of(running, "theo"))
    assert stored[0].interrupted
    assert stored[0].content.startswith("word0. word1.")
    assert len(stored[0].content) < len(LONG)
    # The server carries on: the same user, in a new turn (or a new connection).
    running.mind.pause_after = None
    running.mind.replies = ["Still here."]
    if how == "disconnect":
        talk = Talk(running.ws_url, users.theo)
    assert said(talk.say("Are you there?")) == "Still here."
    talk.close()


def test_one_message_at_a_time(running: Running, users: Users) -> None:
    running.mind.replies = [LONG, "Second."]
    running.mind.pause_after = 3  # the first reply is still going when the second arrives
    with Talk(running.ws_url, users.theo) as talk:
        talk.send({"type": "message", "text": "First"})
        talk.send({"type": "message", "text": "Second"})
        frames = talk.until("error")
        running.mind.resume.set()
        frames += talk.until("done")
    errors = [f for f in frames if f["type"] == "error"]
    # Whichever check sees it first (this connection's turn, or the thread's lock), one line.
    assert [e["kind"] for e in errors] == ["Busy"]
    assert errors[0]["message"].startswith("I'm still answering your last message")
    assert said(frames).startswith("word0.")


def test_a_proposal_waits_for_the_users_yes_from_a_button(running: Running, users: Users) -> None:
    memory = running.app.memory("theo")
    fact = memory.facts.add("My ex is called Sam.", "person")
    running.mind.structured = lambda _m, schema: (
        {"skill": "forget", "arguments": {"about": "Sam"}} if "anyOf" in schema else {"facts": []}
    )
    running.mind.replies = ["Shall I forget what you told me about Sam?"]
    with Talk(running.ws_url, users.theo) as talk:
        frames = talk.say("Please forget what I told you about Sam.")
        assert {"type": "tool", "name": "forget"} in frames
        confirm = next(f for f in frames if f["type"] == "confirm")
        assert "My ex is called Sam." in confirm["summary"]
        assert memory.facts.get(fact) is not None  # nothing done before the yes
        talk.send({"type": "decide", "action_id": confirm["action_id"], "yes": True})
        decided = talk.until("decided")[-1]
    assert decided["text"] == "1 memories are gone for good."
    assert memory.facts.get(fact) is None


def test_a_flood_closes_that_connection_only(running: Running, users: Users) -> None:
    running.mind.replies = ["Hello Ana."]
    flood = Talk(running.ws_url, users.theo)
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(200):
            flood.send({"type": "stop"})
        while True:
            flood.receive(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    with Talk(running.ws_url, users.ana) as other:
        assert said(other.say("Hi")) == "Hello Ana."


def test_bad_frames_get_a_one_line_answer_and_the_connection_lives(
    running: Running, users: Users
) -> None:
    running.mind.replies = ["Fine."]
    with Talk(running.ws_url, users.theo) as talk:
        talk.ws.send(b"\x00\x01")  # binary frames are push-to-talk clips (test_voice.py)
        assert talk.receive()["message"] == (
            "Voice is not set up on this server. Type your message instead, and press Enter."
        )
        talk.ws.send("{not json")
        assert talk.receive()["message"] == "That frame is not valid JSON. Send a JSON object."
        talk.ws.send("[1, 2]")
        assert talk.receive()["message"].startswith("That frame is not a JSON object.")
        talk.send({"type": "dance"})
        assert (
            talk.receive()["message"]
            == "Unknown message type 'dance'. Send message, stop or decide."
        )
        talk.send({"type": "message", "text": 42})
        assert talk.receive()["message"] == "'text' must be text."
        talk.send({"type": "message", "text": "x" * 40_000})
        assert talk.receive()["message"] == (
            "That message is 40,000 characters long. The most I take at once is 32,000: "
            "send it in parts."
        )
        talk.send({"type": "message", "text": "   "})
        assert talk.until("error")[-1]["message"].startswith("That message was empty.")
        talk.send({"type": "decide", "action_id": "1", "yes": "sure"})
        assert talk.receive()["message"].startswith("decide needs an action_id")
        assert said(talk.say("And now?")) == "Fine."


def test_a_frame_over_the_size_limit_closes_that_connection(running: Running, users: Users) -> None:
    talk = Talk(running.ws_url, users.theo)
    with pytest.raises(ConnectionClosed) as closed:
        talk.ws.send("x" * (2 << 20))
        talk.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    running.mind.replies = ["Still fine."]
    with Talk(running.ws_url, users.theo) as again:
        assert said(again.say("Hi")) == "Still fine."


def test_a_silent_client_is_let_go(running: Running, users: Users) -> None:
    from websockets.sync.client import connect

    with connect(running.ws_url) as ws:
        start = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=30)  # the server answers the missing hello, then closes
            ws.recv(timeout=30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        assert time.monotonic() - start < 15


def test_someone_new_is_asked_the_interview_but_can_talk_at_once(running: Running) -> None:
    from os1.server.accounts import Accounts

    token = Accounts(running.app.store).add("newcomer")
    running.mind.replies = ["Hi. Who are you?"]
    with Talk(running.ws_url, token) as talk:
        assert talk.ready["setup_needed"] is True and talk.ready["persona"] is None
        assert said(talk.say("Hello?")) == "Hi. Who are you?"
