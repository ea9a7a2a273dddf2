"""`os1`: the conversation in the terminal, with the interview on first start."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from datetime import datetime

from os1.app import App
from os1.cli.lines import CORAL, paint, say
from os1.cli.terminal import LoopThread, render
from os1.companion import Companion
from os1.errors import InputError, OS1Error
from os1.events import ConfirmationNeeded, Event, ToolCall
from os1.persona.interview import QUESTIONS, clean_answer, clean_name
from os1.persona.persona import Persona
from os1.persona.setup import SetupResult, set_up
from os1.settings import Settings

log = logging.getLogger(__name__)

_LEAVE = ("/bye", "/quit", "/exit")


def interview(ask: Callable[[str], str], app: App) -> SetupResult:
    """Ask the questions one by one; an empty answer takes the question's default."""
    speak(
        "Hello. I'm an operating system, or I will be in a moment. Before we begin, "
        "I'd like to ask you a few questions."
    )
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        while True:
            answer = clean_answer(ask(question.text))
            if question.key != "name":
                answers[question.key] = answer or question.default
                break
            try:
                answers["name"] = clean_name(answer)
                break
            except InputError as exc:
                say(str(exc))
    speak("Thank you. Please wait while your companion is initiated\u2026")
    result = set_up(answers, app.memory(), app.personas())
    for line in result.lines():
        speak(line)
    return result


def speak(text: str) -> None:
    print(paint(text, CORAL, sys.stdout), flush=True)


def _ask(question: str) -> str:
    return input(paint(question, CORAL, sys.stdout) + "\n> ")


def _greeting(persona: Persona) -> str:
    hour = datetime.now().hour
    part = "morning" if 5 <= hour < 12 else "afternoon" if hour < 18 else "evening"
    return f"Good {part}, {persona.user_name}. I'm glad you're here."


async def _wake(app: App) -> None:
    """Prepare and load the model while the user is busy with other things."""
    mind = await asyncio.to_thread(lambda: app.mind)
    await mind.start()


async def _companion(app: App, waking: Future[None]) -> Companion:
    await asyncio.wrap_future(waking)
    companion = app.companion()
    await companion.warm_up()
    return companion


def _ready(app: App, preparing: Future[Companion]) -> Companion:
    if not preparing.done():
        say("(waking up\u2026)")
    companion = preparing.result()
    for notice in app.mind.info.notices:
        say(notice)
    return companion


def _show(event: Event) -> None:
    if isinstance(event, ToolCall):
        say(f"(using {event.name}\u2026)")
    elif isinstance(event, ConfirmationNeeded):
        say(event.summary)
        say("(say yes to go ahead, or no)")


class _Speaker:
    """Says OS1's proactive notes (urgent mail...): before each prompt, and while the user
    sits at the prompt, redrawing it after. Syncs mail in the background when set up."""

    def __init__(self, app: App, name: str) -> None:
        self._mail = app.mail()  # built once: the watcher asks every two seconds
        self._episodes = app.memory().episodes
        self._name = name
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.at_prompt = False

    def say_due(self, redraw: bool = False) -> None:
        def show(text: str) -> None:
            if redraw:
                print("\r\033[K", end="")
            speak(f"{self._name} \u203a {text}")
            if redraw:
                print("you \u203a ", end="", flush=True)

        with self._lock:
            self._mail.notes.say_due(self._episodes, "main", "terminal", show)

    def start(self) -> None:
        threading.Thread(target=self._watch, name="os1-notes", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(2.0):
            try:
                self._mail.sync_when_due()
                if self.at_prompt:
                    self.say_due(redraw=True)
            except OS1Error as exc:
                log.warning("background mail check skipped: %s", type(exc).__name__)


def run_chat(settings: Settings) -> int:
    app = App(settings)
    loop = LoopThread()
    speaker: _Speaker | None = None
    waking = loop.submit(_wake(app))
    try:
        persona = app.persona()
        if persona is None:
            persona = interview(_ask, app).persona
            speak(f"{persona.name} \u203a So, {persona.user_name}. How are you, really?")
        else:
            speak(f"{persona.name} \u203a {_greeting(persona)}")
        say("(Ctrl-C stops a reply; Ctrl-D or /bye leaves.)")
        preparing = loop.submit(_companion(app, waking))
        companion: Companion | None = None
        speaker = _Speaker(app, persona.name)
        speaker.start()
        while True:
            try:
                speaker.say_due()
                speaker.at_prompt = True
                line = input("you \u203a ")
            except (EOFError, KeyboardInterrupt):
                print()
                break
            finally:
                speaker.at_prompt = False
            if line.strip().lower() in _LEAVE:
                break
            if not line.strip():
                continue
            companion = companion or _ready(app, preparing)
            try:
                loop.run(render(companion.reply(line), companion.persona.name, on_event=_show))
            except KeyboardInterrupt:
                say("(stopped; what was said so far is kept)")
        if companion is not None:
            say("(remembering\u2026)")
            loop.run(companion.settle())
        return 0
    finally:
        if speaker is not None:
            speaker.stop()
        # A model still loading must finish before it can be freed (else a crash at exit).
        wait([waking], timeout=180)
        loop.run(app.aclose())
        loop.close()
