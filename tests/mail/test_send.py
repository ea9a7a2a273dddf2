"""Sending an email with a file attached (what issue 8 does with a book), through the
ordinary proposal path: shown exactly, sent over real SMTP only after the yes, filed in Sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from os1 import audit
from os1.app import App
from os1.errors import InputError
from os1.mail.accounts import Account
from os1.mail.imap import imap_session
from os1.mail.send import MAX_ATTACHMENTS_BYTES, OutgoingMail, compose
from os1.skills.mail import proposal_for, send_mail
from tests.conftest import run

from .conftest import MailboxFactory


def _manuscript(folder: Path) -> Path:
    book = folder / "The Letters.pdf"
    book.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 400 + b"\n%%EOF\n")
    return book


def test_a_file_is_attached_and_sent_only_after_yes(
    ready_app: App, mailbox: MailboxFactory, smtp: Any, tmp_path: Path
) -> None:
    account, server = smtp(mailbox([]))
    mail = ready_app.mail()
    mail.accounts.save(account)
    book = _manuscript(tmp_path)
    outgoing = OutgoingMail(
        account.name,
        ("Ruth Hale <ruth@publisher.example>",),
        "The Letters",
        "Dear Ruth,\n\nThe manuscript is attached.\n\nTheo",
        attachments=(str(book),),
    )
    assert OutgoingMail.from_payload(outgoing.payload()) == outgoing  # survives the database
    proposal = proposal_for(mail, outgoing)
    assert "To: Ruth Hale <ruth@publisher.example>" in proposal.summary
    assert "Attached: The Letters.pdf" in proposal.summary
    companion = ready_app.companion()
    action = companion.actions.propose(send_mail, proposal, None)
    assert server.received == []  # nothing goes before the yes

    said = run(companion.decide(action, True))
    assert "was sent and filed in Sent" in said
    [received] = server.received
    assert received.recipients == ["ruth@publisher.example"]
    [attached] = [p for p in received.message.walk() if p.get_filename()]
    assert attached.get_filename() == "The Letters.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_payload(decode=True) == book.read_bytes()
    with imap_session(account) as client:
        client.select_folder("Sent", readonly=True)
        [uid] = client.search(["ALL"])
        filed = client.fetch([uid], ["RFC822"])[uid][b"RFC822"]
    assert _decoded_parts(filed) == book.read_bytes()
    [row] = mail.mail.rows(
        [r["id"] for r in mail.memory.store.query("SELECT id FROM mail_messages")]
    )
    assert row.outgoing and row.subject == "The Letters"  # kept with the user's mail
    assert [a["name"] for a in row.attachments] == ["The Letters.pdf"]
    assert mail.mail.written_to() == {"ruth@publisher.example"}
    memory = ready_app.memory()
    assert [e[1] for e in audit.entries(memory.store, memory.user_id)][:2] == [
        "send_mail.done",
        "send_mail.propose",
    ]


def _decoded_parts(raw: bytes) -> bytes:
    from email import message_from_bytes

    return b"".join(
        part.get_payload(decode=True) or b""
        for part in message_from_bytes(raw).walk()
        if part.get_filename()
    )


def _account() -> Account:
    return Account(
        name="personal",
        address="theo@example.com",
        password="pw",
        imap_host="127.0.0.1",
        smtp_host="127.0.0.1",
    )


def test_a_missing_or_huge_attachment_is_one_line(tmp_path: Path) -> None:
    missing = OutgoingMail("personal", ("a@example.org",), "s", "b", attachments=("/nowhere.pdf",))
    with pytest.raises(InputError, match=r"Cannot attach /nowhere.pdf.*nothing was sent"):
        compose(_account(), missing)
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as out:  # sparse: its size is checked before a byte is read
        out.truncate(MAX_ATTACHMENTS_BYTES + 1)
    too_big = OutgoingMail("personal", ("a@example.org",), "s", "b", attachments=(str(huge),))
    with pytest.raises(InputError, match="more than 20 MB") as caught:
        compose(_account(), too_big)
    assert "\n" not in str(caught.value)
