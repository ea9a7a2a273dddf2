"""`os1 mail add|sync|import|triage|read|reply`: the user's mail, from the terminal."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from os1.app import App
from os1.cli.confirm import ask_then_act
from os1.cli.lines import say
from os1.errors import InputError
from os1.settings import Settings

_PORTS = {("imap", "tls"): 993, ("imap", "starttls"): 143, ("smtp", "tls"): 465,
          ("smtp", "starttls"): 587}  # fmt: skip


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    mail = sub.add_parser("mail", help="read, triage and answer your mail")
    actions = mail.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a mail account (IMAP and SMTP, TLS only)")
    add.add_argument("--name", default="mail", help="a short name for the account")
    add.add_argument("--address", required=True, help="your email address")
    add.add_argument("--display-name", default="", help="the name your mail is sent with")
    add.add_argument("--username", default="", help="login name (default: the address)")
    add.add_argument("--imap-host", required=True)
    add.add_argument("--imap-port", type=int)
    add.add_argument("--imap-security", choices=("tls", "starttls"), default="tls")
    add.add_argument("--smtp-host", required=True)
    add.add_argument("--smtp-port", type=int)
    add.add_argument("--smtp-security", choices=("tls", "starttls"), default="tls")
    add.add_argument("--ca-file", default="", help="a PEM certificate to trust (own server)")
    add.add_argument("--sent-folder", default="", help="default: the server's Sent folder")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--no-check", action="store_true", help="save without logging in first")
    sync = actions.add_parser("sync", help="fetch new mail over IMAP, and triage it")
    sync.add_argument("--account", help="only this account")
    imported = actions.add_parser("import", help="import a local Maildir or mbox")
    source = imported.add_mutually_exclusive_group(required=True)
    source.add_argument("--maildir", metavar="DIR", type=Path)
    source.add_argument("--mbox", metavar="FILE", type=Path)
    triage = actions.add_parser("triage", help="labels for your latest mail, with reasons")
    triage.add_argument("--json", action="store_true", help="as JSON")
    triage.add_argument("--limit", type=int, default=50)
    read = actions.add_parser("read", help="show one email (attachments are never opened)")
    read.add_argument("id", metavar="ID")
    read.add_argument("--summary", action="store_true", help="also summarise its thread")
    reply = actions.add_parser("reply", help="draft a reply; sent only after your yes")
    reply.add_argument("id", metavar="ID")
    reply.add_argument("--say", default="", help="what you want the reply to say")
    reply.add_argument("--text", help="send exactly this text instead of a draft")
    mail.set_defaults(handler=run_mail)


def printable(text: str) -> str:
    """Mail text for a terminal: no escape sequences or other control characters (C1 too:
    U+009B is a one-character escape sequence on some terminals)."""
    return "".join(c if c in "\n\t" or unicodedata.category(c) != "Cc" else " " for c in text)


class _Progress:
    """Progress on stderr: one updating line on a terminal, a few lines otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._shown: dict[str, int] = {}

    def __call__(self, folder: str, done: int, total: int) -> None:
        quarter = 4 * done // max(total, 1)
        if self._tty:
            end = "\n" if done >= total else ""
            print(f"\r{folder}: {done:,} of {total:,} messages", end=end, file=sys.stderr)
        elif self._shown.get(folder) != quarter:
            say(f"{folder}: {done:,} of {total:,} messages")
        self._shown[folder] = quarter


def _message_id(raw: str) -> int:
    if not raw.isdigit():
        raise InputError(
            f"{raw!r} is not an email id.", "Ids are the numbers `os1 mail triage` shows."
        )
    return int(raw)


def run_mail(args: argparse.Namespace, settings: Settings) -> int:
    handlers = {"add": _add, "sync": _sync, "import": _import, "triage": _triage,
                "read": _read, "reply": _reply}  # fmt: skip
    code: int = handlers[args.action](App(settings), args)
    return code


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("The account needs its password.", "Pipe it in with --password-stdin.")
    return getpass.getpass("App password (not shown): ")


def _add(app: App, args: argparse.Namespace) -> int:
    from os1.mail.accounts import Account
    from os1.mail.imap import imap_session

    account = Account(
        name=args.name,
        address=args.address.strip(),
        password=_password(args),
        imap_host=args.imap_host,
        smtp_host=args.smtp_host,
        username=args.username,
        display_name=args.display_name,
        imap_port=args.imap_port or _PORTS["imap", args.imap_security],
        imap_security=args.imap_security,
        smtp_port=args.smtp_port or _PORTS["smtp", args.smtp_security],
        smtp_security=args.smtp_security,
        ca_file=str(Path(args.ca_file).absolute()) if args.ca_file else "",
        sent_folder=args.sent_folder,
    )
    account.check()
    if not args.no_check:
        with imap_session(account):
            pass
    mail = app.mail()
    mail.accounts.save(account)
    say(f"Saved mail account {account.name!r} ({account.address}) in {mail.accounts.path}.")
    return 0


def _sync(app: App, args: argparse.Namespace) -> int:
    for report in app.mail().sync(args.account, _Progress()):
        urgent = sum("urgent" in v.labels for _, v in report.triaged)
        folders = ", ".join(f"{f.folder} {len(f.added)}" for f in report.folders)
        print(f"{report.account}: {report.added} new ({folders}); {urgent} urgent.")
    return 0


def _import(app: App, args: argparse.Namespace) -> int:
    kind, path = ("maildir", args.maildir) if args.maildir else ("mbox", args.mbox)
    progress = _Progress()
    report, triaged = app.mail().import_local(
        path, kind, lambda done, total: progress(path.name, done, total)
    )
    urgent = sum("urgent" in v.labels for _, v in triaged)
    print(f"Imported {len(report.added)} new of {report.seen} messages; {urgent} urgent.")
    return 0


def _triage(app: App, args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InputError("--limit must be at least 1.")
    results = app.mail().triage_inbox(args.limit)
    if args.json:
        listing = [
            {"id": r.id, "from": r.sender.shown(), "subject": r.subject,
             "labels": list(v.labels), "reason": v.reason}
            for r, v in results
        ]  # fmt: skip
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return 0
    if not results:
        say("No mail yet: `os1 mail sync` or `os1 mail import` brings some in.")
    for row, verdict in results:
        who = printable(row.sender.name or row.sender.addr)[:28]
        print(
            f"{row.id:>6}  {', '.join(verdict.labels):<24} {who:<28} {printable(row.subject)[:60]}"
        )
        print(f"{'':>8}{printable(verdict.reason)}")
    return 0


def _describe(row: Any) -> list[str]:
    lines = [
        f"Email {row.id} (thread {row.thread_id})",
        f"From: {row.sender.shown()}",
        f"To: {', '.join(a.shown() for a in row.addresses('to'))}",
        f"Date: {row.sent_at or 'unknown'}",
        f"Subject: {row.subject}",
    ]
    if row.labels:
        lines.append(f"Labels: {', '.join(row.labels)} ({row.reason})")
    for item in row.attachments:
        lines.append(
            f"Attachment, never opened: {item['name']} ({item['content_type']}, "
            f"about {int(item['size']):,} bytes)"
        )
    if row.hidden:
        lines.append(f"Hidden from view in its HTML: {' '.join(row.hidden.split())[:300]}")
    for problem in row.details.get("problems", []):
        lines.append(f"Note: {problem}")
    return lines


def _read(app: App, args: argparse.Namespace) -> int:
    service = app.mail()
    row = service.message(_message_id(args.id))
    if not row.labels and not row.outgoing:
        service.triage([row])
        row = service.message(row.id)
    print(printable("\n".join(_describe(row))))
    print()
    print(printable(row.body or "(no text)"))
    if args.summary:
        summary = asyncio.run(_summary(app, service, row.thread_id))
        print()
        print(printable(f"Thread summary: {summary}"))
    return 0


async def _summary(app: App, service: Any, thread_id: int) -> str:
    try:
        await app.mind.start()
        return str(await service.summary(app.mind, thread_id))
    finally:
        await app.aclose()


def _reply(app: App, args: argparse.Namespace) -> int:
    service = app.mail()
    row = service.message(_message_id(args.id))
    return asyncio.run(_reply_async(app, service, row, args))


async def _reply_async(app: App, service: Any, row: Any, args: argparse.Namespace) -> int:
    from os1.skills.mail import proposal_for, reply_mail

    try:
        if args.text is not None:
            account = service.accounts.get()
            outgoing = service.reply(account, row, args.text)
        else:
            await app.mind.start()
            outgoing = await service.draft(app.mind, row, args.say)
        proposal = proposal_for(service, outgoing)
        print(printable(proposal.summary))
        await ask_then_act(app, reply_mail, proposal, {"mail": service}, "Send it? [y/N] ")
        return 0
    finally:
        await app.aclose()
