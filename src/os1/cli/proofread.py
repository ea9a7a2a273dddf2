"""`os1 proofread FILE|-`: fixes shown as a diff with reasons, accepted or rejected one by one;
`--lines` corrects one sentence per line and prints one corrected line per input line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from os1.app import App
from os1.cli.lines import say
from os1.errors import InputError, StorageError
from os1.letters.edits import Proofreading, context_line
from os1.letters.proofread import MODES
from os1.letters.text import MAX_LETTER_CHARS, clean_letter, decode_letter
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser("proofread", help="proofread a letter: fixes you accept one by one")
    cmd.add_argument("file", metavar="FILE", help="the text to proofread, or - for stdin")
    cmd.add_argument("--lines", action="store_true",
                     help="one sentence per line in, one corrected line per line out")  # fmt: skip
    cmd.add_argument("--yes", action="store_true", help="accept every fix without asking")
    cmd.add_argument("--out", type=Path, help="write the corrected text here (default: stdout)")
    cmd.add_argument("--mode", choices=MODES, default="combined",
                     help="combined (default), the model alone, or the spell checker")  # fmt: skip
    cmd.set_defaults(handler=run_proofread)


def _read(name: str) -> str:
    if name == "-":
        return decode_letter(sys.stdin.buffer.read(), "The text on stdin")
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > 4 * MAX_LETTER_CHARS:
            raise InputError(f"{name} is too big to proofread ({size:,} bytes).",
                             "Proofread it a chapter at a time.")  # fmt: skip
        return decode_letter(path.read_bytes(), name)
    except FileNotFoundError:
        raise InputError(f"There is no file {name}.", "Check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder.", "Give one text file.") from None
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror}.") from exc


def run_proofread(args: argparse.Namespace, settings: Settings) -> int:
    raw = _read(args.file)
    return asyncio.run(_proofread(App(settings), args, raw))


async def _proofread(app: App, args: argparse.Namespace, raw: str) -> int:
    try:
        mind = None
        if args.mode != "spelling":
            await app.mind.start()
            mind = app.mind
        service = app.letters()
        if args.lines:
            for line in raw.splitlines():
                fixed = line
                if line.strip() and len(line) <= MAX_LETTER_CHARS:
                    fixed = (await service.proofread(mind, line.strip(), args.mode)).corrected()
                print(fixed, flush=True)
            return 0
        text = clean_letter(raw, "The text")
        result = await service.proofread(mind, text, args.mode)
        _finish(result, _decide(result, args.yes), args.out)
        return 0
    finally:
        await app.aclose()


def _decide(result: Proofreading, accept_all: bool) -> list[bool]:
    """Show each change with its reason; the user's yes or no to each (or all)."""
    if not result.changes:
        say("No fixes needed: it reads as written.")
    asking = not accept_all and sys.stdin.isatty()
    decisions: list[bool] = []
    for number, change in enumerate(result.changes, 1):
        minus, plus = context_line(result.text, change)
        say(f"{number}/{len(result.changes)} ({change.source}) {change.reason}\n{minus}\n{plus}")
        if asking:
            answer = input("Accept? [Y/n/a = all/q = reject the rest] ").strip().lower()
            if answer == "a":
                asking = False
            decisions.append(answer in ("", "y", "yes", "a"))
            if answer == "q":
                decisions += [False] * (len(result.changes) - number)
                break
        else:
            decisions.append(accept_all)
    if result.changes and not accept_all and not sys.stdin.isatty():
        say("Not applied: run again with --yes to accept them all, or in a terminal to choose.")
    for note in result.notes:
        say(f"Style note (not applied): {note}")
    return decisions


def _finish(result: Proofreading, decisions: list[bool], out: Path | None) -> None:
    text = result.corrected(decisions)
    if out is None:
        print(text)
        return
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise StorageError(f"Cannot write {out}: {exc.strerror}.") from exc
    say(f"{sum(decisions)} of {len(decisions)} fixes applied; written to {out}.")
