"""The embedded mind with the real runtime and the tiny packaged model."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from pathlib import Path

import pytest

from os1.errors import ModelUnavailable
from os1.mind.base import GenerationOptions, Message
from os1.mind.llamacpp import LlamaConfig, LlamaCppMind, prompt_step
from os1.mind.structured import collect, generate_json

from ..conftest import run

pytestmark = pytest.mark.real_model

HELLO = [Message("system", "You are friendly."), Message("user", "Say hello to Ines.")]


def make(path: Path, cache: Path | None = None) -> LlamaCppMind:
    return LlamaCppMind(
        LlamaConfig(
            path=path, name="smollm2", title="SmolLM2", context_tokens=2048, prompt_cache_dir=cache
        )
    )


def test_streams_a_reply_in_pieces(tiny_model: Path) -> None:
    mind = make(tiny_model)

    async def go() -> list[str]:
        pieces = [p async for p in mind.stream(HELLO, GenerationOptions(max_tokens=24, seed=1))]
        await mind.aclose()
        return pieces

    pieces = run(go())
    assert len(pieces) > 3
    assert "".join(pieces).strip()


def test_structured_output_matches_the_schema(tiny_model: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
    }
    mind = make(tiny_model)

    async def go() -> object:
        messages = [Message("user", "Invent a person. Answer in JSON with name and age.")]
        value = await generate_json(mind, messages, schema, GenerationOptions(max_tokens=60))
        await mind.aclose()
        return value

    value = run(go())
    assert isinstance(value, dict)
    assert isinstance(value["name"], str) and isinstance(value["age"], int)


def test_closing_the_stream_stops_generation(tiny_model: Path) -> None:
    mind = make(tiny_model)
    long = [Message("user", "Count from one to five hundred in words, one per line.")]

    async def go() -> tuple[float, str]:
        await mind.start()
        stream = mind.stream(long, GenerationOptions(max_tokens=2000))
        async for _ in stream:
            break
        await stream.aclose()
        started = time.perf_counter()
        # The slot is free again at once: a stopped generation does not run on.
        text = await collect(mind, HELLO, GenerationOptions(max_tokens=8))
        elapsed = time.perf_counter() - started
        await mind.aclose()
        return elapsed, text

    elapsed, text = run(go())
    assert text.strip()
    assert elapsed < 5  # 2,000 tokens of counting would take far longer


def _notes(start: int) -> list[Message]:
    """A prompt of about 1,500 tokens, different for each `start`."""
    lines = " ".join(f"Note {k}: a line about the day and its people." for k in range(start, 1000))
    return [Message("user", lines[:6000])]


def test_work_stopped_while_its_prompt_is_read_frees_the_engine_within_a_step(
    tiny_model: Path,
) -> None:
    # As when background work gives way to a turn: llama.cpp read a whole prompt in one
    # step and heard the stop only after it, so the turn waited for all of it.
    mind = make(tiny_model)
    turn = GenerationOptions(max_tokens=1, cache_key="thread:1")

    async def go() -> tuple[float, float]:
        await collect(mind, HELLO, turn)
        started = time.perf_counter()
        await collect(mind, _notes(0), GenerationOptions(max_tokens=1))
        whole = time.perf_counter() - started
        work = asyncio.create_task(collect(mind, _notes(1), GenerationOptions(max_tokens=1)))
        await asyncio.sleep(whole / 10)
        work.cancel()
        started = time.perf_counter()
        await collect(mind, [*HELLO, Message("user", "And hello to Theo.")], turn)
        waited = time.perf_counter() - started
        await mind.aclose()
        return whole, waited

    whole, waited = run(go())
    assert waited < whole / 2, (whole, waited)  # 0.2-0.9 s of 9-14 s here; 9.2 of 9.6 before


def test_a_smaller_model_reads_its_prompt_in_larger_steps() -> None:
    assert prompt_step(1_117_320_768) == 32  # Qwen 1.5B: about 0.7 s a step on 2 cores
    assert prompt_step(491_400_064) == 64
    assert prompt_step(98_362_432) == 128  # SmolLM2: smaller steps read it 1.5x slower
    assert prompt_step(40_000_000_000) == 32 and prompt_step(1) == 128


def test_a_saved_prompt_prefix_warms_a_new_process(tiny_model: Path, tmp_path: Path) -> None:
    prefix = [Message("system", "You are Ruth, a warm companion. " * 20)]
    options = GenerationOptions(max_tokens=4, stable_prefix=1, cache_key="thread:1")

    async def turn(mind: LlamaCppMind, text: str) -> None:
        await collect(mind, [*prefix, Message("user", text)], options)
        await mind.aclose()

    first = make(tiny_model, tmp_path)
    run(turn(first, "Hi."))
    saved = list(tmp_path.glob("prefix-*.bin"))
    assert len(saved) == 1 and first.prefix_restores == 0
    second = make(tiny_model, tmp_path)
    run(turn(second, "Hello again."))
    assert second.prefix_restores == 1


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "broken.gguf"
    fake.write_bytes(b"GGUF" + b"\x00" * 64)  # the right magic, nothing behind it
    mind = make(fake)
    with pytest.raises(ModelUnavailable) as caught:
        run(mind.start())
    assert "could not load broken.gguf" in str(caught.value)
    assert "OS1_MODEL=qwen-0.5b" in str(caught.value)


def test_closing_while_a_reply_streams_stops_it_and_refuses_new_work(tiny_model: Path) -> None:
    mind = make(tiny_model)

    async def go() -> tuple[list[str], bool]:
        stream = mind.stream(HELLO, GenerationOptions(max_tokens=200, seed=1))
        first = [await anext(stream)]
        await mind.aclose()  # the request thread is joined, then the engine freed
        first += [p async for p in stream]
        refused = False
        try:
            await anext(mind.stream(HELLO, GenerationOptions(max_tokens=4)))
        except ModelUnavailable:
            refused = True
        return first, refused

    pieces, refused = run(go())
    assert pieces[0] and len(pieces) < 200
    assert refused


def _threads() -> dict[int, tuple[int, int]]:
    """Thread id -> (nice value, CPU ticks used) for this process."""
    found = {}
    for tid in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            stat = (tid / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(tid.name)] = (int(fields[16]), int(fields[11]) + int(fields[12]))
    return found


def test_the_engine_computes_at_a_lower_priority_than_the_rest(tiny_model: Path) -> None:
    mind = make(tiny_model)
    before = _threads()

    async def go() -> None:
        for _ in range(3):
            async for _piece in mind.stream(HELLO, GenerationOptions(max_tokens=24, seed=1)):
                pass

    run(go())
    after = _threads()
    run(mind.aclose())
    # The threads started since (the engine's, and ours that wait on it) and their work.
    new = {tid: stats for tid, stats in after.items() if tid not in before}
    niced = sum(ticks for nice, ticks in new.values() if nice == 10)
    assert niced > 0.9 * sum(ticks for _nice, ticks in new.values()) > 0, new
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == 0  # ours unchanged
