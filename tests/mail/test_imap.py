"""IMAP sync against a real Dovecot: first sync with progress, incremental sync, CONDSTORE
flags, expunges, a changed UIDVALIDITY, TLS and STARTTLS, and failures that say the fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from os1.mail.accounts import Account
from os1.mail.errors import MailAuthError, MailError
from os1.mail.imap import imap_session
from os1.mail.service import MailService

from .conftest import MailboxFactory
from .corpus import FRIENDS, USER, _plain, realistic_mailbox, scenario
from .servers import Dovecot, make_certificate


def _setup(mail: MailService, account: Account) -> None:
    mail.accounts.save(account)


def test_first_sync_of_a_realistic_mailbox(mail: MailService, mailbox: MailboxFactory) -> None:
    messages = realistic_mailbox(400)
    account = mailbox(messages)
    _setup(mail, account)
    progress: list[tuple[str, int, int]] = []
    [report] = mail.sync(progress=lambda *step: progress.append(step))
    assert report.added == 400
    assert progress[-1] == ("INBOX", 400, 400) and len(progress) == 4  # batches of 100
    assert mail.mail.count() == 400
    threads = mail.memory.store.query(
        "SELECT thread_id, count(*) AS n FROM mail_messages GROUP BY thread_id HAVING n > 1"
    )
    assert len(threads) > 20  # replies joined their threads
    labelled = mail.memory.store.query(
        "SELECT count(*) AS n FROM mail_messages WHERE labels != '[]'"
    )
    assert labelled[0]["n"] > 300  # triaged as it arrived (the user's own mail is not)


def test_incremental_sync_fetches_only_what_is_new(
    mail: MailService, mailbox: MailboxFactory, imap_server: Dovecot
) -> None:
    account = mailbox(realistic_mailbox(30))
    _setup(mail, account)
    mail.sync()
    state = mail.memory.store.query("SELECT * FROM mail_folders WHERE name = 'INBOX'")[0]
    assert state["uidvalidity"] and state["uidnext"] == 31 and state["highestmodseq"]
    [again] = mail.sync()
    assert again.added == 0
    now = datetime.now(UTC)
    with imap_session(account) as client:
        client.append("INBOX", scenario(now)["attorney"])
        client.append("INBOX", scenario(now)["invitation"])
        client.select_folder("INBOX")
        first_two = sorted(client.search(["ALL"]))[:2]
        client.add_flags(first_two[:1], [b"\\Flagged"])
        client.delete_messages(first_two[1:2])
        client.expunge()
    [report] = mail.sync()
    inbox = report.folders[0]
    assert len(inbox.added) == 2 and inbox.flags_changed == 1 and inbox.gone == 1
    assert mail.mail.count() == 31
    urgent = [v.labels for _r, v in report.triaged]
    assert ("urgent", "needs-reply") in urgent
    note = mail.notes.pending()[0]
    assert "Sarah Chen just sent you an urgent email" in note.text
    assert note.offer == {"skill": "read_mail", "arguments": {"message": inbox.added[0]}}


def test_a_new_uidvalidity_starts_the_folder_over(
    mail: MailService, mailbox: MailboxFactory, imap_server: Dovecot
) -> None:
    account = mailbox(realistic_mailbox(10))
    _setup(mail, account)
    mail.sync()
    before = mail.memory.store.query("SELECT uidvalidity FROM mail_folders WHERE name='INBOX'")
    # The server loses its index (a restore, a migration): the UIDs start over.
    home = imap_server.root / "homes" / account.address.split("@")[0] / "Maildir"
    for index in home.glob("dovecot.index*"):
        index.unlink()
    uidlist = home / "dovecot-uidlist"
    header, rest = uidlist.read_text().split("\n", 1)
    fields = [f"V{int(f[1:]) + 1000}" if f.startswith("V") else f for f in header.split()]
    uidlist.write_text(" ".join(fields) + "\n" + rest)
    [report] = mail.sync()
    assert report.folders[0].restarted
    after = mail.memory.store.query("SELECT uidvalidity FROM mail_folders WHERE name='INBOX'")
    assert after[0]["uidvalidity"] != before[0]["uidvalidity"]
    assert mail.mail.count() == 10 and report.added == 0  # the same mail, nothing lost or doubled


def test_implicit_tls_and_the_sent_folder(mail: MailService, mailbox: MailboxFactory) -> None:
    account = mailbox([], security="tls")
    sent = _plain(USER, FRIENDS[0], "Hello", "How are you?", datetime.now(UTC))
    with imap_session(account) as client:
        client.append("Sent", bytes(sent))
    _setup(mail, account)
    [report] = mail.sync()
    assert [f.folder for f in report.folders] == ["INBOX", "Sent"]
    assert mail.mail.written_to() == {FRIENDS[0][1]}


def test_a_wrong_password_says_what_to_do(mailbox: MailboxFactory) -> None:
    account = replace(mailbox([]), password="wrong")
    with pytest.raises(MailAuthError) as caught, imap_session(account):
        pass
    assert "refused the login" in str(caught.value) and "os1 mail add" in str(caught.value)


def test_an_untrusted_certificate_is_refused(mailbox: MailboxFactory, tmp_path: Path) -> None:
    other, _key = make_certificate(tmp_path)  # a certificate the server does not have
    account = replace(mailbox([]), ca_file=str(other))
    with pytest.raises(MailError, match=r"not trusted.*--ca-file"), imap_session(account):
        pass


def test_nothing_listening_is_one_line(mailbox: MailboxFactory) -> None:
    from .servers import free_port

    account = replace(mailbox([]), imap_port=free_port())
    with (
        pytest.raises(MailError, match="Could not talk to the mail server"),
        imap_session(account, timeout=3),
    ):
        pass


def test_interrupted_first_sync_continues(
    mail: MailService, mailbox: MailboxFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = mailbox(realistic_mailbox(250))
    _setup(mail, account)

    def stop_after_two_batches(_folder: str, done: int, _total: int) -> None:
        if done >= 200:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mail.sync(progress=stop_after_two_batches)
    assert mail.mail.count() == 200  # what was fetched is kept
    [report] = mail.sync()
    assert report.added == 50 and mail.mail.count() == 250
