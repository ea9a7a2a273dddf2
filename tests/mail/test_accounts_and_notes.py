"""The accounts file (only the user can read it) and proactive notes with quiet hours."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from os1.errors import ConfigError, InputError
from os1.mail.accounts import Account, AccountBook
from os1.memory import Memory, Store
from os1.proactive import ProactiveNotes, in_quiet_hours, parse_quiet_hours
from os1.settings import load_settings


def test_accounts_are_kept_in_a_private_file(tmp_path: Path) -> None:
    book = AccountBook(tmp_path / "mail-accounts.toml")
    tricky = 'p"a\\ss\nw\u00f6rd\x01'
    book.save(
        Account(
            "personal",
            "theo@example.com",
            tricky,
            "imap.example.com",
            "smtp.example.com",
            display_name='Theodore "Theo" Twombly',
        )
    )
    assert (tmp_path / "mail-accounts.toml").stat().st_mode & 0o777 == 0o600
    [account] = book.all()
    assert account.password == tricky and account.display_name == 'Theodore "Theo" Twombly'
    book.save(Account("work", "t@work.example", "pw", "imap.work.example", "smtp.work.example"))
    assert [a.name for a in book.all()] == ["personal", "work"]
    assert book.addresses() == {"theo@example.com", "t@work.example"}
    (tmp_path / "mail-accounts.toml").chmod(0o640)
    with pytest.raises(ConfigError, match="chmod 600"):
        book.all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address": "theo"}, "is not an email address"),
        ({"imap_security": "none"}, "never sends a password in the clear"),
        ({"smtp_port": 0}, "is not a port number"),
        ({"password": ""}, "needs its password"),
        ({"name": "my account"}, "cannot name an account"),
    ],
)
def test_accounts_that_cannot_work_are_refused(change: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "name": "personal",
        "address": "theo@example.com",
        "password": "pw",
        "imap_host": "imap.example.com",
        "smtp_host": "smtp.example.com",
        **change,
    }
    with pytest.raises(InputError, match=message):
        Account(**values).check()  # type: ignore[arg-type]


def test_quiet_hours() -> None:
    assert parse_quiet_hours("22:00-07:30")[1].minute == 30
    assert in_quiet_hours(datetime(2026, 1, 1, 23, 0), "22:00-07:00")
    assert in_quiet_hours(datetime(2026, 1, 1, 6, 59), "22:00-07:00")
    assert not in_quiet_hours(datetime(2026, 1, 1, 7, 0), "22:00-07:00")
    assert in_quiet_hours(datetime(2026, 1, 1, 13, 0), "12:00-14:00")
    assert not in_quiet_hours(datetime(2026, 1, 1, 13, 0), "")
    for bad in ("late", "25:00-07:00", "22:00"):
        with pytest.raises(ConfigError, match="22:00-07:00"):
            parse_quiet_hours(bad)


def test_bad_quiet_hours_in_settings_say_the_format(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="24-hour clock"):
        load_settings({"OS1_HOME": str(tmp_path), "OS1_QUIET_HOURS": "night"})
    settings = load_settings({"OS1_HOME": str(tmp_path), "OS1_QUIET_HOURS": "22:00-07:00"})
    assert settings.quiet_hours == "22:00-07:00" and settings.mail_sync_minutes == 10


def test_a_note_is_queued_once_and_said_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "os1.sqlite3")
    memory = Memory(store, store.user_id())
    notes = ProactiveNotes(store, memory.user_id)
    first = notes.add("mail:1", "Sarah wrote.", {"skill": "read_mail", "arguments": {"message": 1}})
    assert first is not None and notes.add("mail:1", "again") is None
    [note] = notes.due()
    assert notes.deliver(note, memory.episodes, "main", "voice")
    assert not notes.deliver(note, memory.episodes, "main", "terminal")
    [said] = memory.episodes.recent(memory.episodes.thread("main"))
    assert said.role == "assistant" and said.content == "Sarah wrote."
    assert said.meta == {"proactive": note.id, "offer": note.offer}
    store.close()
