"""Accounts cannot see each other: Ana tries to read and change Theo's data through every
route, with his ids, and fails; Theo's records are byte-for-byte the same afterwards."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.routing import Mount, Route, WebSocketRoute
from websockets.exceptions import ConnectionClosed

from os1.memory.export import export_user
from os1.music.library import Pieces
from os1.server import openai_api, routes
from os1.skills.actions import Actions
from os1.skills.base import Proposal
from os1.skills.forget import forget

from .conftest import Running, Users
from .wsclient import Talk, said

SECRET = "My sister Ines lives in Porto and I miss her."

# Every route a user's token opens. The test below fails when a route is added that
# this file does not try, so a new route cannot skip the isolation check.
TRIED = {
    ("GET", "/api/me"),
    ("GET", "/api/interview"),
    ("POST", "/api/interview"),
    ("GET", "/api/memory"),
    ("PATCH", "/api/memory/facts/{fact_id}"),
    ("DELETE", "/api/memory/facts/{fact_id}"),
    ("DELETE", "/api/memory/turns/{message_id}"),
    ("GET", "/api/history"),
    ("GET", "/api/actions"),
    ("POST", "/api/actions/{action_id}"),
    ("GET", "/api/music/{piece_id}/audio"),
    ("GET", "/v1/models"),
    ("POST", "/v1/chat/completions"),
    ("WS", "/api/conversation"),
}
PUBLIC = {("GET", "/"), ("GET", "/health"), ("GET", "/openapi.json")}


def routes_of(running: Running) -> set[tuple[str, str]]:
    server = running.server.config.app
    found: set[tuple[str, str]] = set()
    included = 0
    for route in [*server.routes, *routes.router.routes, *openai_api.router.routes]:  # type: ignore[attr-defined]
        if isinstance(route, WebSocketRoute):
            found.add(("WS", route.path))
        elif isinstance(route, Route):
            found.update((m, route.path) for m in route.methods or () if m != "HEAD")
        elif isinstance(route, Mount):
            assert route.path == "/static"
        else:
            included += 1  # an included router: the two listed above, and no other
    assert included == 2
    return found


def test_every_route_is_tried_below(running: Running) -> None:
    assert routes_of(running) == TRIED | PUBLIC


@pytest.fixture
def theos_life(running: Running, users: Users) -> dict[str, Any]:
    """Theo's fact, turns and a pending proposal, made through his own token."""
    running.mind.replies = ["Porto! You must miss her. When did you last see her?"]
    with running.client(users.theo) as theo:
        done = theo.post(
            "/v1/chat/completions",
            json={"model": "os1", "messages": [{"role": "user", "content": SECRET}]},
            headers={"X-OS1-Thread": "main"},
        )
        assert done.status_code == 200, done.text
        memory = theo.get("/api/memory").json()
    memory_of = running.app.memory("theo")
    fact = memory_of.facts.add("My sister Ines lives in Porto.", "person")
    thread = memory_of.episodes.thread("main")
    action = Actions(running.app.store, users.theo_id).propose(
        forget, Proposal("Forget 1 memory about Ines", {"facts": [fact], "messages": []}), thread
    )
    piece = Pieces(running.app.store, users.theo_id).add(
        kind="piano", title="Porto", about=SECRET, seed=1, midi=b"MThd", context="",
        mood={}, plan={}, lyrics="", seconds=1.0,
    )  # fmt: skip
    return {
        "facts": [fact] + [f["id"] for f in memory["facts"]],
        "turns": [t["id"] for t in memory["turns"]],
        "action": action,
        "piece": piece,
    }


def snapshot(running: Running, user_id: int) -> str:
    document = export_user(running.app.store, user_id)
    document.pop("exported_at")
    return json.dumps(document, sort_keys=True)


def test_ana_can_neither_read_nor_change_theos_data(
    running: Running, users: Users, theos_life: dict[str, Any]
) -> None:
    before = snapshot(running, users.theo_id)
    assert "Ines" in before
    running.mind.replies = ["Hello Ana!"] * 5
    with running.client(users.ana) as ana:
        me = ana.get("/api/me").json()
        assert me["handle"] == "ana" and me["persona"]["user_name"] == "Ana"
        assert ana.get("/api/interview").status_code == 200
        shown = ana.get("/api/memory", params={"facts": 1000, "turns": 1000}).text
        history = ana.get("/api/history", params={"thread": "main", "limit": 200}).text
        assert ana.get("/api/actions").json() == []
        assert "Ines" not in shown + history and "Theo" not in shown + history
        for fact in theos_life["facts"]:
            changed = ana.patch(f"/api/memory/facts/{fact}", json={"statement": "Nothing."})
            assert changed.status_code == 404
            assert (
                changed.json()["error"]["message"]
                == f"There is no memory f{fact}. Reload the memory view."
            )
            assert ana.delete(f"/api/memory/facts/{fact}").status_code == 404
        for turn in theos_life["turns"]:
            assert ana.delete(f"/api/memory/turns/{turn}").status_code == 404
        decided = ana.post(f"/api/actions/{theos_life['action']}", json={"yes": True})
        assert decided.status_code == 404
        assert ana.get(f"/api/music/{theos_life['piece']}/audio").status_code == 404
        assert ana.get("/v1/models").json()["data"][0]["id"] == "os1"
        reply = ana.post(
            "/v1/chat/completions",
            json={
                "model": "os1",
                "messages": [{"role": "user", "content": "Where does my sister live?"}],
            },
            headers={"X-OS1-Thread": "main"},
        )
        assert reply.status_code == 200
        setup = ana.post("/api/interview", json={"name": "Ana", "social": "yes", "mother": "close"})
        assert setup.status_code == 200
    prompt = "\n".join(m.content for m in running.mind.chats[-1].messages)
    assert (
        "Ana" in prompt and "Ines" not in prompt and "Porto" not in prompt and "Theo" not in prompt
    )

    with Talk(running.ws_url, users.ana) as talk:
        talk.send({"type": "decide", "action_id": theos_life["action"], "yes": True})
        error = talk.receive()
        assert error["type"] == "error" and "no pending action" in error["message"]
        frames = talk.say("Do you remember Porto?")
        assert said(frames) == "Hello Ana!"
    prompt = "\n".join(m.content for m in running.mind.chats[-1].messages)
    assert "Ines" not in prompt and "Theo" not in prompt

    assert snapshot(running, users.theo_id) == before
    pending = Actions(running.app.store, users.theo_id).get(theos_life["action"])
    assert pending is not None  # still waiting for Theo's own yes


def test_every_route_refuses_a_missing_or_revoked_token(running: Running, users: Users) -> None:
    from os1.server.accounts import Accounts

    Accounts(running.app.store).revoke("ana")
    calls = [
        ("GET", "/api/me", None),
        ("GET", "/api/interview", None),
        ("POST", "/api/interview", {"name": "X", "social": "x", "mother": "x"}),
        ("GET", "/api/memory", None),
        ("PATCH", "/api/memory/facts/1", {"statement": "x"}),
        ("DELETE", "/api/memory/facts/1", None),
        ("DELETE", "/api/memory/turns/1", None),
        ("GET", "/api/history", None),
        ("GET", "/api/actions", None),
        ("POST", "/api/actions/1", {"yes": True}),
        ("GET", "/api/music/1/audio", None),
        ("GET", "/v1/models", None),
        ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}),
    ]
    assert {(m, p.replace("/1", "/{x}")) for m, p, _ in calls} >= {
        (
            m,
            p.replace("{fact_id}", "{x}")
            .replace("{message_id}", "{x}")
            .replace("{action_id}", "{x}")
            .replace("{piece_id}", "{x}"),
        )
        for m, p in TRIED
        if m != "WS"
    }
    for token in (None, users.ana, "os1_" + "A" * 43, "not-a-token"):
        with running.client(token) as client:
            for method, path, body in calls:
                response = client.request(method, path, json=body)
                assert response.status_code == 401, (token, method, path)
                assert response.json()["error"]["message"].startswith("Missing or unknown token.")
                assert response.headers["www-authenticate"] == "Bearer"
    for token in (users.ana, "nope"):
        talk = Talk(running.ws_url, token)
        assert talk.ready["type"] == "error"
        assert talk.ready["message"].startswith("Missing or unknown token.")
        with pytest.raises(ConnectionClosed) as closed:
            talk.receive()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    assert running.mind.requests == []
