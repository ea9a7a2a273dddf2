"""`os1 memory ...`: see, search, correct, forget, export and grow what OS1 remembers."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from os1 import audit
from os1.app import App
from os1.cli import memory_search
from os1.cli.lines import say
from os1.cli.memory_show import show
from os1.cli.progress import embed_with_progress
from os1.errors import ConfigError, InputError
from os1.memory.export import export_user
from os1.memory.reflections import CORE_LABELS
from os1.settings import Settings

_KINDS = {"f": "fact", "m": "message", "d": "document", "r": "reflection"}
_ID_HINT = "Ids look like f12 (a fact), m34 (a turn), d3 (a document) or r5 (a reflection)."


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    memory = sub.add_parser("memory", help="see, search, correct, forget and export memory")
    actions = memory.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="facts OS1 holds (and turns, with --turns)")
    listing.add_argument("--turns", action="store_true", help="also list conversation turns")
    listing.add_argument("--limit", type=int, default=100)
    memory_search.add_search(actions)
    show_parser = actions.add_parser("show", help="one memory, where it came from, its history")
    show_parser.add_argument("id", metavar="ID")
    edit = actions.add_parser("edit", help="correct a fact (kept as history) or a core block")
    edit.add_argument("id", metavar="ID|relationship|self|profile")
    edit.add_argument("text", nargs="+")
    forget = actions.add_parser("forget", help="forget facts (f12), turns (m34), documents (d3)")
    forget.add_argument("ids", nargs="+", metavar="ID")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    export = actions.add_parser("export", help="everything, as JSON")
    export.add_argument("--out", metavar="FILE", help="write to FILE (mode 600) instead of stdout")
    memory_search.add_ingest(actions)
    reflections = actions.add_parser("reflections", help="summaries and insights so far")
    reflections.add_argument("--limit", type=int, default=20)
    actions.add_parser("reflect", help="reflect now on what has not been reflected on")
    actions.add_parser("embed", help="compute the vectors still missing (resumes)")
    memory.set_defaults(handler=run_memory)


def parse_id(raw: str) -> tuple[str, int]:
    kind = _KINDS.get(raw[:1].lower(), "fact")
    digits = raw[1:] if raw[:1].lower() in _KINDS else raw
    if not digits.isdigit():
        raise InputError(f"{raw!r} is not a memory id.", _ID_HINT)
    return kind, int(digits)


def _confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise InputError("Forgetting needs your explicit yes.", "Run it again with --yes.")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def run_memory(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    handlers: dict[str, Callable[[App, argparse.Namespace], int]] = {
        "list": _list,
        "search": memory_search.run_search,
        "show": lambda a, g: show(a, parse_id(g.id)),
        "edit": _edit,
        "forget": _forget,
        "export": _export,
        "ingest": memory_search.run_ingest,
        "reflections": _reflections,
        "embed": lambda a, _g: embed_with_progress(a.memory()),
    }
    if args.action == "reflect":
        return _reflect(app, args)  # starts the mind, and closes it in its own loop
    try:
        code: int = handlers[args.action](app, args)
        return code
    finally:
        asyncio.run(app.aclose())


def _list(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    for label in CORE_LABELS:
        if block := memory.reflections.core(label):
            print(f"{label}\t\t[core] {block}")
    for fact in memory.facts.current(args.limit):
        print(f"f{fact.id}\t{fact.valid_from[:10]}\t[{fact.about}] {fact.statement}")
    for document in memory.documents.listing(args.limit):
        print(f"d{document.id}\t{document.read_at[:10]}\t[read] {document.title}")
    if args.turns:
        for episode in memory.episodes.listing(args.limit):
            text = " ".join(episode.content.split())[:200]
            cut = " (interrupted)" if episode.interrupted else ""
            who = f"{episode.speaker} [{episode.source_id}]" if episode.speaker else episode.role
            print(f"m{episode.id}\t{episode.created_at[:10]}\t{who}{cut}: {text}")
    return 0


def _edit(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    text = " ".join(" ".join(args.text).split())
    if not text:
        raise InputError("The new text is empty.", "Say what it should be instead.")
    if args.id.lower() in CORE_LABELS:
        memory.reflections.set_core(args.id.lower(), text, "edited by the user")
        say(f"The {args.id.lower()} block now reads: {text}")
        return 0
    kind, item = parse_id(args.id)
    fact = memory.facts.get(item) if kind == "fact" else None
    if fact is None:
        raise InputError(f"There is no fact {args.id}.", "Only facts (f12) can be edited.")
    if not fact.current:
        raise InputError(f"f{item} was already replaced.", "Edit the current version instead.")
    new_id = memory.facts.supersede(item, text, "edited by the user")
    say(f"f{item} is now f{new_id}: {text} (the old wording stays in its history).")
    return 0


def _forget(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    for raw in args.ids:
        kind, item = parse_id(raw)
        shown = _describe(app, kind, item)
        if shown is None:
            raise InputError(f"There is no memory {raw}.", "See `os1 memory list`.")
        if not _confirm(f"Forget {raw}: {shown[:120]!r}?", args.yes):
            say(f"Kept {raw}.")
            continue
        cause = "the user asked to forget it"
        if kind == "fact":
            memory.facts.forget(item, cause)
        elif kind == "message":
            memory.episodes.forget(item, cause)
        elif kind == "document":
            memory.documents.forget(item, cause)
        else:
            reflection = memory.reflections.get(item)
            assert reflection is not None  # _describe found it
            memory.reflections.rederive(reflection, None, [], cause)
        audit.record(app.store, memory.user_id, "memory.forget", raw, "done")
        say(f"Forgotten: {raw}.")
    return 0


def _describe(app: App, kind: str, item: int) -> str | None:
    memory = app.memory()
    if kind == "fact":
        fact = memory.facts.get(item)
        return fact.statement if fact else None
    if kind == "message":
        episode = memory.episodes.get(item)
        return episode.content if episode else None
    if kind == "document":
        document = memory.documents.get(item)
        return document.title if document else None
    reflection = memory.reflections.get(item)
    return reflection.content if reflection else None


def _export(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    document = json.dumps(export_user(app.store, memory.user_id), ensure_ascii=False, indent=2)
    if not args.out or args.out == "-":
        print(document)
        return 0
    out = Path(args.out)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(document)
    except OSError as exc:
        raise InputError(f"Cannot write {out}: {exc.strerror}.") from exc
    say(f"Exported everything OS1 remembers to {out}.")
    return 0


def _reflections(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    relationship = memory.reflections.core("relationship")
    if relationship:
        print(f"relationship\t{relationship}")
    found = memory.reflections.listing(args.limit)
    if not found and not relationship:
        say("No reflections yet: OS1 reflects in quiet moments, after a few conversations.")
    for reflection in found:
        stale = " (to be derived again)" if reflection.stale else ""
        span = f"{reflection.first_at[:10]}..{reflection.last_at[:10]}"
        print(f"r{reflection.id}\t{span}\t{reflection.kind}{stale}: {reflection.content}")
    return 0


def _reflect(app: App, _args: argparse.Namespace) -> int:
    from os1.memory.reflect import reflect

    if app.persona() is None:
        app.store.close()
        raise ConfigError("OS1 has not been set up yet.", "Run `os1 setup` first.")

    async def run() -> int:
        try:
            await app.mind.start()
            report = await reflect(app.mind, app.memory(), app.personas(), least=1)
        finally:
            await app.aclose()
        if report is None:
            say("Nothing new to reflect on yet.")
            return 0
        drift = ", ".join(f"{k} {v:+.2f}" for k, v in report.drift.items()) or "none"
        say(f"Reflected (r{report.summary_id}, {report.insights} insights); trait drift: {drift}.")
        return 0

    return asyncio.run(run())
