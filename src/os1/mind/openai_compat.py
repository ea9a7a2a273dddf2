"""A remote mind: any OpenAI-compatible engine (llama.cpp server, Ollama, vLLM).

Only what the user points OS1 at is contacted; nothing is sent anywhere by default.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from os1.errors import RemoteEngineError
from os1.mind.base import GenerationOptions, Message, ModelInfo
from os1.mind.openai_wire import chunk_text, request_body

_TIMEOUT = httpx.Timeout(connect=10.0, read=180.0, write=30.0, pool=30.0)


class OpenAICompatMind:
    """Streams chat completions from `base_url` (which ends in /v1 for most engines)."""

    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        model: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=self._base_url, headers=headers, timeout=_TIMEOUT, transport=transport
        )

    @property
    def info(self) -> ModelInfo:
        return ModelInfo(self._model or "remote", f"{self._model or '?'} at {self._base_url}")

    async def start(self) -> None:
        if not self._model:
            self._model = await self._first_model()

    async def _first_model(self) -> str:
        response = await self._send("GET", "/models")
        try:
            data = response.json()["data"]
            return str(data[0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise RemoteEngineError(
                f"{self._base_url}/models did not list any model.",
                "Set OS1_REMOTE_MODEL to the model's name.",
            ) from exc

    async def _send(self, method: str, path: str, body: Any = None) -> httpx.Response:
        try:
            response = await self._client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from exc
        self._check(response.status_code, response.text)
        return response

    def _unreachable(self, exc: Exception) -> RemoteEngineError:
        return RemoteEngineError(
            f"Cannot reach the model engine at {self._base_url} ({type(exc).__name__}).",
            "Is it running? Check OS1_BASE_URL.",
        )

    def _check(self, status: int, text: str) -> None:
        if status < 400:
            return
        if status in (401, 403):
            raise RemoteEngineError(
                f"The engine at {self._base_url} refused the API key (HTTP {status}).",
                "Check OS1_API_KEY or secrets.toml.",
            )
        if status == 404:
            raise RemoteEngineError(
                f"No chat API at {self._base_url} (HTTP 404).",
                "The base URL usually ends in /v1.",
            )
        raise RemoteEngineError(
            f"The engine at {self._base_url} answered HTTP {status}: {text[:200]}"
        )

    async def stream(
        self, messages: Sequence[Message], options: GenerationOptions
    ) -> AsyncIterator[str]:
        await self.start()
        body = request_body(_fold_late_system(messages), options, stream=True, llama=False)
        body["model"] = self._model
        try:
            async with self._client.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    await response.aread()
                    self._check(response.status_code, response.text)
                async for line in response.aiter_lines():
                    text = _sse_text(line)
                    if text is None:
                        break
                    if text:
                        yield text
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from exc

    async def aclose(self) -> None:
        await self._client.aclose()


def _fold_late_system(messages: Sequence[Message]) -> list[Message]:
    """Many chat templates allow a system message only first: later ones join the next
    user message instead, so any engine takes OS1's prompt layout."""
    folded: list[Message] = []
    pending: list[str] = []
    for index, message in enumerate(messages):
        if message.role == "system" and index > 0:
            pending.append(message.content)
            continue
        if pending and message.role == "user":
            message = Message("user", "\n\n".join([*pending, message.content]))
            pending = []
        folded.append(message)
    if pending:
        folded.append(Message("user", "\n\n".join(pending)))
    return folded


def _sse_text(line: str) -> str | None:
    """The text in one server-sent-events line; None at the end of the stream."""
    if not line.startswith("data:"):
        return ""
    payload = line[5:].strip()
    if payload == "[DONE]":
        return None
    try:
        return chunk_text(json.loads(payload))
    except ValueError:
        return ""
