"""`os1 serve` as a user runs it: the real runtime, the tiny packaged model, real clients."""

from __future__ import annotations

import threading
import time

import httpx
import openai
import pytest

from .conftest import Served
from .wsclient import Talk, said

pytestmark = pytest.mark.real_model

ANSWERS = {"name": "Theo", "social": "Anti-social, I guess.", "mother": "It's complicated."}


def meet(served: Served, token: str, answers: dict[str, str] = ANSWERS) -> None:
    done = httpx.post(
        served.url + "/api/interview",
        json=answers,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert done.status_code == 200, done.text


def test_the_openai_client_streams_os1s_reply(served: Served) -> None:
    token = served.add_user("theo")
    meet(served, token)
    client = openai.OpenAI(base_url=served.url + "/v1", api_key=token, max_retries=0)
    stream = client.chat.completions.create(
        model="os1",
        messages=[{"role": "user", "content": "Hello! My sister Ines lives in Porto."}],
        stream=True,
    )
    pieces = [c.choices[0].delta.content for c in stream if c.choices[0].delta.content]
    assert len(pieces) >= 2 and "".join(pieces).strip()
    assert [m.id for m in client.models.list()] == ["os1"]
    page = httpx.get(served.url + "/")
    assert page.status_code == 200 and "<title>OS1</title>" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    turns = served.os1("memory", "list", "--turns")  # the same store the terminal reads
    assert turns.returncode == 0
    assert "My sister Ines lives in Porto." not in turns.stdout  # the server's user is theo
    assert served.stop() == 0


def test_two_users_are_answered_at_once_by_one_model(served: Served) -> None:
    tokens = {name: served.add_user(name) for name in ("theo", "ana")}
    for name, token in tokens.items():
        meet(served, token, {**ANSWERS, "name": name.title()})
    spans: dict[str, tuple[float, float, str]] = {}

    def talk(name: str) -> None:
        with Talk(served.url.replace("http", "ws") + "/api/conversation", tokens[name]) as t:
            t.send({"type": "message", "text": "Tell me a long story about the sea."})
            first = 0.0
            frames = []
            while (frame := t.receive(timeout=120))["type"] not in ("done", "error"):
                first = first or time.monotonic()
                frames.append(frame)
            spans[name] = (first, time.monotonic(), said(frames))

    threads = [threading.Thread(target=talk, args=(name,)) for name in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert set(spans) == {"theo", "ana"}
    (a_first, a_end, a_text), (b_first, b_end, b_text) = spans["theo"], spans["ana"]
    assert a_text.strip() and b_text.strip()
    # Both replies were being written at the same time: parallel slots, one engine.
    assert a_first < b_end and b_first < a_end
    health = httpx.get(served.url + "/health").json()
    assert health == {"status": "ok", "model": "smollm2", "slots": 2}
