"""Ghostwriting grounded in the archive; the skills; the book sent over real SMTP after a yes."""

from __future__ import annotations

import sqlite3
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from os1.app import App
from os1.errors import InputError
from os1.letters.service import LetterService
from os1.skills.base import SkillContext
from os1.skills.letters import draft_letter, proofread, send_book
from os1.testing import ScriptedMind
from tests.cli.conftest import Run
from tests.conftest import run

from .conftest import proofreading_answers

DRAFT = "Dear Chris,\n\nFifty-five years since the library steps.\n\nLove,\nRoberta"


def test_a_letter_in_the_clients_voice_grounded_in_their_history(
    ready_app: App, letters: LetterService, archive_dir: Path
) -> None:
    letters.archive.import_dir(archive_dir)
    mind = ScriptedMind(replies=[DRAFT])
    draft = run(letters.draft(mind, "roberta", "chris", "our anniversary"))
    assert (draft.client, draft.recipient, draft.text) == ("Roberta", "Chris", DRAFT)
    prompt = "\n".join(m.content for m in mind.requests[0].messages)
    assert "Write as Roberta, to Chris, in Roberta's own voice" in prompt
    assert "Dover Street" in prompt and "Portland" in prompt  # their letters, as data
    assert "Mystic" not in prompt  # nobody else's
    assert "<<<LETTER" in prompt and "What it is for: our anniversary" in prompt
    assert letters.archive.get(draft.id or 0).kind == "draft"
    with pytest.raises(InputError, match="no letters from 'Nobody'"):
        run(letters.draft(mind, "Nobody", "Chris", "hello"))
    with pytest.raises(InputError, match="no letters between them"):
        run(letters.draft(mind, "Roberta", "Lena", "hello"))
    with pytest.raises(InputError, match="Say what the letter is for"):
        run(letters.draft(mind, "Roberta", "Chris", "  "))


def test_the_letter_skills(ready_app: App, letters: LetterService, archive_dir: Path) -> None:
    letters.archive.import_dir(archive_dir)
    mind = ScriptedMind(structured=proofreading_answers({"Their": "They're"}), replies=[DRAFT])
    context = SkillContext(ready_app.settings, ready_app.memory(), mind, {"letters": letters})
    checked = run(proofread(context, {"text": "Their here."}))
    assert "\u201cTheir\u201d \u2192 \u201cThey're\u201d" in checked.text
    assert proofread.matches("can you proofread my letter?") and proofread.risk == "read"
    drafted = run(draft_letter(context, {"client": "Roberta", "recipient": "Chris",
                                         "purpose": "anniversary"}))  # fmt: skip
    assert DRAFT in drafted.text and drafted.proposal is None
    assert draft_letter.matches("write a letter to Chris from Roberta")
    assert send_book.risk == "act" and send_book.matches("send the book to my publisher")


def test_book_send_waits_for_a_yes_then_goes_over_smtp(
    os1: Run, hermetic: Path, archive_dir: Path, tmp_path: Path, mailbox: Any, smtp: Any
) -> None:
    from os1.settings import load_settings

    account, server = smtp(mailbox())
    App(load_settings()).mail().accounts.save(account)
    bad = os1("book", "send", "--to", "not an address")
    assert bad.returncode == 2 and "is not an email address" in bad.stderr
    unbuilt = os1("book", "send", "--to", "editor@publisher.example")
    assert unbuilt.returncode == 2 and "No book has been built yet" in unbuilt.stderr
    assert os1("letters", "import", str(archive_dir)).returncode == 0
    book = tmp_path / "book.pdf"
    assert os1("book", "build", "--out", str(book), "--yes").returncode == 0
    declined = os1("book", "send", "--to", "editor@publisher.example", stdin="n\n")
    assert declined.returncode == 0 and "Not sent." in declined.stderr
    assert (
        "Attached: book.pdf" in declined.stdout
        and "To: editor@publisher.example" in declined.stdout
    )
    assert server.received == []
    sent = os1("book", "send", "--to", "editor@publisher.example", stdin="y\n")
    assert sent.returncode == 0, sent.stderr
    assert [r.recipients for r in server.received] == [["editor@publisher.example"]]
    message = message_from_bytes(server.received[0].data)
    assert message["Subject"] == "Manuscript: Letters from Your Life"
    attached = [p for p in message.walk() if p.get_filename() == "book.pdf"]
    assert attached and attached[0].get_payload(decode=True) == book.read_bytes()
    with sqlite3.connect(hermetic / "os1.sqlite3") as db:
        audited = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    assert audited == ["send_book.propose", "send_book.declined", "send_book.propose",
                       "send_book.done"]  # fmt: skip
