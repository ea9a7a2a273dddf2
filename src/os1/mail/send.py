"""Sending mail: SMTP submission over verified TLS, then a copy filed in Sent over IMAP.

Only ever called to carry out a proposal the user said yes to (see os1.skills.mail):
`OutgoingMail` is exactly what the user saw, recipients, subject, text and attached
files, and `deliver` sends exactly that. Other skills (a book sent to a publisher)
reuse it the same way: build an OutgoingMail, show `summary()`, deliver on a yes.
"""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any

from os1.errors import InputError
from os1.mail.accounts import Account
from os1.mail.errors import MailAuthError, MailError
from os1.mail.imap import imap_session, special_folder

MAX_ATTACHMENTS_BYTES = 20_000_000  # most servers refuse more than about 25 MB encoded


@dataclass(frozen=True)
class OutgoingMail:
    account: str
    to: tuple[str, ...]
    subject: str
    body: str
    cc: tuple[str, ...] = ()
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()  # file paths, read when sending
    reply_to_id: int = 0  # the kept message this answers, if any

    def payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> OutgoingMail:
        try:
            return cls(
                account=str(data["account"]),
                to=tuple(str(a) for a in data["to"]),
                subject=str(data["subject"]),
                body=str(data["body"]),
                cc=tuple(str(a) for a in data.get("cc", ())),
                in_reply_to=str(data.get("in_reply_to", "")),
                references=tuple(str(r) for r in data.get("references", ())),
                attachments=tuple(str(p) for p in data.get("attachments", ())),
                reply_to_id=int(data.get("reply_to_id", 0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError("That email proposal is damaged; nothing was sent.") from exc

    def summary(self, sender: str) -> str:
        """Exactly what will be sent, for the user to approve word for word."""
        lines = [f"From: {sender}", f"To: {', '.join(self.to)}"]
        if self.cc:
            lines.append(f"Cc: {', '.join(self.cc)}")
        lines.append(f"Subject: {self.subject}")
        for path in self.attachments:
            lines.append(f"Attached: {Path(path).name}")
        return "\n".join(lines) + "\n\n" + self.body


@dataclass
class Delivery:
    message_id: str
    sent_folder: str = ""
    filing_problem: str = ""
    raw: bytes = field(default=b"", repr=False)


def compose(account: Account, mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((account.display_name, account.address))
    message["To"] = ", ".join(mail.to)
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=account.address.rsplit("@", 1)[-1])
    if mail.in_reply_to:
        message["In-Reply-To"] = f"<{mail.in_reply_to}>"
        message["References"] = " ".join(f"<{r}>" for r in mail.references[-20:])
    message.set_content(mail.body)
    for path, data in _read_attachments(mail.attachments):
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        message.add_attachment(data, maintype=main, subtype=sub, filename=path.name)
    return message


def _read_attachments(names: tuple[str, ...]) -> list[tuple[Path, bytes]]:
    """Each file's bytes; sizes checked before anything is read."""
    paths = [Path(name) for name in names]
    try:
        total = sum(path.stat().st_size for path in paths if path.is_file())
        if total > MAX_ATTACHMENTS_BYTES:
            raise InputError(
                f"The attachments come to more than {MAX_ATTACHMENTS_BYTES // 1_000_000} MB; "
                "nothing was sent.",
                "Most mail servers refuse that; send a smaller file or a link.",
            )
        found: list[tuple[Path, bytes]] = []
        for path in paths:
            if not path.is_file():
                raise InputError(f"Cannot attach {path}: it is not a file; nothing was sent.")
            found.append((path, path.read_bytes()))
    except OSError as exc:
        raise InputError(
            f"Cannot attach {exc.filename}: {exc.strerror}; nothing was sent."
        ) from exc
    return found


def _where(account: Account) -> str:
    return f"{account.smtp_host}:{account.smtp_port}"


def submit(account: Account, message: EmailMessage, timeout: float = 30.0) -> None:
    """Hand the message to the account's submission server, over verified TLS only."""
    context = account.tls_context()
    try:
        if account.smtp_security == "tls":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                account.smtp_host, account.smtp_port, timeout=timeout, context=context
            )
        else:
            server = smtplib.SMTP(account.smtp_host, account.smtp_port, timeout=timeout)
        with server:
            if account.smtp_security == "starttls":
                server.ehlo()
                if not server.has_extn("starttls"):
                    raise MailError(
                        f"{_where(account)} does not offer STARTTLS, so OS1 will not send there.",
                        "Use its TLS port (usually 465) with --smtp-security tls.",
                    )
                server.starttls(context=context)
                server.ehlo()
            server.login(account.login, account.password)
            server.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailAuthError(
            f"{_where(account)} refused the login for {account.login}; nothing was sent.",
            "Check the app password, then run `os1 mail add` again.",
        ) from exc
    except ssl.SSLCertVerificationError as exc:
        raise MailError(
            f"The certificate of {_where(account)} is not trusted; nothing was sent.",
            "If it is your own server, pass its certificate with --ca-file.",
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(
            f"{_where(account)} refused the recipients ({', '.join(exc.recipients)}); "
            "nothing was sent.",
            "Check the addresses.",
        ) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"Could not send through {_where(account)} ({type(exc).__name__}); nothing was sent.",
            "Check the server settings and network, then try again.",
        ) from exc


def file_in_sent(account: Account, raw: bytes) -> str:
    """Keep a copy in the account's Sent folder; the folder's name."""
    with imap_session(account) as client:
        folder = account.sent_folder or special_folder(client, b"\\Sent", "Sent")
        if not client.folder_exists(folder):
            client.create_folder(folder)
        client.append(folder, raw, flags=(b"\\Seen",))
    return folder


def deliver(account: Account, mail: OutgoingMail) -> Delivery:
    """Send, then file in Sent. A mail that went out but could not be filed is still
    sent: the delivery says so instead of failing."""
    message = compose(account, mail)
    submit(account, message)
    raw = message.as_bytes(policy=SMTP)  # CRLF line ends, as IMAP expects
    delivery = Delivery(str(message["Message-ID"]).strip("<>"), raw=raw)
    try:
        delivery.sent_folder = file_in_sent(account, raw)
    except MailError as exc:
        delivery.filing_problem = str(exc)
    return delivery
