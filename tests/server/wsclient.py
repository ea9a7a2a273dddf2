"""A small websocket client for the conversation protocol (the page speaks the same)."""

from __future__ import annotations

import json
from typing import Any

from websockets.sync.client import ClientConnection, connect


class Talk:
    def __init__(self, url: str, token: str, thread: str = "main") -> None:
        self._connecting = connect(url, open_timeout=10, close_timeout=5)
        self.ws: ClientConnection = self._connecting.__enter__()
        self.send({"type": "hello", "token": token, "thread": thread})
        self.ready = self.receive()

    def send(self, frame: dict[str, Any]) -> None:
        self.ws.send(json.dumps(frame))

    def receive(self, timeout: float = 60) -> dict[str, Any]:
        frame = json.loads(self.ws.recv(timeout=timeout))
        assert isinstance(frame, dict)
        return frame

    def until(self, kind: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Frames up to and including the first of `kind`."""
        frames = []
        while True:
            frame = self.receive(timeout)
            frames.append(frame)
            if frame["type"] == kind:
                return frames

    def say(self, text: str) -> list[dict[str, Any]]:
        """One whole turn: frames up to `done` or `error`."""
        self.send({"type": "message", "text": text})
        frames = []
        while True:
            frame = self.receive()
            frames.append(frame)
            if frame["type"] in ("done", "error"):
                return frames

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> Talk:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def said(frames: list[dict[str, Any]]) -> str:
    return "".join(f["text"] for f in frames if f["type"] == "delta")
