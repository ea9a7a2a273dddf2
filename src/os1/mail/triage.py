"""Triage: each message gets labels, and each label a reason a person can check.

Labels: urgent, needs-reply, people (someone who matters to the user), newsletter
(mailing lists and promotions), suspicious (hostile or deceptive), other. The rules
read the message as data; nothing in it is obeyed. A suspicious message gets that
label alone, so a scam shouting "URGENT" is never put in front of the user as urgent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from os1.mail.people import People, signs_as_lawyer
from os1.mail.store import MailRow
from os1.mail.suspicious import content_tricks, sender_tricks

LABELS = ("urgent", "needs-reply", "people", "newsletter", "suspicious", "other")
_URGENT_SUBJECT = re.compile(
    r"\b(urgent|asap|emergency|immediately|time[- ]sensitive|action required|deadline|"
    r"final notice|right away|important)\b|!!",
    re.IGNORECASE,
)
_URGENT_BODY = re.compile(
    r"\b(urgent(ly)?|as soon as (possible|you can)|asap|immediately|right away|emergency|"
    r"time[- ]sensitive|deadline (is )?(today|tomorrow|tonight)|within (the next )?\d+ hours|"
    r"(call|phone|ring) me (now|right away|as soon))\b"
    # a deadline counts when someone needs something by it, not in "let me know by Friday"
    r"|\b(need|must|have to|required|requires)\b.{0,60}\b(by|before) (today|tonight|"
    r"tomorrow( morning)?|end of (the )?day|noon|\d{1,2}(:\d\d)? ?(am|pm))\b",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"\b(let me know|please (reply|respond|confirm|let me know|get back|call|send|sign|advise)|"
    r"rsvp|get back to me|(call|ring|phone|text) me|(i|we) need you to|"
    r"can you|could you|would you|will you|are you (free|around|"
    r"available|coming|able|up for)|do you (want|have|think)|would you like|what do you think|"
    r"join (us|me)|you'?re invited|invite you|invitation|hope you can (come|make it)|"
    r"come (to|over|along|with)|hope to see you|save the date|"
    r"would love (for you|to see you|to have you)|let'?s (meet|get|grab|have))\b",
    re.IGNORECASE,
)
_UNSUBSCRIBE = re.compile(
    r"\b(unsubscribe|manage (your )?(email )?preferences|view (it |this email )?in "
    r"(your )?browser|opt[- ]out|email preferences)\b",
    re.IGNORECASE,
)
_PROMOTION = re.compile(
    r"\b\d{1,2}\s?% off\b|\bsale\b|\bcoupon\b|\bpromo code\b|\bfree shipping\b|"
    r"\blimited[- ]time\b|\bshop now\b|\bexclusive offer\b|\bbest deals?\b",
    re.IGNORECASE,
)
_BULK_SENDER = re.compile(
    r"^(newsletters?|news|marketing|promo(tions)?|deals|offers|digest|updates|hello|info|"
    r"team|community)\b",
    re.IGNORECASE,
)
_AUTOMATIC = re.compile(
    r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|notifications?|alerts?|bounces?)\b",
    re.IGNORECASE,
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_QUOTED_FROM = re.compile(r"^(on .{0,120} wrote:|-+ ?original message ?-+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    labels: tuple[str, ...]
    reasons: tuple[str, ...]  # one per label, same order

    @property
    def reason(self) -> str:
        return "; ".join(
            f"{label}: {why}" for label, why in zip(self.labels, self.reasons, strict=True)
        )


@dataclass
class TriageContext:
    people: People
    replied_after: Callable[[int, str], bool]


def new_text(body: str) -> str:
    """The part of a message its sender wrote now, without the quoted earlier mail."""
    lines = []
    for line in body.splitlines():
        if _QUOTED_FROM.match(line.strip()):
            break
        if not line.lstrip().startswith(">"):
            lines.append(line)
    return "\n".join(lines)


def _who(row: MailRow) -> str:
    return row.sender.name or row.sender.addr or "someone"


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) > limit:  # cut between words where there is one
        cut = text[: limit - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut) + "\u2026"
    return "\u201c" + text + "\u201d"


def newsletter(row: MailRow) -> str:
    """Why a message is a newsletter or promotion, or ''."""
    headers = row.headers
    local = row.sender.addr.split("@", 1)[0]
    promo = _PROMOTION.search(f"{row.subject}\n{row.body[:5000]}")
    if "list-unsubscribe" in headers or "list-id" in headers:
        why = "it comes from a mailing list (it has an unsubscribe header)"
    elif headers.get("precedence", "").lower() in ("bulk", "list", "junk"):
        why = "it was sent in bulk"
    elif _UNSUBSCRIBE.search(row.body[-3000:]):
        why = "it has an unsubscribe link"
    elif _BULK_SENDER.match(local) and promo:
        why = f"it comes from a marketing address ({row.sender.addr})"
    else:
        return ""
    return f"{why}; a promotion ({_quote(promo.group(0), 30)})" if promo else why


def _urgency(row: MailRow, text: str, matters: bool) -> str:
    if found := _URGENT_SUBJECT.search(row.subject):
        return f"the subject says {_quote(found.group(0), 30)}"
    for sentence in sentences(text):
        if _URGENT_BODY.search(sentence):
            return f"it says {_quote(sentence, 100)}"
    headers = row.headers
    high = (
        headers.get("importance", "").lower() == "high"
        or headers.get("x-priority", "").strip()[:1] in ("1", "2")
        or headers.get("priority", "").lower() == "urgent"
    )
    return "it is marked high priority" if high and matters else ""


def sentences(text: str) -> Iterator[str]:
    """Sentences, paragraph by paragraph: a line wrapped at 72 columns is rejoined."""
    for paragraph in _PARAGRAPH.split(text):
        flat = " ".join(paragraph.split())
        yield from (s for s in _SENTENCE_END.split(flat) if s)


def _asks(text: str) -> str:
    for sentence in sentences(text):
        if sentence.endswith("?") or _ASKS.search(sentence):
            return _quote(sentence)
    return ""


def triage(row: MailRow, context: TriageContext) -> Verdict:
    """Labels and reasons for one message (the user's own mail is not triaged)."""
    tricks = content_tricks(row) + sender_tricks(row, context.people)
    if tricks:
        return Verdict(("suspicious",), ("; ".join(tricks[:3]),))
    if why := newsletter(row):
        return Verdict(("newsletter",), (why,))
    local = row.sender.addr.split("@", 1)[0]
    automatic = _AUTOMATIC.match(local) or row.headers.get("auto-submitted", "no").lower() != "no"
    if automatic:
        return Verdict(("other",), (f"an automatic message from {row.sender.addr or 'a server'}",))
    return _personal(row, context)


def _personal(row: MailRow, context: TriageContext) -> Verdict:
    labels: list[str] = []
    reasons: list[str] = []
    person = context.people.match(row.sender)
    known = row.sender.addr in context.people.written_to
    who = person.describe() if person else _who(row)
    if not person and signs_as_lawyer(row.body):
        who = f"{_who(row)}, an attorney (by the signature)"
    text = new_text(row.body)
    if urgent := _urgency(row, text, bool(person or known)):
        labels.append("urgent")
        reasons.append(f"{who} writes and {urgent}")
    answered = "\\Answered" in row.flags or context.replied_after(row.thread_id, row.sent_at)
    if not answered and (asked := _asks(text)):
        labels.append("needs-reply")
        reasons.append(f"{who} asks you: {asked}")
    if person:
        labels.append("people")
        reasons.append(f"from {person.describe()} (you told me: {_quote(person.said, 60)})")
    elif known:
        labels.append("people")
        reasons.append(f"from {_who(row)}, whom you have written to before")
    if not labels:
        return Verdict(("other",), (f"from {_who(row)}; nothing in it asks anything of you",))
    return Verdict(tuple(labels), tuple(reasons))
