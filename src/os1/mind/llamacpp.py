"""The embedded mind: llama.cpp in-process through the prebuilt `xllamacpp` wheel.

The engine is blocking C++, so each request runs in a worker thread and its chunks
cross into asyncio through a queue. Every conversation (`cache_key`) is pinned to one
of the engine's parallel slots so its prompt prefix stays cached between turns, and
the stable start of a prompt (the persona) is saved to disk so that a new process
starts warm instead of re-reading it.

The engine's threads run at a lower priority (`niceness`) than the rest of OS1. On two
cores its two threads would otherwise take every time slice, and what the user waits
on runs in the others: the event loop passing the first words on, Piper speaking them,
Whisper listening. The engine still gets every cycle nobody else wants.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import threading
import urllib.error
import urllib.request
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from os1.errors import InputError, ModelFailure, ModelUnavailable
from os1.mind.base import GenerationOptions, Message, ModelInfo
from os1.mind.openai_wire import chunk_text, request_body

_END = object()
_PREFIX_CACHE_FILES = 16


@dataclass(frozen=True)
class LlamaConfig:
    path: Path
    name: str
    title: str
    threads: int = 2
    context_tokens: int = 8192
    slots: int = 2
    prompt_cache_dir: Path | None = None
    notices: tuple[str, ...] = ()
    niceness: int = 10  # added to the engine threads' nice value (0: as the process)
    # Prompt tokens read in one step (None: by the model's size, see `prompt_step`).
    step_tokens: int | None = None


class _SlotMap:
    """Maps cache keys to engine slots, least recently used first out. A slot still
    answering is given to a new key only when every slot is busy (the engine then
    queues the request), so a server with many conversations keeps its caches warm."""

    def __init__(self, slots: int) -> None:
        self._slots = slots
        self._keys: OrderedDict[str, int] = OrderedDict()
        self._busy: Counter[int] = Counter()
        self._lock = threading.Lock()

    def slot_for(self, key: str) -> tuple[int, bool]:
        """(slot, fresh): fresh when the slot was just (re)assigned to this key.
        The slot counts as busy until `release(slot)`."""
        with self._lock:
            fresh = key not in self._keys
            if not fresh:
                self._keys.move_to_end(key)
            elif len(self._keys) < self._slots:
                self._keys[key] = len(self._keys)
            else:
                idle = (k for k, s in self._keys.items() if not self._busy[s])
                victim = next(idle, next(iter(self._keys)))
                self._keys[key] = self._keys.pop(victim)
            slot = self._keys[key]
            self._busy[slot] += 1
            return slot, fresh

    def release(self, slot: int) -> None:
        with self._lock:
            self._busy[slot] -= 1


class LlamaCppMind:
    """A packaged GGUF model served by llama.cpp inside this process."""

    def __init__(self, config: LlamaConfig) -> None:
        self._config = config
        self._server: Any = None
        self._api_key = secrets.token_urlsafe(24)
        self._load_lock = threading.Lock()
        self._slots = _SlotMap(config.slots)
        self._fresh_slots: set[int] = set(range(config.slots))
        self.prefix_restores = 0  # how often a saved prompt prefix spared a cold start
        # Requests in flight: each worker thread with the event that tells it to stop.
        self._running: dict[threading.Thread, threading.Event] = {}
        self._closed = False  # after aclose: no new load, no new request

    @property
    def info(self) -> ModelInfo:
        c = self._config
        detail = (
            f"{c.title} via llama.cpp in-process ({c.path}), {c.threads} threads, "
            f"{c.slots} slots of {c.context_tokens} tokens"
        )
        return ModelInfo(c.name, detail, c.notices)

    @property
    def context_tokens(self) -> int:
        return self._config.context_tokens

    async def start(self) -> None:
        if self._server is None:
            await asyncio.to_thread(self.load)

    def load(self) -> None:
        """Load the model (blocking); safe to call from several threads."""
        with self._load_lock:
            if self._closed:
                raise ModelUnavailable("OS1 is shutting down.", "Start OS1 again.")
            if self._server is not None:
                return
            try:
                import xllamacpp
            except ImportError as exc:
                raise ModelUnavailable(
                    "The llama.cpp runtime (xllamacpp) is not installed.",
                    "Run `make run` again, or: .venv/bin/pip install xllamacpp==2026.10.11549",
                ) from exc
            self._server = self._create_server(xllamacpp)

    def _create_server(self, xllamacpp: Any) -> Any:
        c = self._config
        params = xllamacpp.CommonParams()
        params.model.path = str(c.path)
        params.n_parallel = c.slots
        params.n_ctx = c.context_tokens * c.slots
        params.cpuparams.n_threads = c.threads
        params.cpuparams_batch.n_threads = c.threads
        params.n_batch = params.n_ubatch = c.step_tokens or prompt_step(c.path.stat().st_size)
        params.warmup = False
        params.verbosity = -1
        params.cache_ram_mib = 256
        # The engine also listens on loopback; a random key keeps other local users out.
        params.api_keys = [self._api_key]
        if c.prompt_cache_dir is not None:
            c.prompt_cache_dir.mkdir(parents=True, exist_ok=True)
            params.slot_save_path = str(c.prompt_cache_dir) + "/"
        try:
            return _in_nicer_thread(lambda: xllamacpp.Server(params), c.niceness)
        except (RuntimeError, ValueError) as exc:
            raise ModelUnavailable(
                f"llama.cpp could not load {c.path.name} ({exc}).",
                f"Delete {c.path} so it is prepared again, or try OS1_MODEL=qwen-0.5b.",
            ) from exc

    async def aclose(self) -> None:
        """Stop requests in flight, wait for their threads, then free the engine.

        Letting the engine die while a thread is still inside it (or at interpreter
        exit) crashes the process, so this always waits.
        """
        self._closed = True
        # Taken on the loop thread, where requests register and start their threads in
        # one step: every thread in this snapshot has started and can be joined.
        running = dict(self._running)
        for stop in running.values():
            stop.set()
        await asyncio.to_thread(_join_all, list(running))
        server = await asyncio.to_thread(self._take_server)
        if server is not None:
            await asyncio.to_thread(_release, server)

    def _take_server(self) -> Any:
        """The engine, once any load in progress has finished (it must be freed too)."""
        with self._load_lock:
            server, self._server = self._server, None
            return server

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        await self.start()
        slot, fresh = self._slots.slot_for(options.cache_key)
        try:
            body = request_body(messages, options, stream=True, llama=True)
            body["id_slot"] = slot
            body["cache_prompt"] = True
            body["return_progress"] = True  # a chunk after each step: a stop lands there
            prefix_file = self._prefix_file(messages, options)
            if fresh or slot in self._fresh_slots:
                self._fresh_slots.discard(slot)
                if prefix_file is not None:
                    await asyncio.to_thread(self._restore, slot, prefix_file)
            async for text in self._run(body):
                yield text
            if prefix_file is not None:
                await asyncio.to_thread(self._save, slot, prefix_file)
        finally:
            self._slots.release(slot)

    async def _run(self, body: dict[str, Any]) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        stop = threading.Event()

        def put(item: object) -> None:
            with contextlib.suppress(RuntimeError):  # the loop may be gone on exit
                loop.call_soon_threadsafe(queue.put_nowait, item)

        def on_chunk(chunk: object) -> bool:
            if stop.is_set():
                return True
            put(chunk)
            return False

        def work() -> None:
            try:
                self._server.handle_chat_completions(body, on_chunk)
            except Exception as exc:  # noqa: BLE001 - crosses the thread; re-raised below
                put(exc)
            finally:
                self._running.pop(threading.current_thread(), None)
                put(_END)

        if self._closed:
            raise ModelUnavailable("OS1 is shutting down.", "Start OS1 again.")
        thread = threading.Thread(target=work, name="os1-llama", daemon=True)
        self._running[thread] = stop
        thread.start()
        try:
            while (item := await queue.get()) is not _END:
                if isinstance(item, Exception):
                    raise _translate(item)
                text = chunk_text(item)
                if text:
                    yield text
        finally:
            stop.set()

    # -- prompt prefix cache on disk -------------------------------------------------

    def _prefix_file(self, messages: Sequence[Message], options: GenerationOptions) -> str | None:
        if self._config.prompt_cache_dir is None or options.stable_prefix <= 0:
            return None
        stable = [m.as_dict() for m in messages[: options.stable_prefix]]
        key = json.dumps(
            [str(self._config.path), self._config.context_tokens, stable], sort_keys=True
        )
        return "prefix-" + hashlib.sha256(key.encode()).hexdigest()[:32] + ".bin"

    def _slot_action(self, slot: int, action: str, filename: str) -> bool:
        url = f"{self._server.listening_address}/slots/{slot}?action={action}"
        request = urllib.request.Request(  # noqa: S310 - our own engine on loopback
            url,
            data=json.dumps({"filename": filename}).encode(),
            headers={
                "Authorization": f"Bearer {self._api_key}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError, ValueError):
            return False  # a cache miss only costs speed

    def _restore(self, slot: int, filename: str) -> None:
        assert self._config.prompt_cache_dir is not None
        if (self._config.prompt_cache_dir / filename).exists() and self._slot_action(
            slot, "restore", filename
        ):
            self.prefix_restores += 1

    def _save(self, slot: int, filename: str) -> None:
        cache_dir = self._config.prompt_cache_dir
        assert cache_dir is not None
        if (cache_dir / filename).exists():
            return
        temporary = f"tmp-{secrets.token_hex(8)}.bin"
        if self._slot_action(slot, "save", temporary):
            with contextlib.suppress(OSError):
                (cache_dir / temporary).replace(cache_dir / filename)
                _prune(cache_dir)
        (cache_dir / temporary).unlink(missing_ok=True)


def _prune(cache_dir: Path) -> None:
    files = sorted(cache_dir.glob("prefix-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[_PREFIX_CACHE_FILES:]:
        old.unlink(missing_ok=True)


def prompt_step(model_bytes: int) -> int:
    """Prompt tokens the engine reads in one step: about 0.7 s of work on 2 cores.

    llama.cpp reads a prompt of up to 2048 tokens in one step by default, and a request
    told to stop (background work giving way to a turn) stops only between steps: with
    the 1.5B model a turn waited 5.1-9.4 s behind a ~600-token fact extraction that was
    told to stop 2 s before it came, and 0.53-0.56 s in steps of 32 tokens (0.51-0.65 s
    with the engine free). A long prompt reads as fast in steps of 32 with that model,
    but the per-step cost shows with a smaller one (SmolLM2, 1,500 tokens: 14.4 s in
    steps of 32, 9.1-9.6 s in steps of 128 or more), so smaller models take larger steps.
    """
    tokens = 32 * 1_100_000_000 // max(model_bytes, 1)
    return 1 << max(5, min(7, tokens.bit_length() - 1))  # a power of two, 32 to 128


def _in_nicer_thread(make: Callable[[], Any], niceness: int) -> Any:
    """`make()` run in a thread of its own whose nice value is raised by `niceness` first:
    every thread it starts (the engine's loop, and the compute threads that loop starts)
    inherits the value. A thread of its own, because a thread cannot lower its nice
    value again, and a pooled worker would carry it into unrelated work."""
    result: list[Any] = []
    error: list[BaseException] = []

    def work() -> None:
        if niceness:
            with contextlib.suppress(OSError):  # no priorities here: only speed is lost
                tid = threading.get_native_id()
                os.setpriority(
                    os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + niceness
                )
        try:
            result.append(make())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            error.append(exc)

    thread = threading.Thread(target=work, name="os1-llama-load")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def _join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=120)


def _release(server: Any) -> None:
    del server  # the engine's destructor stops its threads


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, ValueError):
        return InputError(f"The model refused the request: {exc}.")
    return ModelFailure(f"The model failed: {exc}.", "Try again; if it persists, restart OS1.")
