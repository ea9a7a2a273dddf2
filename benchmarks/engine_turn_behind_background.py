"""The engine alone: how long a turn waits behind background work reading a long prompt.

    .venv/bin/python benchmarks/engine_turn_behind_background.py [--n-batch 2048]
        [--turn-after 0]

llama.cpp in-process (xllamacpp), two slots and two threads as OS1 runs it, the default
model. Slot 0 holds a conversation whose system prompt is cached; slot 1 starts reading a
fresh ~600-token prompt (what a fact extraction or a reflection sends), with
`return_progress` on. At a set delay a turn of ~15 new tokens starts in slot 0 and the
background request is cancelled that same moment, as `remembering.giving_way` does.
Prints the turn's first token for each delay, against the same turn with the engine to
itself, then how long a ~900-token prompt takes to read whole at this `n_batch` (a
smaller batch lets a cancel land sooner, and costs every long prompt). With
`--turn-after S` the cancel comes at the delay and the turn S seconds later, as in a
voice session, where background work gives way from the user's first words and the
turn follows when they have finished speaking.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from typing import Any

from os1.mind.assemble import resolve_model
from os1.settings import load_settings

DELAYS = (0.7, 1.9, 3.1, 4.3, 5.5, 2.5)  # seconds into the background prompt


def engine(n_batch: int) -> Any:
    import xllamacpp

    settings = load_settings(env=dict(os.environ))
    params = xllamacpp.CommonParams()
    params.model.path = str(resolve_model("qwen-1.5b", settings.model_cache_dir).path)
    params.n_parallel, params.n_ctx = 2, 8192
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    params.n_batch, params.n_ubatch = n_batch, min(n_batch, 512)
    params.warmup, params.verbosity = False, -1
    return xllamacpp.Server(params)


class Conversation:
    """Slot 0: a cached system prompt and turns that add a few tokens each."""

    def __init__(self, server: Any) -> None:
        self.server = server
        rules = " ".join(f"Rule {i}: be kind, brief and honest with the user." for i in range(25))
        self.messages = [{"role": "system", "content": "You are a warm companion. " + rules}]

    def turn(self, words: str) -> float:
        """Seconds to the first token of the answer."""
        self.messages.append({"role": "user", "content": words})
        started, first = time.perf_counter(), []

        def on_chunk(chunk: dict[str, Any]) -> bool:
            choices = chunk.get("choices") or []
            if not first and choices and (choices[0].get("delta") or {}).get("content"):
                first.append(time.perf_counter() - started)
            return False

        body = {"messages": self.messages, "max_tokens": 6, "temperature": 0, "stream": True}
        self.server.handle_chat_completions({**body, "id_slot": 0, "cache_prompt": True}, on_chunk)
        self.messages.append({"role": "assistant", "content": "Okay."})
        return first[0] if first else float("nan")


def behind_background(
    server: Any, talk: Conversation, index: int, delay: float, turn_after: float
) -> float:
    stop = threading.Event()
    facts = " ".join(
        f"Fact {index}-{k}: the user likes item number {k} and talks about it often."
        for k in range(30)
    )
    body = {"messages": [{"role": "user", "content": facts}], "max_tokens": 40}
    body |= {"stream": True, "return_progress": True, "id_slot": 1, "cache_prompt": True}
    background = threading.Thread(
        target=server.handle_chat_completions, args=(body, lambda _chunk: stop.is_set())
    )
    background.start()
    time.sleep(delay)
    stop.set()  # the background work gives way
    time.sleep(turn_after)
    first = talk.turn(f"Something else happened today, number {index}.")
    background.join()
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-batch", type=int, default=2048, help="llama.cpp's n_batch")
    parser.add_argument(
        "--turn-after", type=float, default=0.0, help="seconds from the cancel to the turn"
    )
    args = parser.parse_args()
    server = engine(args.n_batch)
    talk = Conversation(server)
    talk.turn("Hi.")  # reads the system prompt into slot 0
    alone = [talk.turn(f"I had a long day number {i}, really.") for i in range(3)]
    waits = []
    for index, delay in enumerate(DELAYS):
        waits.append(behind_background(server, talk, index, delay, args.turn_after))
        print(f"started {delay} s into the background prompt: first token {waits[-1]:.2f} s")
    print(
        f"n_batch {args.n_batch}, turn {args.turn_after} s after the cancel: first token"
        " behind background work, median"
        f" {statistics.median(waits):.2f} s (max {max(waits):.2f}); alone"
        f" {statistics.median(alone):.2f} s"
    )
    notes = " ".join(
        f"Note {k}: a long letter line about the day and its people." for k in range(60)
    )
    started = time.perf_counter()
    body = {"messages": [{"role": "user", "content": notes}], "max_tokens": 1, "id_slot": 1}
    server.handle_chat_completions(body, lambda _chunk: False)
    print(
        f"n_batch {args.n_batch}: a ~900-token prompt read in {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
