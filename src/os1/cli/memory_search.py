"""`os1 memory search` and `os1 memory ingest`: recall as text or JSON lines, and imports."""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from os1.app import App
from os1.cli.lines import say
from os1.cli.progress import embed_with_progress
from os1.errors import InputError
from os1.memory import Memory
from os1.memory.ingest import Imported, import_sessions
from os1.memory.recall import HitKind, Recollection, excerpt, search_terms, with_sources

EVERYTHING: tuple[HitKind, ...] = ("fact", "message", "passage")
BOTH_ROLES = ("user", "assistant")


def add_search(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    search = actions.add_parser("search", help="search everything remembered and read")
    search.add_argument("query", nargs="*")
    search.add_argument("--k", "--limit", dest="k", type=int, default=10, help="hits (10)")
    search.add_argument("--json", action="store_true", help="one JSON line per query")
    search.add_argument(
        "--queries", metavar="FILE.jsonl", help='many queries, one {"id", "query"} a line'
    )


def add_ingest(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ingest = actions.add_parser("ingest", help="import multi-session conversations")
    ingest.add_argument("--format", choices=["sessions"], default="sessions")
    ingest.add_argument("file", metavar="FILE")
    ingest.add_argument("--no-embed", action="store_true", help="keyword search only, for now")


def _queries(args: argparse.Namespace) -> list[tuple[Any, str]]:
    if args.queries:
        return read_queries(Path(args.queries))
    query = " ".join(args.query).strip()
    if not query:
        raise InputError("Nothing to search for.", 'Give a query, e.g. os1 memory search "sister".')
    return [("0", query)]


def read_queries(path: Path) -> list[tuple[Any, str]]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.", "Check the path.") from exc
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        if not isinstance(item, dict) or not isinstance(item.get("query"), str):
            raise InputError(
                f"Line {number} of {path} is not a query.",
                'Each line: {"id": "q1", "query": "..."}.',
            )
        found.append((item.get("id", str(number - 1)), item["query"]))
    return found


def search(memory: Memory, query: str, k: int) -> list[Recollection]:
    hits = memory.recall.search(query, k, kinds=EVERYTHING, roles=BOTH_ROLES)
    return with_sources(memory.store, memory.user_id, hits)


def _hit_text(hit: Recollection) -> str:
    """What a tool reading the hit needs: a turn's speaker, and for an imported turn its
    date (a question like "when did..." is answered from it)."""
    if not hit.speaker:
        return hit.text
    return f"[{_date(hit.when)}] {hit.speaker}: {hit.text}"


def _date(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%-d %B %Y")
    except ValueError:
        return stamp[:10]


def _line(hit: Recollection, query: str) -> str:
    ids = {"fact": f"f{hit.id}", "message": f"m{hit.id}", "passage": f"p{hit.id}"}
    where = f"[{hit.source_id}] " if hit.source_id and not hit.source_id.startswith("m") else ""
    text = " ".join(_hit_text(hit).split())
    text = excerpt(text, search_terms(query), 200) if hit.kind == "passage" else text[:200]
    return f"{ids[hit.kind]}\t{hit.when[:10]}\t{where}{text}"


def run_search(app: App, args: argparse.Namespace) -> int:
    if args.k < 1:
        raise InputError("--k must be at least 1.")
    queries = _queries(args)
    memory = app.memory()
    has_vectors = memory.store.query(
        "SELECT 1 FROM vectors WHERE user_id = ? LIMIT 1", (memory.user_id,)
    )
    if has_vectors and memory.embedder is not None:
        memory.embedder.load()  # about a second; keyword search alone if it cannot load
    for query_id, query in queries:
        hits = search(memory, query, args.k)
        if args.json:
            found = [
                {"source_id": h.source_id, "text": _hit_text(h), "score": h.score} for h in hits
            ]
            print(json.dumps({"id": query_id, "hits": found}, ensure_ascii=False), flush=True)
            continue
        if not hits:
            say(f"Nothing in memory matches {query!r}.")
        for hit in hits:
            print(_line(hit, query))
    return 0


def run_ingest(app: App, args: argparse.Namespace) -> int:
    memory = app.memory()
    started = time.perf_counter()

    def acknowledge(result: Imported) -> None:
        if result.skipped:
            say(f"Sample {result.sample} was imported before; left as it is.")
        else:
            say(f"Stored sample {result.sample}: {result.turns:,} turns.")

    done = import_sessions(memory.episodes, Path(args.file), acknowledge)
    turns = sum(d.turns for d in done)
    seconds = time.perf_counter() - started
    say(f"Imported {len(done)} samples ({turns:,} turns) in {seconds:.2f} s; searchable now.")
    if args.no_embed:
        return 0
    return embed_with_progress(memory)
