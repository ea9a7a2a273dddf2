"""`os1 setup`: run the interview again, or answer it from a TOML file."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from os1.app import App
from os1.cli.chat import interview, speak
from os1.persona.interview import answers_from_toml
from os1.persona.setup import set_up
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    setup = sub.add_parser("setup", help="run the interview (again)")
    setup.add_argument("--answers", metavar="FILE.toml", help="answer it from a TOML file")
    setup.set_defaults(handler=run_setup)


def run_setup(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    try:
        if args.answers:
            result = set_up(answers_from_toml(Path(args.answers)), app.memory(), app.personas())
            for line in result.lines():
                print(line)
        else:
            interview(lambda q: input(q + "\n> "), app)
            speak("Whenever you're ready, just run `os1` and we'll talk.")
    finally:
        asyncio.run(app.aclose())
    return 0
