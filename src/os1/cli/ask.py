"""`os1 ask TEXT`: one reply to one message, stored in memory like any turn."""

from __future__ import annotations

import argparse
import asyncio
import sys

from os1.app import App
from os1.cli.lines import say
from os1.cli.terminal import render
from os1.settings import Settings
from os1.text import decode_input


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ask = sub.add_parser("ask", help="one reply to one message ('-' reads stdin)")
    ask.add_argument("text", nargs="+", help="the message, or - to read it from stdin")
    ask.set_defaults(handler=run_ask)


def _message(args: argparse.Namespace) -> str:
    if args.text == ["-"]:
        return decode_input(sys.stdin.buffer.read())
    return " ".join(args.text)


async def _ask(app: App, text: str) -> int:
    try:
        companion = app.companion(read_ahead=False)  # one turn, then the process ends
        await app.mind.start()
        for notice in app.mind.info.notices:
            say(notice)
        done = await render(companion.reply(text), speaker="")
        await companion.settle()
        return 0 if done is not None else 1
    finally:
        await app.aclose()


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    text = _message(args)
    return asyncio.run(_ask(App(settings), text))
