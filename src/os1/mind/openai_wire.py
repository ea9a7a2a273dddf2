"""The OpenAI chat-completions wire format, shared by the embedded and remote minds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from os1.errors import ModelFailure
from os1.mind.base import GenerationOptions, Message


def request_body(
    messages: Sequence[Message], options: GenerationOptions, *, stream: bool, llama: bool
) -> dict[str, Any]:
    """A chat-completions request; `llama` adds llama.cpp's own sampling keys."""
    body: dict[str, Any] = {
        "messages": [m.as_dict() for m in messages],
        "max_tokens": options.max_tokens,
        "temperature": options.temperature,
        "top_p": options.top_p,
        "stream": stream,
    }
    if llama:
        body["min_p"] = options.min_p
        body["repeat_penalty"] = options.repeat_penalty
        if options.dry_multiplier:
            body["dry_multiplier"] = options.dry_multiplier
    if options.stop:
        body["stop"] = list(options.stop)
    if options.seed is not None:
        body["seed"] = options.seed
    if options.json_schema is not None:
        body["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": options.json_schema, "strict": True},
        }
    return body


def chunk_text(chunk: object) -> str:
    """The text in one streamed chunk (or whole response); raises on an error payload."""
    if not isinstance(chunk, dict):
        return ""
    if "error" in chunk:
        error = chunk["error"]
        message = error.get("message", error) if isinstance(error, dict) else error
        raise ModelFailure(f"The model reported an error: {message}.")
    choices = chunk.get("choices") or []
    if not choices or not isinstance(choices[0], dict):
        return ""
    part = choices[0].get("delta") or choices[0].get("message") or {}
    content = part.get("content") if isinstance(part, dict) else None
    return content if isinstance(content, str) else ""
