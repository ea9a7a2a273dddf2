"""A real uvicorn server on loopback, over an App with a scripted mind, and two users."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

from ..conftest import ANSWERS, ctrl_c_works

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


# -- the real thing: `os1 serve` in its own process, with the tiny packaged model --------

OS1 = [sys.executable, "-m", "os1.cli.main"]


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]
    env: dict[str, str]

    def os1(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*OS1, *args], capture_output=True, text=True, env=self.env, timeout=120
        )

    def add_user(self, name: str) -> str:
        done = self.os1("user", "add", name)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture(scope="session")
def server_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def served(hermetic: Path, server_models: Path) -> Iterator[Served]:
    """`os1 serve --port 0` with SmolLM2, two slots; stopped (and checked) afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
    env.update(
        OS1_HOME=str(hermetic),
        OS1_MODEL="smollm2",
        OS1_MODELS_DIR=str(server_models),
        OS1_CONTEXT_TOKENS="4096",
        OS1_THREADS="1",  # on a shared, busy machine one thread beats two spinning
    )
    process = subprocess.Popen(
        [*OS1, "serve", "--port", "0", "--slots", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=ctrl_c_works,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    running = Served(f"http://127.0.0.1:{match.group(1) if match else 0}", process, env)
    try:
        assert match, (line, process.stderr.read() if process.stderr else "")
        # Listening from the line on: a request sent at once waits for the model.
        assert httpx.get(running.url + "/health", timeout=120).status_code == 200
    except BaseException:
        running.stop()  # a server that did not start is not left running
        raise
    yield running
    code = running.stop()
    errors = process.stderr.read() if process.stderr else ""
    assert code == 0, errors
    assert "Traceback" not in errors
