"""`os1 memory list|search|forget|export`: see and control what OS1 remembers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from os1 import audit
from os1.app import App
from os1.cli.terminal import say
from os1.errors import InputError
from os1.memory.export import export_user
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    memory = sub.add_parser("memory", help="see, search, forget and export what OS1 remembers")
    actions = memory.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="facts OS1 holds (and turns, with --turns)")
    listing.add_argument("--turns", action="store_true", help="also list conversation turns")
    listing.add_argument("--limit", type=int, default=100)
    search = actions.add_parser("search", help="search facts and past turns")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=int, default=10)
    forget = actions.add_parser("forget", help="forget facts (f12) or turns (m34)")
    forget.add_argument("ids", nargs="+", metavar="ID")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    export = actions.add_parser("export", help="everything, as JSON")
    export.add_argument("--out", metavar="FILE", help="write to FILE (mode 600) instead of stdout")
    memory.set_defaults(handler=run_memory)


def _parse_id(raw: str) -> tuple[str, int]:
    kind = "message" if raw[:1] in ("m", "M") else "fact"
    digits = raw[1:] if raw[:1] in ("m", "M", "f", "F") else raw
    if not digits.isdigit():
        raise InputError(f"{raw!r} is not a memory id.", "Ids look like f12 (a fact) or m34.")
    return kind, int(digits)


def _confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise InputError("Forgetting needs your explicit yes.", "Run it again with --yes.")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def run_memory(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    memory = app.memory()
    if args.action == "list":
        for fact in memory.facts.current(args.limit):
            print(f"f{fact.id}\t{fact.valid_from[:10]}\t[{fact.about}] {fact.statement}")
        if args.turns:
            for episode in memory.episodes.listing(args.limit):
                text = " ".join(episode.content.split())[:200]
                cut = " (interrupted)" if episode.interrupted else ""
                print(f"m{episode.id}\t{episode.created_at[:10]}\t{episode.role}{cut}: {text}")
        return 0
    if args.action == "search":
        query = " ".join(args.query)
        hits = memory.recall.search(query, limit=args.limit)
        if not hits:
            say(f"Nothing in memory matches {query!r}.")
        for hit in hits:
            print(f"{hit.kind[0]}{hit.id}\t{hit.when[:10]}\t{' '.join(hit.text.split())[:200]}")
        return 0
    if args.action == "forget":
        return _forget(app, args)
    return _export(app, args)


def _forget(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    for raw in args.ids:
        kind, item = _parse_id(raw)
        found = memory.facts.get(item) if kind == "fact" else memory.episodes.get(item)
        if found is None:
            raise InputError(f"There is no memory {raw}.", "See `os1 memory list`.")
        shown = found.statement if kind == "fact" else found.content  # type: ignore[union-attr]
        if not _confirm(f"Forget {raw}: {shown[:120]!r}?", args.yes):
            say(f"Kept {raw}.")
            continue
        if kind == "fact":
            memory.facts.forget(item, cause="the user asked to forget it")
        else:
            memory.episodes.forget(item, cause="the user asked to forget it")
        audit.record(app.store, memory.user_id, "memory.forget", raw, "done")
        say(f"Forgotten: {raw}.")
    return 0


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
