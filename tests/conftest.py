"""Shared fixtures: a hermetic OS1_HOME, an App over a scripted mind, and helpers."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from os1.app import App
from os1.events import Event
from os1.persona.setup import set_up
from os1.settings import Settings, load_settings
from os1.testing import ScriptedMind

T = TypeVar("T")

ANSWERS = {
    "name": "Theo",
    "social": "Anti-social, I guess. I keep to myself.",
    "mother": "It's complicated. She always makes things about her.",
}


def ctrl_c_works() -> None:
    """For `Popen(preexec_fn=...)` of a child the test stops with SIGINT: a shell that
    started the suite in the background (`make test &`) leaves SIGINT ignored, and a
    child would inherit that and never see the Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    return [event async for event in events]


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data directory, and none of the user's OS1_* settings."""
    for name in list(__import__("os").environ):
        if name.startswith("OS1_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("OS1_HOME", str(home))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    yield home


@pytest.fixture
def settings(hermetic: Path) -> Settings:
    return load_settings()


@pytest.fixture
def mind() -> ScriptedMind:
    return ScriptedMind()


@pytest.fixture
def app(settings: Settings, mind: ScriptedMind) -> Iterator[App]:
    application = App(settings, mind=mind)
    yield application
    run(application.aclose())


@pytest.fixture
def ready_app(app: App) -> App:
    """An App whose interview has been answered."""
    set_up(dict(ANSWERS), app.memory(), app.personas())
    return app
