"""The OpenAI-compatible API, through the official `openai` client."""

from __future__ import annotations

import openai
import pytest

from os1.errors import ModelFailure

from .conftest import Running, Users

REPLY = "Porto is lovely in December. You should go and see her."


def client(running: Running, token: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=running.url + "/v1", api_key=token, max_retries=0)


def test_streams_os1s_reply_with_the_users_persona_and_memory(
    running: Running, users: Users
) -> None:
    running.app.memory("theo").facts.add("My sister Ines lives in Porto.", "person")
    running.mind.replies = [REPLY]
    stream = client(running, users.theo).chat.completions.create(
        model="os1",
        messages=[
            {"role": "system", "content": "You are a pirate."},
            {"role": "user", "content": "Should I visit my sister in Porto?"},
        ],
        stream=True,
    )
    chunks = list(stream)
    pieces = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    assert len(pieces) >= 2  # streamed, not one block
    assert "".join(pieces) == REPLY
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert {c.model for c in chunks} == {"os1"}
    prompt = running.mind.chats[-1].messages
    everything = "\n".join(m.content for m in prompt)
    assert "Theo" in everything and "pirate" not in everything
    assert "My sister Ines lives in Porto." in everything  # his memory, recalled
    persona = running.app.persona("theo")
    assert persona is not None and persona.name in prompt[0].content
    turns = running.app.memory("theo").episodes.listing()
    assert [t.content for t in turns[:2]] == [REPLY, "Should I visit my sister in Porto?"]


def test_a_whole_reply_without_streaming_and_the_model_list(running: Running, users: Users) -> None:
    running.mind.replies = ["Hi Theo."]
    api = client(running, users.theo)
    completion = api.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Hello"}]
    )
    assert completion.choices[0].message.content == "Hi Theo."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion"
    assert [m.id for m in api.models.list()] == ["os1"]


def test_the_conversation_continues_in_its_thread(running: Running, users: Users) -> None:
    running.mind.replies = ["One.", "Two."]
    api = client(running, users.theo)
    api.chat.completions.create(model="os1", messages=[{"role": "user", "content": "First"}])
    api.chat.completions.create(
        model="os1",
        messages=[
            {"role": "user", "content": "First"},
            {"role": "assistant", "content": "One."},
            {"role": "user", "content": [{"type": "text", "text": "Second"}]},
        ],
    )
    contents = [m.content for m in running.mind.chats[-1].messages]
    assert any(c == "One." for c in contents)  # OS1's own record of the thread
    assert contents[-1].endswith("Second")
    assert sum("First" in c for c in contents) == 1  # the client's copy is not added twice


def test_errors_reach_the_client_as_openai_errors(running: Running, users: Users) -> None:
    with pytest.raises(openai.AuthenticationError) as denied:
        client(running, "os1_wrong").models.list()
    assert "Missing or unknown token" in str(denied.value)
    api = client(running, users.theo)
    with pytest.raises(openai.BadRequestError, match="last message must be the user's"):
        api.chat.completions.create(model="os1", messages=[{"role": "assistant", "content": "Hi"}])
    with pytest.raises(openai.UnprocessableEntityError, match="messages"):
        api.chat.completions.create(model="os1", messages=[])
    running.mind.fail_after = 2
    running.mind.replies = ["One two three four five six."]
    with pytest.raises(openai.APIError, match="failed on purpose"):
        list(
            api.chat.completions.create(
                model="os1", messages=[{"role": "user", "content": "Hi"}], stream=True
            )
        )
    with pytest.raises(openai.APIStatusError, match="failed on purpose") as failed:
        running.mind.replies = ["One two three four five six."]
        api.chat.completions.create(model="os1", messages=[{"role": "user", "content": "Hi"}])
    assert failed.value.status_code == 503
    assert issubclass(ModelFailure, Exception)


def test_someone_who_skipped_the_interview_meets_a_provisional_os1(running: Running) -> None:
    from os1.server.accounts import Accounts

    token = Accounts(running.app.store).add("theo.k")
    running.mind.replies = ["Hello there."]
    reply = client(running, token).chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Hello"}]
    )
    assert reply.choices[0].message.content == "Hello there."
    persona = running.app.persona("theo.k")
    assert persona is not None and persona.user_name == "Theo K"
    with running.client(token) as http:
        assert http.get("/api/me").json()["setup_needed"] is True  # the page asks it
        answers = {"name": "Theo", "social": "Anti-social.", "mother": "Complicated."}
        assert http.post("/api/interview", json=answers).status_code == 200
        assert http.get("/api/me").json()["setup_needed"] is False
