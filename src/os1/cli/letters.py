"""`os1 letters import|export|list|show|render` and `os1 letter`: the letter archive,
ghostwritten letters, and letters in handwriting."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from os1.app import App
from os1.cli.lines import say
from os1.errors import InputError
from os1.letters.text import clean_letter, decode_letter
from os1.settings import Settings

if TYPE_CHECKING:
    from os1.letters.service import Draft, LetterService


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    letters = sub.add_parser("letters", help="the letter archive: import, export, list, render")
    actions = letters.add_subparsers(dest="action", metavar="ACTION", required=True)
    imported = actions.add_parser("import", help="bring in letters: one .txt or .md file each")
    imported.add_argument("folder", metavar="DIR", type=Path)
    exported = actions.add_parser("export", help="write every letter to a folder (re-importable)")
    exported.add_argument("folder", metavar="DIR", type=Path)
    actions.add_parser("list", help="every letter in the archive")
    show = actions.add_parser("show", help="one letter")
    show.add_argument("id", type=int)
    render = actions.add_parser("render", help="a letter in handwriting, as PDF and PNG")
    render.add_argument("letter", metavar="ID|FILE", help="a letter's number, or a text file")
    render.add_argument("--out", type=Path, required=True, help="the PDF (the PNG goes beside)")
    render.add_argument("--no-png", action="store_true", help="only the PDF")
    letters.set_defaults(handler=run_letters)

    letter = sub.add_parser("letter", help="draft a letter in a client's voice, from their history")
    letter.add_argument("--client", required=True, help="who the letter is from")
    letter.add_argument("--to", required=True, dest="recipient", help="who it is to")
    letter.add_argument("purpose", nargs="+", help="what the letter is for")
    letter.add_argument("--out", type=Path, help="also write the draft to this file")
    letter.add_argument("--edit", action="store_true", help="open the draft in $EDITOR first")
    letter.add_argument("--render", type=Path, metavar="PDF", help="also write it in handwriting")
    letter.set_defaults(handler=run_letter)


def run_letters(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    service = app.letters()
    if args.action == "import":
        report = service.archive.import_dir(args.folder)
        for problem in report.problems:
            say(f"Left out: {problem}")
        print(f"Imported {len(report.added)} letters ({report.already} already in the archive, "
              f"{len(report.problems)} left out).")  # fmt: skip
    elif args.action == "export":
        count = service.archive.export_dir(args.folder)
        print(f"Wrote {count} letters to {args.folder}.")
    elif args.action == "list":
        letters = service.archive.letters("")
        if not letters:
            say("The archive is empty: `os1 letters import DIR` brings letters in.")
        for letter in letters:
            words = len(letter.body.split())
            print(f"{letter.id:>5}  {letter.kind:<7} {letter.written_on or '-':<10}  "
                  f"{(letter.sender or '?')[:18]:<18} -> {(letter.recipient or '?')[:18]:<18} "
                  f"{words:>5} words  {letter.heading[:40]}")  # fmt: skip
    elif args.action == "show":
        letter = service.archive.get(args.id)
        print(f"From: {letter.sender}\nTo: {letter.recipient}\nDate: {letter.written_on}\n")
        print(letter.body)
    else:
        _render(service, args)
    return 0


def _render(service: LetterService, args: argparse.Namespace) -> None:
    if args.letter.isdigit():
        text, name = service.archive.get(int(args.letter)).body, f"Letter {args.letter}"
    else:
        path = Path(args.letter)
        try:
            text, name = decode_letter(path.read_bytes(), path.name), path.name
        except OSError as exc:
            raise InputError(f"Cannot read {path}: {exc.strerror}.",
                             "Give a letter's number or a text file.") from exc  # fmt: skip
    done = service.render(text, args.out, png=not args.no_png, name=name)
    shown = f" and {done.png}" if done.png else ""
    print(f"Wrote {done.pdf} ({done.pages} page{'s' * (done.pages != 1)}){shown}.")


def _edit(path: Path) -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "nano"
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as exc:
        raise InputError(f"Cannot start the editor {editor!r}.", "Set EDITOR.") from exc
    return clean_letter(decode_letter(path.read_bytes(), path.name), path.name)


def run_letter(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    service = app.letters()
    draft = asyncio.run(_draft(app, service, args))
    text = draft.text
    out = args.out or settings.home / "letters" / f"draft-{draft.id or 'latest'}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    if args.edit and sys.stdin.isatty():
        text = _edit(out)
    print(text)
    say(f"The draft is in {out}: edit it there; `os1 letters render {out} --out letter.pdf` "
        "writes it by hand.")  # fmt: skip
    if args.render:
        done = service.render(text, args.render)
        say(f"Wrote {done.pdf}" + (f" and {done.png}." if done.png else "."))
    return 0


async def _draft(app: App, service: LetterService, args: argparse.Namespace) -> Draft:
    try:
        await app.mind.start()
        return await service.draft(app.mind, args.client, args.recipient, " ".join(args.purpose))
    finally:
        await app.aclose()
