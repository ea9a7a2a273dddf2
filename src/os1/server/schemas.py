"""The shapes the server reads and writes; they are also its OpenAPI schema."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_MESSAGE = 32_000  # characters of one message; the page and the API say so when longer
MAX_ANSWER = 2_000


class ErrorDetail(BaseModel):
    message: str
    type: str
    code: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": why}
    for status, why in (
        (400, "Bad input"),
        (401, "Missing or unknown token"),
        (404, "Not found for this user"),
        (408, "The request body came too slowly"),
        (409, "The conversation is busy with another reply"),
        (413, "Too large"),
        (422, "Malformed request"),
        (503, "The model or the data directory is unavailable"),
    )
}


class PersonaView(BaseModel):
    name: str
    user_name: str
    voice: str
    name_meaning: str
    name_origin: str


class Me(BaseModel):
    handle: str
    setup_needed: bool
    persona: PersonaView | None


class QuestionView(BaseModel):
    key: str
    text: str
    default: str
    required: bool


class Interview(BaseModel):
    opening: str
    questions: list[QuestionView]


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_ANSWER, description="with at least one letter")
    social: str = Field(min_length=1, max_length=MAX_ANSWER)
    mother: str = Field(min_length=1, max_length=MAX_ANSWER)
    direct: str = Field(default="", max_length=MAX_ANSWER)
    playful: str = Field(default="", max_length=MAX_ANSWER)
    voice: str = Field(default="", max_length=MAX_ANSWER)


class SetupView(BaseModel):
    persona: PersonaView
    lines: list[str]


class FactView(BaseModel):
    id: int
    about: str
    statement: str
    since: str


class TurnView(BaseModel):
    id: int
    role: str
    text: str
    when: str
    interrupted: bool
    thread: int


class MemoryView(BaseModel):
    facts: list[FactView]
    turns: list[TurnView]


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    statement: str = Field(min_length=1, max_length=MAX_ANSWER)


class Corrected(BaseModel):
    fact: FactView


class Forgotten(BaseModel):
    forgotten: str


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    yes: bool


class Decided(BaseModel):
    action_id: int
    text: str


class PendingView(BaseModel):
    id: int
    skill: str
    summary: str


# -- the OpenAI-compatible API -------------------------------------------------------


class TextPart(BaseModel):
    type: Literal["text"]
    text: str = Field(max_length=MAX_MESSAGE)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[TextPart] | None = Field(default=None)

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class ChatRequest(BaseModel):
    """OpenAI's request; OS1 answers the last user message with its own persona and
    memory, so sampling settings and earlier turns the client sends are not used."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(default="os1", max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=1000)
    stream: bool = False
    user: str | None = Field(default=None, max_length=200)


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop", "length"] = "stop"


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: dict[str, Any] | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
