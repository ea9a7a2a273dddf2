"""A real uvicorn server on loopback, over an App with a scripted mind, and two users."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from os1.app import App
from os1.persona.setup import set_up
from os1.server.accounts import Accounts
from os1.server.asgi import create_app
from os1.server.limits import Limits
from os1.settings import Settings
from os1.testing import ScriptedMind

from ..conftest import ANSWERS

ANA_ANSWERS = {
    "name": "Ana",
    "social": "Very social, I love parties.",
    "mother": "We're very close, we talk every day.",
}


@dataclass
class Running:
    url: str
    app: App
    mind: ScriptedMind
    server: uvicorn.Server

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/api/conversation"

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def start_server(app: App, **create: object) -> tuple[uvicorn.Server, threading.Thread, str]:
    """uvicorn in a thread, on a free loopback port; returns once it accepts connections."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(app, **create),  # type: ignore[arg-type]
        log_level="warning",
        ws_max_size=1 << 20,
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture
def running(settings: Settings, mind: ScriptedMind) -> Iterator[Running]:
    app = App(settings, mind=mind)
    server, thread, url = start_server(app, limits=Limits(body=2.0, hello=2.0, send=5.0))
    yield Running(url, app, mind, server)
    server.should_exit = True
    thread.join(timeout=20)
    assert not thread.is_alive(), "the server did not stop"


@dataclass
class Users:
    theo: str
    ana: str
    theo_id: int
    ana_id: int


@pytest.fixture
def users(running: Running) -> Users:
    """Two users who have both answered the interview."""
    accounts = Accounts(running.app.store)
    theo, ana = accounts.add("theo"), accounts.add("ana")
    store = running.app.store
    set_up(dict(ANSWERS), running.app.memory("theo"), running.app.personas("theo"))
    set_up(dict(ANA_ANSWERS), running.app.memory("ana"), running.app.personas("ana"))
    return Users(theo, ana, store.user_id("theo"), store.user_id("ana"))
