"""The remote mind against a real OpenAI-compatible server: llama.cpp's, with the tiny model."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from os1.app import App
from os1.errors import RemoteEngineError
from os1.events import Done
from os1.mind.base import GenerationOptions, Message
from os1.mind.openai_compat import OpenAICompatMind
from os1.mind.structured import collect, generate_json
from os1.persona.setup import set_up
from os1.settings import load_settings

from ..conftest import ANSWERS, run

pytestmark = pytest.mark.real_model

KEY = "test-key-123"
HELLO = [Message("user", "Say hello.")]


@pytest.fixture(scope="module")
def engine(tiny_model: Path) -> Iterator[str]:
    """A llama.cpp server process on loopback; yields its /v1 base URL."""
    server = Path(__file__).with_name("llama_server.py")
    process = subprocess.Popen(
        [sys.executable, str(server), str(tiny_model), KEY],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    address = process.stdout.readline().strip()
    assert address.startswith("http://127.0.0.1:"), address
    yield address + "/v1"
    process.stdin.close()
    process.wait(timeout=30)


def test_streams_from_a_real_server(engine: str) -> None:
    mind = OpenAICompatMind(engine, KEY)

    async def go() -> list[str]:
        pieces = [p async for p in mind.stream(HELLO, GenerationOptions(max_tokens=20))]
        await mind.aclose()
        return pieces

    pieces = run(go())
    assert len(pieces) > 2 and "".join(pieces).strip()
    assert mind.info.name.endswith(".gguf")  # learned from GET /v1/models


def test_schema_constrained_output_over_http(engine: str) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    }
    mind = OpenAICompatMind(engine, KEY)

    async def go() -> object:
        messages = [Message("user", "Name a city in Portugal, as JSON.")]
        value = await generate_json(mind, messages, schema, GenerationOptions(max_tokens=40))
        await mind.aclose()
        return value

    value = run(go())
    assert isinstance(value, dict) and isinstance(value["city"], str)


def test_a_wrong_key_is_a_clear_error(engine: str) -> None:
    mind = OpenAICompatMind(engine, "wrong", model="any")
    with pytest.raises(RemoteEngineError) as caught:
        run(collect(mind, HELLO, GenerationOptions(max_tokens=5)))
    assert "refused the API key" in str(caught.value)
    run(mind.aclose())


def test_a_wrong_path_is_a_clear_error(engine: str) -> None:
    mind = OpenAICompatMind(engine.removesuffix("/v1") + "/nothing-here", KEY, model="any")
    with pytest.raises(RemoteEngineError) as caught:
        run(collect(mind, HELLO, GenerationOptions(max_tokens=5)))
    assert "HTTP 404" in str(caught.value) and "/v1" in str(caught.value)
    run(mind.aclose())


def test_an_engine_that_is_not_running_is_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free, and nothing listens after the close
    mind = OpenAICompatMind(f"http://127.0.0.1:{port}/v1", KEY, model="any")
    with pytest.raises(RemoteEngineError) as caught:
        run(collect(mind, HELLO, GenerationOptions(max_tokens=5)))
    assert "Cannot reach the model engine" in str(caught.value)
    run(mind.aclose())


def test_the_companion_talks_through_a_remote_engine(engine: str, hermetic: Path) -> None:
    settings = load_settings(
        env={"OS1_HOME": str(hermetic), "OS1_BASE_URL": engine, "OS1_API_KEY": KEY}
    )
    app = App(settings)
    set_up(dict(ANSWERS), app.memory(), app.personas())

    async def go() -> list[object]:
        try:
            return [event async for event in app.companion().reply("Hi there!")]
        finally:
            await app.aclose()

    events = run(go())
    assert isinstance(events[-1], Done) and events[-1].text
