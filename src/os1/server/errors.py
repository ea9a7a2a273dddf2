"""What the server answers when something is wrong: a status and one line that says the fix.

Every route maps OS1's errors here, in one place, to the OpenAI error shape that chat
clients already understand: `{"error": {"message": ..., "type": ..., "code": ...}}`.
"""

from __future__ import annotations

from typing import Any

from os1.errors import (
    ConfigError,
    InputError,
    ModelFailure,
    ModelUnavailable,
    OS1Error,
    RemoteEngineError,
    StorageError,
)


class Unauthorized(OS1Error):
    """No token, or one OS1 does not know (or has revoked)."""


class NotFound(InputError):
    """Nothing with that id belongs to this user (whether or not it exists for another)."""


class Busy(OS1Error):
    """This conversation is already answering; one message at a time."""

    transient = True


class TooLarge(InputError):
    """A message or upload larger than the server takes."""


class SlowClient(InputError):
    """The request body arrived too slowly."""


def busy() -> Busy:
    return Busy(
        "I'm still answering your last message in this conversation.",
        "Wait for it to finish, or stop it first.",
    )


def unauthorized() -> Unauthorized:
    return Unauthorized(
        "Missing or unknown token.",
        "Send 'Authorization: Bearer TOKEN'; `os1 user add NAME` creates a user and prints one.",
    )


_STATUS: tuple[tuple[type[OS1Error], int, str], ...] = (
    (Unauthorized, 401, "authentication_error"),
    (NotFound, 404, "not_found_error"),
    (TooLarge, 413, "invalid_request_error"),
    (SlowClient, 408, "invalid_request_error"),
    (Busy, 409, "conversation_busy"),
    (InputError, 400, "invalid_request_error"),
    (ConfigError, 500, "server_error"),
    (StorageError, 503, "storage_error"),
    (ModelUnavailable, 503, "model_unavailable"),
    (RemoteEngineError, 502, "model_error"),
    (ModelFailure, 503, "model_error"),
)


def status_for(exc: OS1Error) -> tuple[int, str]:
    """(HTTP status, OpenAI error type) for one of OS1's errors."""
    for kind, status, name in _STATUS:
        if isinstance(exc, kind):
            return status, name
    return 500, "server_error"


def error_body(message: str, kind: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code}}


def body_for(exc: OS1Error) -> tuple[int, dict[str, Any]]:
    status, kind = status_for(exc)
    return status, error_body(str(exc), kind)


def validation_message(errors: list[Any]) -> str:
    """One line from pydantic's list of validation errors (the first one says enough)."""
    if not errors:
        return "The request is not valid."
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "The request body is not valid JSON. Send a JSON object."
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "the body"
    what = str(first.get("msg", "is not valid"))
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return f"Bad request: {where}: {what}{more}. See /openapi.json for the expected shape."
