"""Mail test fixtures: one Dovecot for the session, a fresh mailbox per test, SMTP, Maildirs."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from os1.app import App
from os1.mail.accounts import Account
from os1.mail.service import MailService
from tests.cli.conftest import answers, cli_env, os1, set_up_os1, shared_models  # noqa: F401

from .servers import Dovecot, SmtpServer, dovecot, smtp_server

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def imap_server() -> Iterator[Dovecot]:
    with dovecot() as server:
        yield server


MailboxFactory = Callable[..., Account]


@pytest.fixture
def mailbox(imap_server: Dovecot) -> MailboxFactory:
    """A new mailbox on the server, seeded with messages; the Account that reads it."""

    def make(
        messages: list[bytes] | None = None,
        security: str = "starttls",
        seen: bool = True,
        **extra: Any,
    ) -> Account:
        login = f"theo{next(_numbers)}@example.com"
        imap_server.add_user(login, messages, seen=seen)
        values = imap_server.account(login, security)
        return Account(
            name="personal",
            smtp_host="127.0.0.1",
            display_name="Theodore Twombly",
            **{**values, **extra},
        )

    return make


@pytest.fixture
def smtp(imap_server: Dovecot) -> Iterator[Callable[[Account], tuple[Account, SmtpServer]]]:
    """A real submission server (STARTTLS, AUTH) for an account; the account pointed at it."""
    servers: list[Any] = []

    def make(account: Account) -> tuple[Account, SmtpServer]:
        manager = smtp_server(
            imap_server.cert, imap_server.root / "key.pem", account.login, account.password
        )
        server = manager.__enter__()
        servers.append(manager)
        return replace(account, smtp_port=server.port, smtp_security="starttls"), server

    yield make
    for manager in servers:
        manager.__exit__(None, None, None)


def write_maildir(folder: Path, messages: list[bytes], seen: bool = False) -> Path:
    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for number, raw in enumerate(messages):
        name = f"{1_800_000_000 + number}.M{number}.test"
        target = folder / ("cur" if seen else "new") / (name + (":2,S" if seen else ""))
        target.write_bytes(raw)
    return folder


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def mail(ready_app: App) -> MailService:
    return ready_app.mail()
