"""Whole replies and schema-constrained structured output, built on `Mind.stream()`.

Engines that support it constrain decoding to the schema (llama.cpp turns it into a
grammar), so the answer is always valid JSON; the result is still checked here,
because a remote engine may ignore the schema, and retried once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from os1.errors import StructuredOutputError
from os1.mind.base import GenerationOptions, Message, Mind

_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


async def collect(mind: Mind, messages: Sequence[Message], options: GenerationOptions) -> str:
    """The whole reply as one string."""
    return "".join([piece async for piece in mind.stream(messages, options)])


async def generate_json(
    mind: Mind,
    messages: Sequence[Message],
    schema: dict[str, Any],
    options: GenerationOptions | None = None,
) -> Any:
    """A value matching `schema`, decoded under the schema where the engine can."""
    options = replace(options or GenerationOptions(temperature=0.2), json_schema=schema)
    problem = ""
    for _attempt in range(2):
        text = await collect(mind, messages, options)
        try:
            value = json.loads(text)
        except ValueError:
            problem = f"not JSON: {text[:80]!r}"
            continue
        problem = schema_problem(value, schema)
        if not problem:
            return value
    raise StructuredOutputError(f"The model's structured answer was unusable ({problem}).")


def schema_problem(value: Any, schema: dict[str, Any], where: str = "$") -> str:
    """The first way `value` breaks the (small subset of JSON Schema we use), or ''."""
    kind = schema.get("type")
    if isinstance(kind, str):
        expected = _TYPES.get(kind)
        if expected is not None and (
            not isinstance(value, expected)
            or (kind in ("integer", "number") and isinstance(value, bool))
        ):
            return f"{where} should be {kind}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{where} should be one of {schema['enum']}"
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            return f"{where} is longer than {schema['maxLength']} characters"
        if len(value) < schema.get("minLength", 0):
            return f"{where} is shorter than {schema['minLength']} characters"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                return f"{where} lacks {key!r}"
        for key, sub in schema.get("properties", {}).items():
            if key in value and (found := schema_problem(value[key], sub, f"{where}.{key}")):
                return found
    if isinstance(value, list):
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{where} has more than {schema['maxItems']} items"
        for i, item in enumerate(value):
            if found := schema_problem(item, schema.get("items", {}), f"{where}[{i}]"):
                return found
    return ""
