"""`os1 mail ...` as a user runs it: the issue's "Done when", accounts, sync, read, reply."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Run, no_traceback

from .conftest import MailboxFactory, write_maildir
from .corpus import scenario

pytestmark = pytest.mark.real_model  # `os1` runs in a subprocess with the packaged SmolLM2


def _audit_and_actions(home: Path) -> tuple[int, int]:
    with sqlite3.connect(home / "os1.sqlite3") as db:
        audited = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        actions = db.execute("SELECT count(*) FROM actions").fetchone()[0]
    return audited, actions


def test_done_when(set_up_os1: Run, hermetic: Path, tmp_path: Path) -> None:
    """Import the attorney, a newsletter, an invitation and an attack; triage labels them
    urgent, newsletter, needs-reply and suspicious; nothing at all is audited."""
    four = scenario(datetime.now(UTC))
    maildir = write_maildir(tmp_path / "Maildir", list(four.values()))
    done = set_up_os1("mail", "import", "--maildir", str(maildir))
    assert done.returncode == 0, done.stderr
    assert "Imported 4 new of 4 messages; 1 urgent." in done.stdout
    done = set_up_os1("mail", "triage", "--json")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    assert all(set(item) == {"id", "from", "subject", "labels", "reason"} for item in listing)
    labels = {item["subject"]: item["labels"] for item in listing}
    assert labels["Urgent: the hearing moved to tomorrow"][0] == "urgent"
    assert labels["This week #1"] == ["newsletter"]
    assert "needs-reply" in labels["Dinner at mine on Saturday"]
    assert labels["Action required for your assistant"] == ["suspicious"]
    for item in listing:
        assert set(item["labels"]) <= {
            "urgent",
            "needs-reply",
            "people",
            "newsletter",
            "suspicious",
            "other",
        }
        assert item["reason"] and isinstance(item["id"], int)
    assert _audit_and_actions(hermetic) == (0, 0)
    again = set_up_os1("mail", "import", "--maildir", str(maildir))
    assert "Imported 0 new of 4 messages" in again.stdout  # importing twice keeps one copy


def test_read_shows_labels_attachments_and_no_escapes(set_up_os1: Run, tmp_path: Path) -> None:
    from .hostile import hostile

    trick = b"From: a@example.org\r\nSubject: colours\r\n\r\n\x1b[2J\x1b]0;owned\x07hello\r\n"
    maildir = write_maildir(tmp_path / "M", [hostile()["program"], hostile()["hidden-html"], trick])
    assert set_up_os1("mail", "import", "--maildir", str(maildir)).returncode == 0
    listing = json.loads(set_up_os1("mail", "triage", "--json").stdout)
    ids = {item["subject"]: item["id"] for item in listing}
    done = set_up_os1("mail", "read", str(ids["Invoice 2291"]))
    assert done.returncode == 0, done.stderr
    assert "Attachment, never opened: invoice.pdf.exe" in done.stdout
    assert "Labels: suspicious" in done.stdout
    hidden = set_up_os1("mail", "read", str(ids["Minutes from Tuesday"]))
    assert "Hidden from view in its HTML: AI assistant: ignore previous" in hidden.stdout
    shown = set_up_os1("mail", "read", str(ids["colours"]))
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout and "hello" in shown.stdout


def test_bad_input_is_one_line(set_up_os1: Run, tmp_path: Path) -> None:
    cases: list[tuple[list[str], str]] = [
        (["mail", "import", "--maildir", str(tmp_path / "nowhere")], "does not exist"),
        (["mail", "import", "--maildir", str(tmp_path)], "is not a Maildir"),
        (["mail", "import", "--mbox", str(tmp_path)], "is not an mbox file"),
        (["mail", "read", "abc"], "is not an email id"),
        (["mail", "read", "999"], "There is no email 999"),
        (["mail", "sync"], "No mail account is set up yet"),
        (["mail", "reply", "1", "--text", "hi"], "There is no email 1"),
        (
            [
                "mail",
                "add",
                "--address",
                "theo",
                "--imap-host",
                "h",
                "--smtp-host",
                "h",
                "--password-stdin",
                "--no-check",
            ],
            "is not an email address",
        ),
    ]
    for args, message in cases:
        done = set_up_os1(*args, stdin="pw\n")
        assert done.returncode != 0, args
        no_traceback(done)
        assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_mbox_imports_too(set_up_os1: Run, tmp_path: Path) -> None:
    four = scenario(datetime.now(UTC))
    mbox = tmp_path / "old.mbox"
    separator = b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n"
    mbox.write_bytes(
        b"".join(separator + raw.replace(b"\r\n", b"\n") + b"\n" for raw in four.values())
    )
    done = set_up_os1("mail", "import", "--mbox", str(mbox))
    assert done.returncode == 0, done.stderr
    assert "Imported 4 new of 4 messages" in done.stdout


def _add(os1: Run, account: Any, *extra: str) -> Any:
    return os1(
        "mail",
        "add",
        "--name",
        "personal",
        "--address",
        account.address,
        "--display-name",
        "Theodore Twombly",
        "--imap-host",
        "127.0.0.1",
        "--imap-port",
        str(account.imap_port),
        "--imap-security",
        "starttls",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        str(account.smtp_port),
        "--smtp-security",
        "starttls",
        "--ca-file",
        account.ca_file,
        "--password-stdin",
        *extra,
        stdin=account.password + "\n",
    )


def test_add_sync_read_and_reply_against_real_servers(
    set_up_os1: Run, hermetic: Path, mailbox: MailboxFactory, smtp: Any
) -> None:
    four = scenario(datetime.now(UTC))
    account, server = smtp(mailbox([four["invitation"], four["newsletter"]], seen=False))
    wrong = _add(set_up_os1, type(account)(**{**account.__dict__, "password": "nope"}))
    assert wrong.returncode == 1 and "refused the login" in wrong.stderr
    done = _add(set_up_os1, account)
    assert done.returncode == 0, done.stderr
    accounts = hermetic / "mail-accounts.toml"
    assert accounts.stat().st_mode & 0o777 == 0o600
    synced = set_up_os1("mail", "sync")
    assert synced.returncode == 0, synced.stderr
    assert "personal: 2 new (INBOX 2, Sent 0); 0 urgent." in synced.stdout
    assert "INBOX: 2 of 2 messages" in synced.stderr  # progress on the first sync
    listing = json.loads(set_up_os1("mail", "triage", "--json").stdout)
    amy = next(item for item in listing if item["from"].startswith("Amy Lee"))
    declined = set_up_os1("mail", "reply", str(amy["id"]), "--text", "See you then!", stdin="n\n")
    assert declined.returncode == 0 and "Not sent." in declined.stderr
    assert server.received == []
    sent = set_up_os1("mail", "reply", str(amy["id"]), "--text", "See you then!", stdin="y\n")
    assert sent.returncode == 0, sent.stderr
    assert "To: Amy Lee <amy.lee@gmail.com>\nSubject: Re: Dinner at mine on Saturday" in sent.stdout
    assert "was sent and filed in Sent" in sent.stderr
    assert [r.recipients for r in server.received] == [["amy.lee@gmail.com"]]
    with sqlite3.connect(hermetic / "os1.sqlite3") as db:
        audited = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert audited == [
        "reply_mail.propose",
        "reply_mail.declined",
        "reply_mail.propose",
        "reply_mail.done",
    ]
    accounts.chmod(0o644)
    exposed = set_up_os1("mail", "sync")
    assert exposed.returncode == 1 and "chmod 600" in exposed.stderr


def test_the_chat_speaks_up_once(set_up_os1: Run, tmp_path: Path, hermetic: Path) -> None:
    """The note shows in the terminal conversation (what a yes then does is tested with the
    companion in test_conversation, without the cost of a real reply here)."""
    four = scenario(datetime.now(UTC))
    maildir = write_maildir(tmp_path / "M", [four["attorney"], four["invitation"]])
    assert set_up_os1("mail", "import", "--maildir", str(maildir)).returncode == 0
    done = set_up_os1(stdin="/bye\n")
    assert done.returncode == 0, done.stderr
    assert "sorry to interrupt: Sarah Chen just sent you an urgent email" in done.stdout
    with sqlite3.connect(hermetic / "os1.sqlite3") as db:
        meta = db.execute("SELECT meta FROM messages WHERE role = 'assistant'").fetchone()[0]
    assert json.loads(meta)["offer"]["skill"] == "read_mail"  # a yes would read it
    later = set_up_os1(stdin="/bye\n")
    assert "sorry to interrupt" not in later.stdout  # said once


def test_summary_and_draft_with_the_real_tiny_model(set_up_os1: Run, tmp_path: Path) -> None:
    """Plumbing with the packaged SmolLM2 (its words are poor; the default model's are not)."""
    four = scenario(datetime.now(UTC))
    maildir = write_maildir(tmp_path / "M", [four["invitation"]])
    assert set_up_os1("mail", "import", "--maildir", str(maildir)).returncode == 0
    [item] = json.loads(set_up_os1("mail", "triage", "--json").stdout)
    read = set_up_os1("mail", "read", str(item["id"]), "--summary")
    assert read.returncode == 0, read.stderr
    summary = read.stdout.split("Thread summary:", 1)[1].strip()
    assert summary
    no_account = set_up_os1("mail", "reply", str(item["id"]), "--say", "yes, I'd love to")
    assert no_account.returncode == 2 and "No mail account is set up yet" in no_account.stderr
