"""`os1 persona history`: every version of OS1's persona, and what changed it."""

from __future__ import annotations

import argparse
import asyncio

from os1.app import App
from os1.cli.lines import say
from os1.persona.traits import Traits
from os1.settings import Settings

_SHOWN = ("warmth", "playfulness", "directness", "curiosity", "outgoing", "family_care")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    persona = sub.add_parser("persona", help="who OS1 has become, and how")
    actions = persona.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("history", help="every version of the persona, with its cause")
    persona.set_defaults(handler=run_persona)


def _changes(before: Traits | None, after: Traits) -> str:
    if before is None:
        return ", ".join(f"{name} {getattr(after, name):.2f}" for name in _SHOWN)
    moved = [
        f"{name} {getattr(before, name):.2f}\u2192{getattr(after, name):.2f}"
        for name in _SHOWN
        if abs(getattr(before, name) - getattr(after, name)) > 1e-9
    ]
    return ", ".join(moved) or "traits unchanged"


def run_persona(args: argparse.Namespace, settings: Settings) -> int:
    del args
    app = App(settings)
    try:
        versions = app.personas().history()
        if not versions:
            say("OS1 has not been set up yet. Run `os1 setup` first.")
            return 0
        previous: Traits | None = None
        for number, (when, cause, persona) in enumerate(versions, 1):
            changes = _changes(previous, persona.traits)
            print(f"{number}\t{when[:19]}\t{persona.name}\t{cause}\t{changes}")
            previous = persona.traits
        return 0
    finally:
        asyncio.run(app.aclose())
