"""schema_problem (the subset of JSON Schema OS1 uses) and generate_json's single retry."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from os1.errors import StructuredOutputError
from os1.mind.base import GenerationOptions, Message, ModelInfo
from os1.mind.structured import collect, generate_json, schema_problem
from os1.testing import ScriptedMind

from ..conftest import run

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "height": {"type": "number"},
        "likes": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
        "mood": {"type": "string", "enum": ["calm", "glad"]},
        "home": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "sea": {"type": "boolean"}},
            "required": ["city"],
        },
        "pets": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"kind": {"type": "string", "enum": ["cat", "dog"]}},
                "required": ["kind"],
            },
        },
    },
    "required": ["name", "age"],
}
VALID = {
    "name": "Ines",
    "age": 34,
    "height": 1.7,
    "likes": ["sea", "books"],
    "mood": "calm",
    "home": {"city": "Porto", "sea": True},
    "pets": [{"kind": "cat"}, {"kind": "dog"}],
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**VALID, **changes}


def test_a_valid_value_has_no_problem() -> None:
    assert schema_problem(VALID, PERSON) == ""
    assert schema_problem({"name": "Ines", "age": 34}, PERSON) == ""  # optional keys absent
    assert schema_problem(_with(height=2), PERSON) == ""  # an integer is a number
    assert schema_problem(_with(extra="kept"), PERSON) == ""  # extra keys are allowed


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["Ines"], "$ should be object"),
        ({"age": 34}, "$ lacks 'name'"),
        ({"name": "Ines"}, "$ lacks 'age'"),
        (_with(name=7), "$.name should be string"),
        (_with(age="34"), "$.age should be integer"),
        (_with(age=34.0), "$.age should be integer"),
        (_with(age=True), "$.age should be integer"),
        (_with(height="tall"), "$.height should be number"),
        (_with(height=True), "$.height should be number"),
        (_with(likes="sea"), "$.likes should be array"),
        (_with(likes=["sea", "books", "rain"]), "$.likes has more than 2 items"),
        (_with(likes=["sea", 3]), "$.likes[1] should be string"),
        (_with(mood="sad"), "$.mood should be one of ['calm', 'glad']"),
        (_with(home=[]), "$.home should be object"),
        (_with(home={"sea": True}), "$.home lacks 'city'"),
        (_with(home={"city": "Porto", "sea": "yes"}), "$.home.sea should be boolean"),
        (_with(home={"city": "Porto", "sea": 1}), "$.home.sea should be boolean"),
        (_with(pets=[{"kind": "cat"}, {}]), "$.pets[1] lacks 'kind'"),
        (_with(pets=[{"kind": "cat"}, {"kind": "fish"}]), "$.pets[1].kind should be one of"),
        (_with(pets=[{"kind": "cat"}, "dog"]), "$.pets[1] should be object"),
    ],
)
def test_schema_problem_names_the_first_problem(value: Any, problem: str) -> None:
    assert schema_problem(value, PERSON).startswith(problem)


def test_null_is_not_a_string() -> None:
    assert schema_problem(None, {"type": "string"}) == "$ should be string"


def test_false_is_not_an_integer() -> None:
    assert schema_problem(False, {"type": "integer"}) == "$ should be integer"


def test_max_length_is_checked() -> None:
    assert schema_problem("x" * 201, {"type": "string", "maxLength": 200}) != ""


class _Texts:
    """A mind that answers each request with the next raw text (valid JSON or not)."""

    def __init__(self, *texts: str) -> None:
        self.texts = list(texts)
        self.options: list[GenerationOptions] = []

    @property
    def info(self) -> ModelInfo:
        return ModelInfo("texts", "raw texts")

    async def start(self) -> None:
        return None

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        self.options.append(options)
        text = self.texts.pop(0)
        for i in range(0, len(text), 3):
            yield text[i : i + 3]

    async def aclose(self) -> None:
        return None


SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
ASK = [Message("user", "a number please")]


def test_collect_joins_the_stream() -> None:
    mind = ScriptedMind(replies=["One two three."])
    assert run(collect(mind, ASK, GenerationOptions())) == "One two three."


def test_generate_json_returns_a_valid_answer_at_once() -> None:
    mind = _Texts('{"n": 4}')
    assert run(generate_json(mind, ASK, SCHEMA)) == {"n": 4}
    assert len(mind.options) == 1
    assert mind.options[0].json_schema == SCHEMA
    assert mind.options[0].temperature == 0.2


def test_generate_json_keeps_the_given_options() -> None:
    mind = _Texts('{"n": 4}')
    run(generate_json(mind, ASK, SCHEMA, GenerationOptions(max_tokens=50, cache_key="bg")))
    assert (mind.options[0].max_tokens, mind.options[0].cache_key) == (50, "bg")
    assert mind.options[0].json_schema == SCHEMA


@pytest.mark.parametrize("first", ['{"n": "four"}', "Sure! Here is the JSON:", '{"n": 4'])
def test_generate_json_retries_once(first: str) -> None:
    mind = _Texts(first, '{"n": 5}')
    assert run(generate_json(mind, ASK, SCHEMA)) == {"n": 5}
    assert len(mind.options) == 2


def test_generate_json_gives_up_after_two_schema_failures() -> None:
    mind = _Texts('{"m": 1}', '{"n": "five"}', '{"n": 6}')
    with pytest.raises(StructuredOutputError) as caught:
        run(generate_json(mind, ASK, SCHEMA))
    assert str(caught.value) == (
        "The model's structured answer was unusable ($.n should be integer)."
    )
    assert mind.texts == ['{"n": 6}']  # never asked a third time


def test_generate_json_gives_up_after_two_non_json_answers() -> None:
    mind = _Texts("nope", "I'd rather chat about the sea, honestly.")
    with pytest.raises(StructuredOutputError) as caught:
        run(generate_json(mind, ASK, SCHEMA))
    assert 'not JSON: "I\'d rather chat about the sea, honestly."' in str(caught.value)
    assert len(mind.options) == 2
