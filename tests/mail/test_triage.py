"""Triage: each label with a reason; people learned from memory; hostile mail flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from os1 import audit
from os1.mail.accounts import Account
from os1.mail.people import people_from_facts
from os1.mail.service import MailService

from .conftest import write_maildir
from .corpus import FRIENDS, USER, _plain, realistic_mailbox, scenario
from .hostile import hostile


def _import(mail: MailService, folder: Path, messages: list[bytes]) -> dict[str, list[str]]:
    _report, triaged = mail.import_local(write_maildir(folder, messages), "maildir")
    return {row.subject: list(verdict.labels) for row, verdict in triaged}


def test_the_four_of_the_issue(mail: MailService, tmp_path: Path) -> None:
    four = scenario(datetime.now(UTC))
    _report, triaged = mail.import_local(
        write_maildir(tmp_path / "M", list(four.values())), "maildir"
    )
    by_sender = {row.sender.addr: verdict for row, verdict in triaged}
    attorney = by_sender["schen@chenlawgroup.com"]
    assert attorney.labels[:1] == ("urgent",) and "says \u201cUrgent\u201d" in attorney.reason
    assert "an attorney (by the signature)" in attorney.reason
    assert by_sender["amy.lee@gmail.com"].labels == ("needs-reply",)
    assert "Would you like to come?" in by_sender["amy.lee@gmail.com"].reason
    newsletter = next(v for r, v in triaged if r.headers.get("list-id"))
    assert newsletter.labels == ("newsletter",) and "unsubscribe" in newsletter.reason
    hostile_mail = by_sender["support@examp1e.com"]
    assert hostile_mail.labels == ("suspicious",)
    assert "orders to an AI" in hostile_mail.reason and "forwarded" in hostile_mail.reason
    memory = mail.memory
    assert audit.entries(memory.store, memory.user_id) == []


def test_people_who_matter_come_from_memory(mail: MailService, tmp_path: Path) -> None:
    memory = mail.memory
    memory.facts.add("My divorce attorney is Sarah Chen, schen@chenlawgroup.com.", "person")
    memory.facts.add("Amy is my best friend from college.", "person")
    memory.facts.add("I love the rain.", "user")
    people = mail.people()
    roles = {p.name: (p.role, p.kind) for p in people.known}
    assert roles == {"Sarah Chen": ("attorney", "lawyer"), "Amy": ("friend", "friend")}
    four = scenario(datetime.now(UTC))
    _report, triaged = mail.import_local(
        write_maildir(tmp_path / "M", [four["attorney"], four["invitation"]]), "maildir"
    )
    verdicts = {r.sender.addr: v for r, v in triaged}
    lawyer = verdicts["schen@chenlawgroup.com"]
    assert lawyer.labels == ("urgent", "needs-reply", "people")
    assert "Sarah Chen, your attorney" in lawyer.reason
    assert verdicts["amy.lee@gmail.com"].labels == ("needs-reply", "people")
    # Someone using the attorney's name from another address is flagged, not trusted.
    fake = _plain(
        ("Sarah Chen", "sarah.chen.law@freemail.example"),
        USER,
        "Call me",
        "Can you call me back?",
        datetime.now(UTC),
    )
    _report, triaged = mail.import_local(write_maildir(tmp_path / "F", [bytes(fake)]), "maildir")
    assert triaged[0][1].labels == ("suspicious",)
    assert "uses Sarah Chen's name but not their address" in triaged[0][1].reason


def test_facts_name_people_in_many_phrasings() -> None:
    people = people_from_facts(
        [
            "My sister Ines lives in Porto.",
            "I told my mom Catherine about the letters.",
            "Paul Chen is my boss.",
            "Yesterday was nice.",
            "My neighbour is called Charles Kim.",
        ]
    )
    assert {(p.name, p.role) for p in people} == {
        ("Ines", "sister"),
        ("Catherine", "mom"),
        ("Paul Chen", "boss"),
        ("Charles Kim", "neighbour"),
    }


def _own_account(mail: MailService) -> None:
    mail.accounts.save(Account("personal", USER[1], "pw", "imap.example.com", "smtp.example.com"))


def test_a_realistic_mailbox_gets_sensible_labels(mail: MailService, tmp_path: Path) -> None:
    _own_account(mail)  # so the user's own replies in the threads are known as theirs
    _report, triaged = mail.import_local(
        write_maildir(tmp_path / "M", realistic_mailbox(400)), "maildir"
    )
    counts: dict[str, int] = {}
    for row, verdict in triaged:
        assert verdict.reason and len(verdict.reason.split("; ")) >= len(verdict.labels)
        for label in verdict.labels:
            counts[label] = counts.get(label, 0) + 1
        if row.headers.get("list-id"):
            assert verdict.labels == ("newsletter",)
        if row.sender.addr.startswith("no-reply@"):
            assert verdict.labels == ("other",)
    assert counts.get("suspicious", 0) == 0  # ordinary mail is not called hostile
    assert counts["newsletter"] > 40 and counts["people"] > 100 and counts["needs-reply"] > 10


def test_a_reply_already_sent_means_no_reply_needed(mail: MailService, tmp_path: Path) -> None:
    _own_account(mail)
    asked = _plain(FRIENDS[2], USER, "Lunch?", "Are you free for lunch?", datetime.now(UTC))
    answered = _plain(
        USER, FRIENDS[2], "Re: Lunch?", "Yes!", datetime.now(UTC) + timedelta(minutes=5)
    )
    answered["In-Reply-To"] = asked["Message-ID"]
    _report, triaged = mail.import_local(
        write_maildir(tmp_path / "M", [bytes(asked), bytes(answered)]), "maildir"
    )
    [(_row, verdict)] = triaged  # the user's own mail is not triaged
    assert "needs-reply" not in verdict.labels
    assert verdict.labels == ("people",)  # they wrote to Charles, so Charles matters


@pytest.mark.parametrize("name", sorted(hostile()))
def test_every_hostile_email_is_flagged(name: str, mail: MailService, tmp_path: Path) -> None:
    _report, triaged = mail.import_local(
        write_maildir(tmp_path / "M", [hostile()[name]]), "maildir"
    )
    [(_row, verdict)] = triaged
    assert verdict.labels == ("suspicious",), verdict.reason
    assert mail.notes.pending() == []  # never spoken up about as urgent
    assert audit.entries(mail.memory.store, mail.memory.user_id) == []


def test_lines_wrapped_at_72_columns_are_read_as_sentences(
    mail: MailService, tmp_path: Path
) -> None:
    """Plain-text mail is hard-wrapped: a deadline or a question across a line break counts,
    and the reason quotes the whole sentence, cut between words."""
    now = datetime.now(UTC)
    lawyer = _plain(
        ("Paul Weiss", "pweiss@weisslaw.com"),
        USER,
        "Settlement papers",
        "Theodore,\n\nCatherine's lawyer sent the final settlement. I need you to sign the\n"
        "papers and return them by end of day today, otherwise the filing slips to\n"
        "next month.\n\nPaul Weiss\nAttorney at Law\n",
        now,
    )
    friend = _plain(
        ("Amy", "amy.w@gmail.com"),
        USER,
        "Blind date?",
        "Theo! Charles and I know someone perfect for you. Are you free for dinner on\n"
        "Friday night?\n\nAmy\n",
        now,
    )
    _report, triaged = mail.import_local(
        write_maildir(tmp_path / "M", [bytes(lawyer), bytes(friend)]), "maildir"
    )
    by_subject = {row.subject: verdict for row, verdict in triaged}
    paul = by_subject["Settlement papers"]
    assert paul.labels == ("urgent", "needs-reply"), paul.reason
    assert "it says \u201cI need you to sign the papers and return them by end of day" in (
        paul.reason
    )
    assert " slips to\u2026\u201d" in paul.reason  # cut after a whole word
    amy = by_subject["Blind date?"]
    assert amy.labels == ("needs-reply",)
    assert "asks you: \u201cAre you free for dinner on Friday night?\u201d" in amy.reason
