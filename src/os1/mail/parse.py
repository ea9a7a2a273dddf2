"""Reading one raw message: MIME parts, transfer encodings, charsets, HTML, attachments.

Everything here is defensive: a message comes from anyone. Attachments are listed by
name, type and size and never decoded, opened or run (so a zip bomb is just bytes);
a message nested deeper than anyone writes is read for its headers only; odd or
unknown charsets fall back instead of failing; malformed headers are kept as written.
"""

from __future__ import annotations

import codecs
import email
import email.message
import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC
from email.header import decode_header
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from os1.mail.html import html_to_text, tidy

MAX_MESSAGE_BYTES = 25_000_000  # larger messages are read only this far
MAX_BODY_CHARS = 100_000  # text kept of one message
MAX_PARTS = 200  # MIME parts looked at
MAX_BOUNDARIES = 60  # multipart declarations: deeper nesting is not parsed at all
_NOTED_HEADERS = (
    "list-id",
    "list-unsubscribe",
    "precedence",
    "auto-submitted",
    "importance",
    "x-priority",
    "priority",
    "authentication-results",
    "x-mailer",
)
_BOUNDARY = re.compile(rb"boundary\s*=", re.IGNORECASE)
_ID = re.compile(r"<([^<>\s]{1,500})>")


@dataclass(frozen=True)
class Address:
    name: str
    addr: str

    def shown(self) -> str:
        return f"{self.name} <{self.addr}>" if self.name and self.addr else self.name or self.addr


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    size: int  # bytes, estimated from the encoded size: never decoded


@dataclass
class ParsedMail:
    digest: str
    size: int
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    sender: Address = field(default_factory=lambda: Address("", ""))
    reply_to: list[Address] = field(default_factory=list)
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    subject: str = ""
    sent_at: str = ""  # ISO 8601 UTC, '' when the Date header is unusable
    body: str = ""
    hidden: str = ""  # text an HTML part hides from a reader
    links: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def details(self) -> dict[str, Any]:
        """What is stored beside the columns, as JSON."""
        data = asdict(self)
        keep = ("in_reply_to", "references", "reply_to", "to", "cc", "hidden", "links")
        out = {k: data[k] for k in keep}
        out.update(attachments=data["attachments"], headers=self.headers, problems=self.problems)
        return out


def _text(raw: object) -> str:
    """A header value as text: encoded words decoded, stray bytes replaced, never raising."""
    if raw is None:
        return ""
    value = str(raw)
    pieces: list[str] = []
    try:
        for chunk, charset in decode_header(value):
            if isinstance(chunk, bytes):
                pieces.append(_decode(chunk, charset))
            else:
                pieces.append(chunk)
        value = "".join(pieces)
    except (ValueError, LookupError, AssertionError):
        pass
    value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(value.split())


def _decode(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset; an unknown or wrong one falls back, never fails."""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            codecs.lookup(candidate)
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _addresses(message: email.message.Message, name: str) -> list[Address]:
    values = [_text(v) for v in message.get_all(name, [])]
    try:
        pairs = getaddresses(values)
    except (ValueError, IndexError):
        pairs = [("", v) for v in values]
    found = [Address(n.strip()[:200], a.strip().lower()[:320]) for n, a in pairs if n or a]
    return found[:100]


def _ids(value: str) -> list[str]:
    return _ID.findall(value)[:100]


def _date(message: email.message.Message) -> str:
    raw = message.get("date")
    if not raw:
        return ""
    try:
        when = parsedate_to_datetime(_text(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC).isoformat(timespec="seconds")
    except (OverflowError, ValueError):
        return ""


def parse_message(raw: bytes) -> ParsedMail:
    """Read a raw RFC 5322 message into what OS1 keeps of it."""
    mail = ParsedMail(digest=hashlib.sha256(raw).hexdigest(), size=len(raw))
    if len(raw) > MAX_MESSAGE_BYTES:
        raw = raw[:MAX_MESSAGE_BYTES]
        mail.problems.append(f"only the first {MAX_MESSAGE_BYTES // 1_000_000} MB were read")
    deep = len(_BOUNDARY.findall(raw)) > MAX_BOUNDARIES
    if deep:
        head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        message = email.message_from_bytes(head + b"\r\n\r\n")
        mail.problems.append("its parts are nested too deeply to read; only its headers were")
    else:
        message = email.message_from_bytes(raw)
    _read_headers(message, mail)
    if not deep:
        _read_parts(message, mail)
    if message.defects:
        mail.problems.append("it is malformed: " + type(message.defects[0]).__name__)
    return mail


def _read_headers(message: email.message.Message, mail: ParsedMail) -> None:
    senders = _addresses(message, "from") or _addresses(message, "sender")
    mail.sender = senders[0] if senders else Address("", "")
    mail.reply_to = _addresses(message, "reply-to")
    mail.to = _addresses(message, "to")
    mail.cc = _addresses(message, "cc")
    mail.subject = _text(message.get("subject"))[:500]
    ids = _ids(_text(message.get("message-id")))
    mail.message_id = ids[0] if ids else ""
    replied = _ids(_text(message.get("in-reply-to")))
    mail.in_reply_to = replied[0] if replied else ""
    mail.references = _ids(_text(message.get("references")))
    mail.sent_at = _date(message)
    for name in _NOTED_HEADERS:
        if (value := message.get(name)) is not None:
            mail.headers[name] = _text(value)[:500]


def _parts(message: email.message.Message) -> list[email.message.Message]:
    """Leaf parts, depth first, without looking inside forwarded messages."""
    found: list[email.message.Message] = []
    stack = [message]
    while stack and len(found) < MAX_PARTS:
        part = stack.pop()
        payload = part.get_payload()
        if part.get_content_type() == "message/rfc822":
            found.append(part)  # a forwarded message: listed, not read
        elif part.is_multipart() and isinstance(payload, list):
            stack.extend(p for p in reversed(payload) if isinstance(p, email.message.Message))
        else:
            found.append(part)
    return found


def _attachment(part: email.message.Message) -> Attachment | None:
    kind = part.get_content_type()
    disposition = str(part.get("content-disposition", "")).lower()
    name = _text(part.get_filename("") or part.get_param("name", "", "content-type"))
    if not name and not disposition.startswith("attachment") and kind.startswith("text/"):
        return None
    payload = part.get_payload()
    if isinstance(payload, list):
        encoded = sum(len(str(p)) for p in payload[:5] if isinstance(p, email.message.Message))
    else:
        encoded = len(payload) if isinstance(payload, str) else 0
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    size = encoded * 3 // 4 if encoding == "base64" else encoded
    if kind == "message/rfc822":
        name = name or "forwarded message"
    return Attachment(name[:200] or "(no name)", kind, size)


def _read_parts(message: email.message.Message, mail: ParsedMail) -> None:
    plain: list[str] = []
    html: list[str] = []
    for part in _parts(message):
        try:
            attachment = _attachment(part)
        except (ValueError, LookupError, TypeError, IndexError):
            mail.problems.append("an attachment's headers are malformed")
            continue
        if attachment is not None:
            mail.attachments.append(attachment)
            continue
        try:
            data = part.get_payload(decode=True)
        except (ValueError, AssertionError):
            mail.problems.append("a part could not be decoded")
            continue
        if not isinstance(data, bytes):
            continue
        text = _decode(data[: MAX_BODY_CHARS * 8], part.get_content_charset())
        (html if part.get_content_type() == "text/html" else plain).append(text)
    if html:
        seen = html_to_text("\n".join(html))
        mail.hidden = seen.hidden[:20_000]
        mail.links = seen.links[:200]
    body = "\n\n".join(tidy(p) for p in plain) if plain else (seen.text if html else "")
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS]
        mail.problems.append(f"its text was cut at {MAX_BODY_CHARS:,} characters")
    mail.body = body
