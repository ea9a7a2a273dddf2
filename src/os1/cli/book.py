"""`os1 book build|send`: OS1 picks the best letters (and says why), typesets them as a PDF
and an EPUB, and sends the manuscript to a publisher only after the user's yes."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from os1.app import App
from os1.cli.confirm import ask_then_act
from os1.cli.lines import say
from os1.errors import InputError
from os1.settings import Settings

if TYPE_CHECKING:
    from os1.letters.book import BookPlan


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    book = sub.add_parser("book", help="a book of the best letters, as PDF and EPUB")
    actions = book.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="choose the letters and typeset the book")
    build.add_argument("--out", type=Path, required=True, help="the PDF (the EPUB goes beside)")
    build.add_argument("--title", default="", help="default: Letters from Your Life")
    build.add_argument("--count", type=int, help="how many letters (default: about two thirds)")
    build.add_argument("--pick", default="", help="your own selection: letter numbers, 3,5,8")
    build.add_argument("--yes", action="store_true", help="accept OS1's selection (for scripts)")
    send = actions.add_parser("send", help="email the manuscript (asks you first)")
    send.add_argument("--to", required=True, help="the publisher's address")
    send.add_argument("--file", type=Path, help="default: the book built last")
    send.add_argument("--account", help="which mail account (default: the first)")
    send.add_argument("--subject", default="", help="default: the book's title")
    book.set_defaults(handler=run_book)


def run_book(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    if args.action == "build":
        return _build(app, args)
    return asyncio.run(_send(app, args))


def _ids(text: str) -> list[int]:
    parts = [p for p in text.replace(" ", ",").split(",") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise InputError(f"{text!r} is not a list of letter numbers.", "Write them like 3,5,8.")
    return [int(p) for p in parts]


def _show(plan: BookPlan) -> None:
    chosen = {j.letter.id for j in plan.chosen}
    say(f"For \u201c{plan.title}\u201d OS1 chose {len(chosen)} of {len(plan.judged)} letters:")
    for item in sorted(plan.judged, key=lambda j: -j.score):
        mark = "+" if item.letter.id in chosen else " "
        why = item.excluded or "; ".join(item.reasons)
        say(f" {mark} {item.letter.id:>4}  {item.letter.heading[:48]}: {why}")


def _ask(plan: BookPlan) -> BookPlan | None:
    """The user's approval, or their own selection; None to stop."""
    from os1.letters.book import with_selection

    if not sys.stdin.isatty():
        raise InputError("OS1 needs your approval of the selection.",
                         "Pass --yes to accept it, or --pick 3,5,8 to choose.")  # fmt: skip
    answer = input("Make the book with these? [Y = yes / n = stop / numbers = your own] ")
    answer = answer.strip().lower()
    if answer in ("", "y", "yes"):
        return plan
    if answer in ("n", "no", "q"):
        return None
    return with_selection(plan, _ids(answer))


def _build(app: App, args: argparse.Namespace) -> int:
    from os1.letters.book import with_selection

    if args.count is not None and args.count < 1:
        raise InputError("--count must be at least 1.")
    service = app.letters()
    plan = service.plan_book(args.title, args.count)
    _show(plan)
    if args.pick:
        plan = with_selection(plan, _ids(args.pick))
    elif not args.yes:
        approved = _ask(plan)
        if approved is None:
            say("No book made.")
            return 0
        plan = approved
    built = service.build_book(plan, args.out)
    print(f"Wrote {built.pdf} ({built.pages} pages, {built.letters} letters) and {built.epub}.")
    return 0


async def _send(app: App, args: argparse.Namespace) -> int:
    from os1.skills.letters import book_proposal, send_book

    try:
        mail = app.mail()
        proposal = book_proposal(app.settings, mail, args.to, args.file, args.account, args.subject)
        print(proposal.summary)
        await ask_then_act(app, send_book, proposal, {"mail": mail}, "Send it? [y/N] ")
        return 0
    finally:
        await app.aclose()
