"""The small error tree every interface maps to a one-line message.

Each error carries the fix in its message, so whoever shows it (terminal, web,
voice) can print `str(error)` and be done.
"""

from __future__ import annotations


class OS1Error(Exception):
    """Base of everything OS1 raises on purpose; `str()` is the user-facing line."""

    transient = False

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class ConfigError(OS1Error):
    """A setting or config file OS1 cannot use."""


class InputError(OS1Error):
    """Something the user gave (text, a file, an answer) that OS1 cannot take."""


class ModelUnavailable(OS1Error):
    """No usable language model: missing packages, a corrupt file, a bad path."""


class ModelFailure(OS1Error):
    """The language model failed while working; retrying may help."""

    transient = True


class RemoteEngineError(OS1Error):
    """A remote OpenAI-compatible engine was unreachable or refused."""

    transient = True


class StorageError(OS1Error):
    """The data directory cannot be read or written (read-only, full, locked)."""


class StructuredOutputError(ModelFailure):
    """The model's structured answer did not match the schema it was given."""
