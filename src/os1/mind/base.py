"""One streaming contract for every language-model backend.

A backend implements `stream()`; everything else (structured output, collecting a
whole reply) is built on it in `os1.mind.structured`, so a new engine is one method.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerationOptions:
    max_tokens: int = 400
    temperature: float = 0.7
    top_p: float = 0.9
    min_p: float = 0.05
    repeat_penalty: float = 1.08
    # llama.cpp's DRY sampler: penalises repeating longer phrases from the context,
    # which keeps a small model from echoing its own earlier replies. 0 is off.
    dry_multiplier: float = 0.0
    stop: tuple[str, ...] = ()
    seed: int | None = None
    # A JSON schema the output must match (schema-constrained decoding).
    json_schema: dict[str, Any] | None = None
    # Requests with the same key reuse the same cached prompt prefix where the
    # engine supports it ("thread:12" for a conversation, "background" for extraction).
    cache_key: str = "default"
    # How many leading messages never change between turns (the persona): engines
    # that can keep that prefix's computed state on disk start new processes warm.
    stable_prefix: int = 0


@dataclass(frozen=True)
class ModelInfo:
    """What the mind is running, for `os1 config show` and notices."""

    name: str
    detail: str
    notices: tuple[str, ...] = field(default=())


class Mind(Protocol):
    """A language model that streams text for a list of chat messages."""

    @property
    def info(self) -> ModelInfo: ...

    async def start(self) -> None:
        """Load or connect; safe to call more than once."""

    def stream(self, messages: Sequence[Message], options: GenerationOptions) -> AsyncIterator[str]:
        """Yield the reply in pieces; closing the iterator stops generation."""
        ...

    async def aclose(self) -> None:
        """Release the model or connection."""
