"""`os1 read PATH`: read txt, md, html, pdf and epub files (folders too) into memory."""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from os1.app import App
from os1.cli.lines import say
from os1.cli.progress import embed_with_progress
from os1.memory.reading import files_in, read_text
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    read = sub.add_parser("read", help="read books, letters and notes into memory")
    read.add_argument("path", metavar="PATH", help="a txt, md, html, pdf or epub file, or a folder")
    read.add_argument("--no-embed", action="store_true", help="keyword search only, for now")
    read.set_defaults(handler=run_read)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.1f} KB"


def run_read(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    try:
        memory = app.memory()
        total_bytes, total_seconds, count = 0, 0.0, 0
        started = time.perf_counter()
        for path in files_in(Path(args.path).expanduser()):
            text = read_text(path)
            stored = memory.documents.store(text)
            count += 1
            if stored.unchanged:
                say(f"{path.name}: read before, unchanged.")
                continue
            total_bytes += len(text.data)
            total_seconds += stored.seconds
            doc = stored.document
            print(
                f"Read {doc.title!r} ({_size(len(text.data))}, {doc.passages:,} passages) "
                f"in {stored.seconds * 1000:.1f} ms: d{doc.id}, searchable now."
            )
        if count == 0:
            say("There was nothing OS1 can read there (txt, md, html, pdf, epub).")
            return 0
        if count > 1 and total_seconds:
            rate = total_bytes / 1_000_000 / total_seconds
            say(
                f"{count} files, {_size(total_bytes)} stored in {total_seconds * 1000:.0f} ms "
                f"({rate:.0f} MB/s; {time.perf_counter() - started:.1f} s with extraction)."
            )
        return 0 if args.no_embed else embed_with_progress(memory)
    finally:
        asyncio.run(app.aclose())
