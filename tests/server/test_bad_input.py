"""Bad input over HTTP: a 4xx with one line that says what to do, and the server carries on."""

from __future__ import annotations

import json
import socket
import time

import httpx

from .conftest import Running, Users
from .test_conversation import LONG, replies_of, wait_for


def message(text: str) -> dict[str, object]:
    return {"model": "os1", "messages": [{"role": "user", "content": text}]}


def error_of(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}
    text = body["error"]["message"]
    assert isinstance(text, str) and "\n" not in text and "Traceback" not in text
    return text


def read_all(sock: socket.socket) -> str:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data.decode()


def test_oversized_and_malformed_requests(running: Running, users: Users) -> None:
    with running.client(users.theo) as theo:
        big = theo.post("/v1/chat/completions", json=message("x" * (2 << 20)))
        assert big.status_code == 413
        assert error_of(big) == "The request is larger than 1 MiB. Send less at once."
        long = theo.post("/v1/chat/completions", json=message("x" * 40_000))
        assert long.status_code == 413
        assert error_of(long).startswith("That message is 40,000 characters long.")
        bad_json = theo.post(
            "/v1/chat/completions",
            content=b'{"messages": [',
            headers={"Content-Type": "application/json"},
        )
        assert bad_json.status_code == 422
        assert error_of(bad_json) == "The request body is not valid JSON. Send a JSON object."
        wrong = theo.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": 5}]}
        )
        assert wrong.status_code == 422
        assert error_of(wrong).startswith("Bad request: messages.0.content")
        unknown = theo.post(
            "/api/interview", json={"name": "T", "social": "s", "mother": "m", "x": 1}
        )
        assert unknown.status_code == 422 and "x: Extra inputs" in error_of(unknown)
        thread = theo.post(
            "/v1/chat/completions", json=message("hi"), headers={"X-OS1-Thread": "../../etc"}
        )
        assert thread.status_code == 400 and "cannot be a thread name" in error_of(thread)
        assert theo.get("/api/memory", params={"facts": "lots"}).status_code == 422
        assert theo.delete("/api/memory/facts/0").status_code == 422
        nowhere = theo.get("/api/nowhere")
        assert nowhere.status_code == 404
        assert error_of(nowhere) == "There is nothing at this address."
        assert theo.put("/api/memory").status_code == 405
        assert theo.get("/health").json()["status"] == "ok"


def test_a_huge_declared_body_is_refused_before_it_is_sent(running: Running, users: Users) -> None:
    host, port = running.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            b"Authorization: Bearer " + users.theo.encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n"
        )
        answer = read_all(sock)
    assert answer.startswith("HTTP/1.1 413")
    assert "The request is larger than 1 MiB." in answer


def test_a_slow_client_times_out_while_others_are_served(running: Running, users: Users) -> None:
    host, port = running.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as slow:
        slow.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"mess'
        )
        running.mind.replies = ["Meanwhile, hello."]
        with running.client(users.ana) as ana:
            served = ana.post("/v1/chat/completions", json=message("Hi"))
            assert served.json()["choices"][0]["message"]["content"] == "Meanwhile, hello."
        answer = read_all(slow)
    assert answer.startswith("HTTP/1.1 408")
    assert "The request body came too slowly. Send it all at once." in answer


def test_a_client_leaving_mid_stream_leaves_an_interrupted_turn(
    running: Running, users: Users
) -> None:
    running.mind.replies = [LONG]
    running.mind.pause_after = 3  # two sentences out, then it waits to be cut short
    with (
        running.client(users.theo) as theo,
        theo.stream("POST", "/v1/chat/completions", json={**message("Talk"), "stream": True}) as r,
    ):
        lines = r.iter_lines()
        contents = []
        for line in lines:
            if line.startswith("data: {"):
                delta = json.loads(line[6:])["choices"][0]["delta"].get("content")
                if delta:
                    contents.append(delta)
            if len(contents) >= 2:
                break
    stored = wait_for(lambda: replies_of(running, "theo"))
    assert stored[0].interrupted and stored[0].content.startswith("word0.")
    running.mind.pause_after = None
    running.mind.replies = ["Next."]
    started = time.monotonic()
    with running.client(users.theo) as theo:
        again = theo.post("/v1/chat/completions", json=message("Still there?"))
    assert again.json()["choices"][0]["message"]["content"] == "Next."
    assert time.monotonic() - started < 5  # the thread's turn lock was released
