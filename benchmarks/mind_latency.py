"""Model load, first token cold and warm, generation speed and memory, OS1 beside a plain chain.

    .venv/bin/python benchmarks/mind_latency.py [--model qwen-1.5b] [--turns 10] [--rounds 3]

"OS1" is a Companion turn (recall, persona prompt, memory, voice guard) on the packaged
model. "plain" is the same model answering the same messages with a bare system
prompt through llama.cpp, with no prefix saved on disk: the peer. Each round uses a
new engine instance (a new process would behave the same: nothing is shared but the
files on disk), so "cold" means the engine has never seen this prompt. Prints a
Markdown table for BENCHMARKS.md and writes the raw figures as JSON next to it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from os1.app import App, llama_config
from os1.companion import Companion
from os1.events import TextDelta
from os1.mind.assemble import resolve_model
from os1.mind.base import GenerationOptions, Message, ModelInfo
from os1.mind.llamacpp import LlamaCppMind
from os1.persona.setup import set_up
from os1.settings import Settings, load_settings

ANSWERS = {"name": "Theo", "social": "Anti-social, I guess.", "mother": "It's complicated."}
TURNS = [
    "Hi. I'm home.",
    "Work was long. My boss moved the deadline again.",
    "My sister Ines called, she lives in Porto.",
    "Do you think I should visit her in December?",
    "I haven't seen her in two years.",
    "What should I bring her?",
    "She loves old books.",
    "Tell me something funny.",
    "Where does my sister live again?",
    "Okay, I should sleep soon.",
    "Goodnight.",
]


@dataclass
class Round:
    load_s: float = 0.0
    cold_first_token_s: float = 0.0
    warm_first_token_s: list[float] = field(default_factory=list)
    warm_first_text_s: list[float] = field(default_factory=list)
    tokens_per_s: list[float] = field(default_factory=list)


class _Timed:
    """A mind wrapper timing the first piece of each conversation reply, and its speed."""

    def __init__(self, mind: LlamaCppMind) -> None:
        self.mind = mind
        self.first: float | None = None
        self.rate: float | None = None

    @property
    def info(self) -> ModelInfo:
        return self.mind.info

    async def start(self) -> None:
        await self.mind.start()

    async def aclose(self) -> None:
        await self.mind.aclose()

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        timing = options.json_schema is None  # extraction runs in the background
        started = time.perf_counter()
        first, count = 0.0, 0
        async for piece in self.mind.stream(messages, options):
            count += 1
            if count == 1:
                first = time.perf_counter()
                if timing:
                    self.first = first - started
            yield piece
        if timing and count > 1:
            self.rate = (count - 1) / (time.perf_counter() - first)


async def _os1_round(settings: Settings, thread: str, turns: int) -> Round:
    app = App(settings)
    mind = app.mind
    assert isinstance(mind, LlamaCppMind)
    result = Round()
    started = time.perf_counter()
    await mind.start()
    result.load_s = time.perf_counter() - started
    timed = _Timed(mind)
    persona = app.persona()
    assert persona is not None
    companion = Companion(timed, app.memory(), persona)
    for index, text in enumerate(TURNS[: turns + 1]):
        started = time.perf_counter()
        shown = None
        async for event in companion.reply(text, thread=thread):
            if isinstance(event, TextDelta) and shown is None:
                shown = time.perf_counter() - started
        await companion.settle()
        assert timed.first is not None
        if index == 0:
            result.cold_first_token_s = timed.first
            # What the interactive `os1` does while the user types: the embedding model
            # loads, so from here on recall brings neighbours by meaning too.
            await companion.warm_up(thread)
            await companion.settle()
        else:
            result.warm_first_token_s.append(timed.first)
            result.warm_first_text_s.append(shown or 0.0)
        if timed.rate:
            result.tokens_per_s.append(timed.rate)
    await app.aclose()
    return result


async def _plain_round(settings: Settings, turns: int) -> Round:
    """The same model and messages, a bare prompt, nothing saved on disk."""
    mind = LlamaCppMind(replace(llama_config(settings), prompt_cache_dir=None))
    result = Round()
    started = time.perf_counter()
    await mind.start()
    result.load_s = time.perf_counter() - started
    messages = [Message("system", "You are a warm, friendly companion. Answer briefly.")]
    options = GenerationOptions(max_tokens=320, temperature=0.5, cache_key="plain")
    for index, text in enumerate(TURNS[: turns + 1]):
        messages.append(Message("user", text))
        started = time.perf_counter()
        first, pieces = 0.0, list[str]()
        async for piece in mind.stream(messages, options):
            if not pieces:
                first = time.perf_counter()
            pieces.append(piece)
        messages.append(Message("assistant", "".join(pieces)))
        if index == 0:
            result.cold_first_token_s = first - started
        else:
            result.warm_first_token_s.append(first - started)
        if len(pieces) > 1:
            result.tokens_per_s.append((len(pieces) - 1) / (time.perf_counter() - first))
    await mind.aclose()
    return result


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else _median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="qwen-1.5b")
    parser.add_argument("--turns", type=int, default=10, help="warm turns after the first")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("benchmarks/mind_latency.json"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        settings = load_settings(env={"OS1_HOME": str(home)}, flags={"model": args.model})
        app = App(settings)
        set_up(dict(ANSWERS), app.memory(), app.personas())
        started = time.perf_counter()
        resolve_model(settings.model, settings.model_cache_dir)  # assemble + sha256
        prepare_s = time.perf_counter() - started
        os1_rounds, plain_rounds = [], []
        for number in range(args.rounds):
            # Each round is a new engine instance and a new conversation; from the second
            # round on, the persona's computed prefix is already saved on disk.
            plain_rounds.append(asyncio.run(_plain_round(settings, args.turns)))
            os1_rounds.append(asyncio.run(_os1_round(settings, f"round-{number}", args.turns)))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def figures(rounds: list[Round]) -> dict[str, float]:
        warm = [v for r in rounds for v in r.warm_first_token_s]
        return {
            "load_s": _median([r.load_s for r in rounds]),
            "first_round_cold_first_token_s": rounds[0].cold_first_token_s,
            "later_rounds_cold_first_token_s": _median([r.cold_first_token_s for r in rounds[1:]]),
            "warm_first_token_median_s": _median(warm),
            "warm_first_token_p90_s": _p90(warm),
            "warm_first_text_median_s": _median([v for r in rounds for v in r.warm_first_text_s]),
            "tokens_per_s": _median([v for r in rounds for v in r.tokens_per_s]),
        }

    os1, plain = figures(os1_rounds), figures(plain_rounds)
    machine = f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores"
    report = {
        "model": args.model,
        "machine": machine,
        "prepare_s": prepare_s,
        "peak_rss_mb": rss_mb,
        "os1": os1,
        "plain": plain,
        "rounds": args.rounds,
        "warm_turns_per_round": args.turns,
    }
    args.json.write_text(json.dumps(report, indent=2))
    print(f"model {args.model} on {machine}; {args.rounds} rounds x {args.turns} warm turns")
    print(f"prepare (assemble + sha256, first time) {prepare_s:.1f} s; peak RSS {rss_mb:.0f} MB")
    print("| figure | OS1 | plain chain | OS1 / plain |")
    print("| --- | --- | --- | --- |")
    for key in os1:
        ratio = os1[key] / plain[key] if plain[key] and plain[key] == plain[key] else float("nan")
        print(f"| {key} | {os1[key]:.2f} | {plain[key]:.2f} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
