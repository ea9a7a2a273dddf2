"""Push-to-talk over the websocket: a clip is heard, answered, and the reply spoken
sentence by sentence; bad clips get one line; a stop silences it. The speech models are
behind OS1's `Speech` seam (a fake here; issue 4's Whisper and Piper in `os1 serve`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from os1.app import App
from os1.server.limits import Limits
from os1.settings import Settings
from os1.testing import ScriptedMind

from .conftest import Running, Users, start_server
from .fakespeech import FakeSpeech, read_clip, tone
from .test_conversation import LONG, replies_of, wait_for
from .wsclient import Talk

Frame = dict[str, Any] | bytes


@pytest.fixture
def speech() -> FakeSpeech:
    return FakeSpeech()


@pytest.fixture
def running(settings: Settings, mind: ScriptedMind, speech: FakeSpeech) -> Iterator[Running]:
    """The server of conftest.py, with push-to-talk (overrides its `running`)."""
    app = App(settings, mind=mind)
    server, thread, url = start_server(
        app, limits=Limits(body=2.0, hello=2.0, send=5.0), speech=speech
    )
    yield Running(url, app, mind, server)
    server.should_exit = True
    thread.join(timeout=20)
    assert not thread.is_alive(), "the server did not stop"


def frames_until(talk: Talk, kind: str, timeout: float = 30) -> list[Frame]:
    """Text frames (parsed) and binary frames, up to and including the first `kind`."""
    frames: list[Frame] = []
    while True:
        raw = talk.ws.recv(timeout=timeout)
        frame = raw if isinstance(raw, bytes) else json.loads(raw)
        frames.append(frame)
        if isinstance(frame, dict) and frame["type"] == kind:
            return frames


def test_a_clip_is_heard_answered_and_spoken(
    running: Running, users: Users, speech: FakeSpeech
) -> None:
    assert speech.started == 1  # loaded with the server, before anyone waits for it
    speech.said = ["I had a long day at work."]
    running.mind.replies = ["I'm sorry it was long. What happened?"]
    with Talk(running.ws_url, users.theo) as talk:
        assert talk.ready["voice"] is True
        talk.ws.send(tone(1.5))
        frames = frames_until(talk, "spoken")
    heard = frames[0]
    assert heard == {"type": "heard", "text": "I had a long day at work."}
    texts = [f for f in frames if isinstance(f, dict)]
    audio = [f for f in frames if isinstance(f, bytes)]
    deltas = [f["text"] for f in texts if f["type"] == "delta"]
    assert [t["type"] for t in texts][-1] == "spoken" and texts[-1]["clips"] == len(audio) == 3
    assert [text for text, _ in speech.spoken] == [d.strip() for d in deltas]
    persona = running.app.persona("theo")
    assert persona is not None
    assert {voice for _, voice in speech.spoken} == {persona.voice}  # Theo's OS1's voice
    # Each one a WAV file of its sentence (the fake speaks 20 ms a character).
    assert [read_clip(a).seconds for a in audio] == pytest.approx(
        [0.02 * len(text) for text, _ in speech.spoken], abs=0.002
    )
    assert speech.clips[0].rate == 16_000 and abs(speech.clips[0].seconds - 1.5) < 0.01
    turns = running.app.memory("theo").episodes.listing()
    assert [(t.role, t.content) for t in turns[:2]] == [
        ("assistant", "Oh. I'm sorry it was long. What happened?"),  # "Oh." said at once
        ("user", "I had a long day at work."),
    ]
    assert running.app.memory("ana").episodes.listing() == []  # nobody else's history


def test_bad_clips_get_one_line_and_the_connection_lives(
    running: Running, users: Users, speech: FakeSpeech
) -> None:
    running.mind.replies = ["Still here."]
    with Talk(running.ws_url, users.theo) as talk:
        talk.ws.send(b"\x00\x01 not a wav")
        assert talk.receive()["message"].startswith("That binary frame is not a WAV recording.")
        talk.ws.send(b"RIFF....WAVEjunk")
        assert talk.receive()["message"].startswith("That recording is not a WAV file")
        speech.said = ["Hello?"]
        talk.ws.send(tone(1.0, volume=0))
        assert talk.receive()["message"] == (
            "I didn't hear anything. Hold the button while you speak, and let go when you're done."
        )
        talk.send({"type": "message", "text": "Are you there?"})
        assert talk.until("done")[-1]["text"] == "Still here."
    assert running.app.memory("theo").episodes.listing()[1].content == "Are you there?"


def test_a_clip_while_answering_is_refused(
    running: Running, users: Users, speech: FakeSpeech
) -> None:
    running.mind.replies = [LONG]
    running.mind.pause_after = 3  # two sentences out, then it waits to be cut short
    with Talk(running.ws_url, users.theo) as talk:
        talk.send({"type": "message", "text": "Tell me everything."})
        talk.until("delta")
        talk.ws.send(tone(1.0))
        refused = frames_until(talk, "error")[-1]
        assert isinstance(refused, dict) and refused["message"] == (
            "I'm still answering your last message in this conversation. "
            "Wait for it to finish, or stop it first."
        )
    assert speech.clips == []


def test_stopping_a_spoken_reply_silences_it_and_keeps_what_was_said(
    running: Running, users: Users, speech: FakeSpeech
) -> None:
    speech.said = ["Tell me a long story."]
    running.mind.replies = [LONG]
    running.mind.pause_after = 3  # two sentences out, then it waits to be cut short
    gate = threading.Event()
    speak = speech.speak

    async def slow_speak(text: str, voice: str) -> bytes:  # the voice lags the writing
        import asyncio

        await asyncio.to_thread(gate.wait, 5)
        return await speak(text, voice)

    speech.speak = slow_speak  # type: ignore[method-assign]
    with Talk(running.ws_url, users.theo) as talk:
        talk.ws.send(tone(1.0))
        frames_until(talk, "delta")
        frames_until(talk, "delta")
        talk.send({"type": "stop"})
        frames = frames_until(talk, "stopped")
        gate.set()
        assert not any(f for f in frames if isinstance(f, dict) and f["type"] == "spoken")
        running.mind.pause_after = None
        running.mind.replies = ["Here."]
        talk.send({"type": "message", "text": "Still there?"})
        after = frames_until(talk, "done")
        assert not any(isinstance(f, bytes) for f in after)  # nothing of the stopped reply
    stored = wait_for(lambda: replies_of(running, "theo"))
    assert stored[-1].interrupted and stored[-1].content.startswith("Okay. word0.")


def test_without_speech_the_page_hides_the_button(settings: Settings, mind: ScriptedMind) -> None:
    from os1.server.accounts import Accounts

    app = App(settings, mind=mind)
    server, thread, url = start_server(app)
    try:
        token = Accounts(app.store).add("theo")
        with Talk(url.replace("http://", "ws://") + "/api/conversation", token) as talk:
            assert talk.ready["voice"] is False
    finally:
        server.should_exit = True
        thread.join(timeout=20)
