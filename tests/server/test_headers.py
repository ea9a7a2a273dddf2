"""Every HTTP answer carries the page's protections (no framing, no sniffing, nothing
loaded from elsewhere), whatever route, error or file it comes from; a route's own
header is kept."""

from __future__ import annotations

from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from os1.server.asgi import SecurityHeaders

from .conftest import Running, Users

PROTECTIONS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def test_every_answer_carries_the_protections(running: Running, users: Users) -> None:
    with running.client(users.theo) as theo:
        answers = {
            "page": theo.get("/"),
            "script": theo.get("/static/app.js"),
            "api": theo.get("/api/me"),
            "not found": theo.get("/api/music/999999/audio"),
            "no such address": theo.get("/nowhere"),
            "refused": running.client().get("/api/me"),
        }
    assert [answers[name].status_code for name in answers] == [200, 200, 200, 404, 404, 401]
    for name, answer in answers.items():
        for header, value in PROTECTIONS.items():
            assert answer.headers.get_list(header) == [value], (name, header)  # once
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], name
        assert len(answer.headers.get_list("content-security-policy")) == 1, name


def test_a_responses_own_header_is_kept() -> None:
    async def cached(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"Cache-Control", b"max-age=60")]})  # fmt: skip
        await send({"type": "http.response.body", "body": b"ok"})

    answer = TestClient(SecurityHeaders(cached)).get("/")  # no lifespan: not in a `with`
    assert answer.headers.get_list("cache-control") == ["max-age=60"]
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.text == "ok"
