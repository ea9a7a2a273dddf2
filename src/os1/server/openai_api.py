"""The OpenAI-compatible API: `/v1/chat/completions` (streamed or not) and `/v1/models`.

Any OpenAI client or chat front end talks to the signed-in user's OS1: the last user
message goes through the same `Companion.reply()` as the page and the terminal, with
that user's persona and memory. OS1 keeps the conversation itself (thread "api", or
the `X-OS1-Thread` header), so the earlier turns and system prompt a client resends
are not used; sampling settings are OS1's own too.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from os1.companion import Companion
from os1.errors import InputError, OS1Error
from os1.events import ConfirmationNeeded, Done, Event, Failed, Notice, TextDelta
from os1.server.auth import CurrentAccount, HubDep
from os1.server.errors import TooLarge, body_for
from os1.server.hub import clean_thread, closing
from os1.server.schemas import (
    ERROR_RESPONSES,
    MAX_MESSAGE,
    AssistantMessage,
    ChatCompletion,
    ChatRequest,
    Choice,
    ModelCard,
    ModelList,
)

MODEL_ID = "os1"
_STARTED = int(time.time())

router = APIRouter(prefix="/v1", responses=ERROR_RESPONSES)


@router.get("/models")
async def models(account: CurrentAccount) -> ModelList:
    """The one model there is: the signed-in user's OS1."""
    del account
    return ModelList(data=[ModelCard(id=MODEL_ID, created=_STARTED, owned_by="os1")])


def last_user_text(request: ChatRequest) -> str:
    last = request.messages[-1]
    if last.role != "user":
        raise InputError(
            "The last message must be the user's.", "Send the conversation ending with a user turn."
        )
    text = last.text()
    if len(text) > MAX_MESSAGE:
        raise TooLarge(
            f"That message is {len(text):,} characters long.",
            f"The most I take at once is {MAX_MESSAGE:,}: send it in parts.",
        )
    return text


@router.post(
    "/chat/completions",
    responses={200: {"content": {"text/event-stream": {}}, "model": ChatCompletion}},
)
async def chat_completions(
    request: ChatRequest,
    account: CurrentAccount,
    hub: HubDep,
    x_os1_thread: Annotated[str | None, Header(max_length=64)] = None,
) -> Any:
    """Talk to OS1 as to any chat model; `stream: true` streams server-sent events."""
    text = last_user_text(request)
    thread = clean_thread(x_os1_thread, default="api")
    companion = hub.companion(account)
    lock = hub.turn(account, thread, wait=True)
    completion_id = "chatcmpl-" + secrets.token_hex(12)
    if request.stream:
        events = _locked(lock, companion, text, thread)
        return StreamingResponse(
            _sse(events, completion_id),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    async with lock:
        answer, failure = await _collect(companion.reply(text, thread))
    if failure is not None:
        raise failure
    return ChatCompletion(
        id=completion_id,
        created=int(time.time()),
        model=MODEL_ID,
        choices=[Choice(message=AssistantMessage(content=answer))],
    )


async def _locked(lock: Any, companion: Companion, text: str, thread: str) -> AsyncIterator[Event]:
    async with lock, closing(companion.reply(text, thread)) as events:
        async for event in events:
            yield event


def _shown(event: Event) -> str:
    """What an API client sees of an event: the reply, and what needs the user's word."""
    if isinstance(event, TextDelta):
        return event.text
    if isinstance(event, Notice):
        return f"({event.text})\n\n"
    if isinstance(event, ConfirmationNeeded):
        return f"{event.summary}\n\n"
    return ""


async def _collect(events: AsyncIterator[Event]) -> tuple[str, OS1Error | None]:
    parts: list[str] = []
    async with closing(events):
        async for event in events:
            if isinstance(event, Failed):
                return "".join(parts), event.error
            parts.append(_shown(event))
    return "".join(parts), None


def _chunk(completion_id: str, delta: dict[str, str], finish: str | None = None) -> str:
    body = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _sse(events: AsyncIterator[Event], completion_id: str) -> AsyncIterator[str]:
    """OpenAI's streaming format; a failure mid-way is an `error` event, as OpenAI sends."""
    yield _chunk(completion_id, {"role": "assistant", "content": ""})
    async with closing(events):
        async for event in events:
            if isinstance(event, Failed):
                _, body = body_for(event.error)
                yield f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
                return
            if isinstance(event, Done):
                break
            if shown := _shown(event):
                yield _chunk(completion_id, {"content": shown})
    yield _chunk(completion_id, {}, "stop")
    yield "data: [DONE]\n\n"
