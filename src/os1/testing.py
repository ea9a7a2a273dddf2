"""Public fakes behind OS1's own seams, for fast tests (ours and anyone building on OS1)."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from os1.errors import ModelFailure
from os1.mind.base import GenerationOptions, Message, ModelInfo

Responder = Callable[[Sequence[Message], GenerationOptions], str]


@dataclass
class Request:
    messages: list[Message]
    options: GenerationOptions


@dataclass
class ScriptedMind:
    """A mind that answers from a script: a list of replies, or a function of the prompt.

    Structured requests (with a JSON schema) are answered by `structured`, which
    defaults to "no facts"; requests for at most one token (a prompt read ahead into
    the cache) get nothing and take no reply from the script. Each reply streams word
    by word, `delay` seconds apart. With `pause_after` set, a reply stops after that
    many words until `resume` is set (or a minute passes): a test can cut a reply short
    however slow the machine is.
    """

    replies: list[str] = field(default_factory=list)
    responder: Responder | None = None
    structured: Callable[[Sequence[Message], dict[str, Any]], Any] = field(
        default=lambda _m, _s: {"facts": []}
    )
    delay: float = 0.0
    fail_after: int | None = None  # raise ModelFailure after this many pieces
    pause_after: int | None = None
    resume: threading.Event = field(default_factory=threading.Event)
    requests: list[Request] = field(default_factory=list)
    started: bool = False
    closed: bool = False

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("scripted", "a scripted test mind")

    async def start(self) -> None:
        self.started = True

    async def aclose(self) -> None:
        self.closed = True

    def _next_reply(self, messages: Sequence[Message], options: GenerationOptions) -> str:
        if options.json_schema is not None:
            return json.dumps(self.structured(messages, options.json_schema))
        if options.max_tokens <= 1:
            return ""
        if self.responder is not None:
            return self.responder(messages, options)
        return self.replies.pop(0) if self.replies else "Mm."

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        self.requests.append(Request(list(messages), options))
        text = self._next_reply(messages, options)
        for count, piece in enumerate(re.findall(r"\S+\s*|\s+", text)):
            if self.fail_after is not None and count >= self.fail_after:
                raise ModelFailure("The scripted mind failed on purpose.")
            if count == self.pause_after:
                await self._paused()
            if self.delay:
                await asyncio.sleep(self.delay)
            yield piece

    async def _paused(self) -> None:
        deadline = time.monotonic() + 60
        while not self.resume.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # polled: a cancelled turn leaves no waiting thread

    @property
    def chats(self) -> list[Request]:
        """The conversation requests (not structured ones, nor reads ahead), oldest first."""
        return [
            r for r in self.requests if r.options.json_schema is None and r.options.max_tokens > 1
        ]

    @property
    def reads_ahead(self) -> list[Request]:
        """Prompts read into the cache without an answer (`max_tokens` of 1), oldest first."""
        return [r for r in self.requests if r.options.max_tokens <= 1]


@dataclass
class FakeTranscriber:
    """Speech-to-text that answers from a script (or a function of the audio's length)."""

    text: str = "Hello there."
    delay: float = 0.0
    heard: list[int] = field(default_factory=list)  # lengths of the audio it was given

    async def start(self) -> None:
        return None

    async def transcribe(self, audio: Any) -> str:
        self.heard.append(len(audio))
        if self.delay:
            await asyncio.sleep(self.delay)
        return self.text


@dataclass
class FakeSynthesizer:
    """Text-to-speech that 'speaks' a quiet tone, `per_char` seconds per character."""

    per_char: float = 0.05
    rate: int = 16_000
    name: str = "fake"
    spoken: list[str] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def synthesize(self, text: str) -> Any:
        import numpy as np

        self.spoken.append(text)
        count = int(len(text) * self.per_char * self.rate)
        return (0.2 * np.sin(np.arange(count) * 2 * np.pi * 180 / self.rate)).astype(np.float32)


@dataclass
class WordEmbedder:
    """A fake behind the Embedder seam: a bag of words hashed into 384 numbers, where words
    given the same `meaning` land together, so tests can show a match by meaning that
    shares no keyword. Counts the texts it embedded."""

    meaning: dict[str, str] = field(default_factory=dict)
    model_id: str = "test-words"
    embedded: int = 0

    def embed(self, texts: Sequence[str]) -> Any:
        import zlib

        import numpy as np

        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                concept = self.meaning.get(word, word)
                out[row, zlib.crc32(concept.encode()) % 384] += 1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
        self.embedded += len(texts)
        return out
