"""Speaking up: new urgent mail becomes a proactive note for the conversation.

One note per sender, however many urgent emails they sent, offering to read the latest;
only mail the user has not seen, from the last few days. Quiet hours hold the note
back (os1.proactive), they do not drop it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from os1.mail.people import People
from os1.mail.store import MailRow
from os1.mail.triage import Verdict
from os1.proactive import ProactiveNotes

RECENT = timedelta(days=3)


def _recent(row: MailRow, now: datetime) -> bool:
    if not row.sent_at:
        return True
    try:
        sent = datetime.fromisoformat(row.sent_at)
    except ValueError:
        return True
    return now - sent <= RECENT


def _who(row: MailRow, people: People) -> str:
    person = people.match(row.sender)
    if person:
        return f"{person.name}, your {person.role},"
    return row.sender.name or row.sender.addr or "Someone"


def speak_up(
    notes: ProactiveNotes,
    results: list[tuple[MailRow, Verdict]],
    user: str,
    people: People,
    now: datetime | None = None,
) -> list[int]:
    """Queue a note for each sender of new, unseen, urgent mail; the new notes' ids."""
    now = now or datetime.now(UTC)
    urgent: dict[str, list[MailRow]] = defaultdict(list)
    for row, verdict in results:
        if "urgent" in verdict.labels and not row.seen and _recent(row, now):
            urgent[row.sender.addr or row.sender.name].append(row)
    queued = []
    for rows in urgent.values():
        latest = max(rows, key=lambda r: (r.sent_at, r.id))
        who = _who(latest, people)
        subject = " ".join(latest.subject.split())[:100] or "no subject"
        if len(rows) == 1:
            news = f"{who} just sent you an urgent email, \u201c{subject}\u201d."
        else:
            news = (
                f"{who} has sent you {len(rows)} urgent emails; "
                f"the latest is \u201c{subject}\u201d."
            )
        text = f"{user}, sorry to interrupt: {news} Shall I read it to you?"
        offer = {"skill": "read_mail", "arguments": {"message": latest.id}}
        if (note := notes.add(f"mail:{latest.id}", text, offer)) is not None:
            queued.append(note)
    return queued
