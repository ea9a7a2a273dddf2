"""The one-shot commands: setup, ask, memory, config. Each parses, calls, renders."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from os1 import audit
from os1.app import App
from os1.cli.chat import interview, speak
from os1.cli.terminal import render, say
from os1.errors import InputError
from os1.memory.export import export_user
from os1.mind.catalogue import CATALOGUE
from os1.persona.interview import answers_from_toml
from os1.persona.setup import set_up
from os1.settings import Settings
from os1.text import decode_input


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


def _message(args: argparse.Namespace) -> str:
    if args.text == ["-"]:
        return decode_input(sys.stdin.buffer.read())
    return " ".join(args.text)


async def _ask(app: App, text: str) -> int:
    try:
        companion = app.companion()
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
    app = App(settings)
    return asyncio.run(_ask(app, text))


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
                print(f"m{episode.id}\t{episode.created_at[:10]}\t{episode.role}: {text}")
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


def run_config_show(args: argparse.Namespace, settings: Settings) -> int:
    del args
    rows = settings.shown()
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"{name:<{width}}  {value or '-'}  ({source})")
    print()
    print(f"{'database':<{width}}  {settings.db_path}")
    print(
        f"{'config file':<{width}}  {settings.config_path}"
        + ("" if settings.config_path.exists() else "  (not created)")
    )
    print(
        f"{'secrets file':<{width}}  {settings.secrets_path}"
        + ("" if settings.secrets_path.exists() else "  (not created)")
    )
    print(f"{'log':<{width}}  {settings.log_path}")
    if settings.uses_remote:
        print(f"{'engine':<{width}}  remote, OpenAI-compatible, at {settings.base_url}")
    elif settings.model in CATALOGUE:
        model = CATALOGUE[settings.model]
        cached = settings.model_cache_dir / model.filename
        state = "prepared" if cached.exists() or model.single_file else "prepared on first use"
        print(f"{'engine':<{width}}  llama.cpp in-process: {model.title} ({state})")
    else:
        print(f"{'engine':<{width}}  llama.cpp in-process: {settings.model}")
    return 0
