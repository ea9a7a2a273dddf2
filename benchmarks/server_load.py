"""N concurrent websocket conversations against `os1 serve`: throughput, time to first
token (p50, p99), memory per connection, and the knee, beside a plain-engine peer.

    .venv/bin/python benchmarks/server_load.py --model smollm2 --levels 1,2,4,8,16,32
    .venv/bin/python benchmarks/server_load.py --model qwen-1.5b --levels 1,2,4,8

Each of N users (each with their own persona, answered by the interview) opens a
websocket and says `--turns` messages, one after another, all N at once. "First token"
is the first words the user sees (the voice guard holds each sentence until it ends).
Memory per connection is the server process's peak RSS during a level, less its RSS
before the level, over N. The peer ("plain engine") is the same model in the same
runtime, N concurrent streams with a one-line system prompt, in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from os1.app import App, llama_config
from os1.mind.assemble import resolve_model
from os1.mind.base import GenerationOptions, Message
from os1.mind.llamacpp import LlamaCppMind
from os1.persona.setup import set_up
from os1.server.accounts import Accounts
from os1.settings import load_settings

NAMES = [
    "Theo",
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Gia",
    "Hugo",
    "Iris",
    "Jon",
    "Kai",
    "Lea",
    "Max",
    "Nia",
    "Omar",
]
TURNS = [
    "Hi. I'm home, and it was a long day.",
    "My sister called from Porto. Do you think I should visit her in December?",
    "What should I bring her? She loves old books.",
]


@dataclass
class Level:
    n: int
    wall_s: float = 0.0
    first_s: list[float] = field(default_factory=list)
    words: int = 0
    turns: int = 0
    failures: int = 0
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.wall_s if self.wall_s else 0.0

    @property
    def per_connection_mb(self) -> float:
        return (self.rss_peak_mb - self.rss_before_mb) / self.n


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def conversation(url: str, token: str, turns: int, level: Level) -> None:
    async with connect(url, max_size=1 << 22, open_timeout=60, ping_timeout=None) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "thread": "bench"}))
        assert json.loads(await ws.recv())["type"] == "ready"
        for text in TURNS[:turns]:
            started = time.monotonic()
            first = 0.0
            await ws.send(json.dumps({"type": "message", "text": text}))
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == "delta":
                    first = first or time.monotonic() - started
                    level.words += len(frame["text"].split())
                elif frame["type"] in ("done", "error"):
                    break
            level.turns += 1
            if frame["type"] == "error" or not first:
                level.failures += 1
            else:
                level.first_s.append(first)


async def run_level(url: str, tokens: list[str], turns: int, pid: int) -> Level:
    level = Level(len(tokens), rss_before_mb=rss_mb(pid))
    level.rss_peak_mb = level.rss_before_mb
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            level.rss_peak_mb = max(level.rss_peak_mb, rss_mb(pid))
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    started = time.monotonic()
    await asyncio.gather(*(conversation(url, t, turns, level) for t in tokens))
    level.wall_s = time.monotonic() - started
    done.set()
    await sampler
    return level


async def peer_level(mind: LlamaCppMind, n: int, turns: int) -> Level:
    """The same engine, N bare conversations at once: tokens as the runtime streams them."""
    level = Level(n)
    options = GenerationOptions(max_tokens=320, temperature=0.5)

    async def one(index: int) -> None:
        messages = [Message("system", "You are a warm, friendly companion. Answer briefly.")]
        for text in TURNS[:turns]:
            messages.append(Message("user", text))
            started, first, pieces = time.monotonic(), 0.0, []
            async for piece in mind.stream(messages, _keyed(options, f"peer:{n}:{index}")):
                first = first or time.monotonic() - started
                pieces.append(piece)
            reply = "".join(pieces)
            messages.append(Message("assistant", reply))
            level.first_s.append(first)
            level.words += len(reply.split())
            level.turns += 1

    started = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(n)))
    level.wall_s = time.monotonic() - started
    return level


def _keyed(options: GenerationOptions, key: str) -> GenerationOptions:
    return replace(options, cache_key=key)


def prepare(home: Path, model: str, users: int, same_persona: bool) -> list[str]:
    settings = load_settings(env={"OS1_HOME": str(home), "OS1_MODEL": model})
    app = App(settings)
    resolve_model(settings.model, settings.model_cache_dir)  # assemble + check, once
    tokens = []
    for name in (NAMES * (users // len(NAMES) + 1))[:users]:
        handle = f"{name.lower()}{len(tokens)}"
        name = "Theo" if same_persona else name
        tokens.append(Accounts(app.store).add(handle))
        answers = {"name": name, "social": "Somewhat social.", "mother": "We're close."}
        set_up(answers, app.memory(handle), app.personas(handle))
    app.store.close()
    return tokens


def start_server(env: dict[str, str], slots: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "os1.cli.main", "serve", "--port", "0", "--slots", str(slots)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    url = process.stdout.readline().split()[-1].rstrip("/")
    while True:
        try:
            if httpx.get(url + "/health", timeout=5).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)


def knee(levels: list[Level]) -> int:
    """The last N where doubling the load still raised throughput by 15 % or more."""
    best = levels[0].n
    for before, after in itertools.pairwise(levels):
        if after.words_per_s >= 1.15 * before.words_per_s:
            best = after.n
        else:
            break
    return best


def row(level: Level, peer: Level) -> str:
    ratio = level.words_per_s / peer.words_per_s if peer.words_per_s else float("nan")
    return (
        f"| {level.n} | {level.words_per_s:.1f} | {peer.words_per_s:.1f} | {ratio:.2f} | "
        f"{statistics.median(level.first_s):.2f} s | {percentile(level.first_s, 0.99):.2f} s | "
        f"{statistics.median(peer.first_s):.2f} s | {level.per_connection_mb:.1f} MB | "
        f"{level.rss_peak_mb:.0f} MB | {level.failures}/{level.turns} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="smollm2")
    parser.add_argument("--levels", default="1,2,4,8,16,32")
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument("--slots", type=int, default=8)
    parser.add_argument("--threads", type=int, default=0, help="0: OS1's default")
    parser.add_argument(
        "--same-persona",
        action="store_true",
        help="every user answers the interview alike, so one persona prefix is cached",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        tokens = prepare(home, args.model, max(levels), args.same_persona)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_")}
        env.update(OS1_HOME=str(home), OS1_MODEL=args.model)
        if args.threads:
            env["OS1_THREADS"] = str(args.threads)
        process, url = start_server(env, args.slots)
        baseline = rss_mb(process.pid)
        try:
            results, peers = asyncio.run(measure(home, args, levels, tokens, url, process.pid))
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=600)
    report(args, levels, baseline, results, peers)
    return 0


async def measure(
    home: Path, args: argparse.Namespace, levels: list[int], tokens: list[str], url: str, pid: int
) -> tuple[list[Level], list[Level]]:
    """Each level through the server, then at once the same level on the plain engine, so
    both see the same machine (shared, and busy at times)."""
    overrides = {"threads": args.threads} if args.threads else {}
    settings = load_settings(env={"OS1_HOME": str(home), "OS1_MODEL": args.model}, flags=overrides)
    # The plain engine: OS1's own configuration, without the prompt cache on disk.
    mind = LlamaCppMind(replace(llama_config(settings), prompt_cache_dir=None, slots=args.slots))
    await mind.start()
    ws_url = url.replace("http", "ws") + "/api/conversation"
    results, peers = [], []
    try:
        # Untimed: the persona's prompt is read once and saved, as a running server has it.
        await run_level(ws_url, tokens[-1:], 1, pid)
        await peer_level(mind, 1, 1)
        for n in levels:
            results.append(await run_level(ws_url, tokens[:n], args.turns, pid))
            peers.append(await peer_level(mind, n, args.turns))
            print(
                f"N={n}: OS1 {results[-1].words_per_s:.1f} words/s, "
                f"plain {peers[-1].words_per_s:.1f} words/s, load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        await mind.aclose()
    return results, peers


def report(
    args: argparse.Namespace,
    levels: list[int],
    baseline: float,
    results: list[Level],
    peers: list[Level],
) -> None:
    load = os.getloadavg()[0]
    persona = "one persona for all" if args.same_persona else "a persona each"
    print(f"model {args.model}, {args.slots} slots, {args.turns} turns per conversation, {persona}")
    print(f"{platform.machine()}, {os.cpu_count()} cores, load average {load:.1f} at the end")
    print(f"server RSS after loading the model: {baseline:.0f} MB\n")
    print(
        "| N | OS1 words/s | plain words/s | OS1/plain | first words p50 | p99 | "
        "plain first token p50 | memory per connection | peak RSS | failed turns |"
    )
    print("| --- " * 10 + "|")
    for level, peer in zip(results, peers, strict=True):
        print(row(level, peer))
    print(f"\nknee: N = {knee(results)} (OS1), N = {knee(peers)} (plain engine)")
    if args.json:
        data = {
            "model": args.model,
            "slots": args.slots,
            "turns": args.turns,
            "levels": levels,
            "baseline_rss_mb": baseline,
            "load_average": load,
            "os1": [asdict(r) for r in results],
            "plain": [asdict(p) for p in peers],
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
