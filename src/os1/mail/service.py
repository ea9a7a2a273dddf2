"""Mail for one user: what the CLI, the skills and the chat call (one place for each job).

New mail, from a sync or an import, is triaged at once, and urgent news is queued as a
proactive note. Nothing here acts on what an email says.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from os1.errors import InputError
from os1.mail.accounts import Account, AccountBook
from os1.mail.imap import FolderReport, Progress, imap_session, special_folder, sync_folder
from os1.mail.importer import ImportReport, import_local
from os1.mail.parse import parse_message
from os1.mail.people import People, people_from_facts
from os1.mail.send import Delivery, OutgoingMail, deliver
from os1.mail.speak import speak_up
from os1.mail.store import Incoming, MailRow, MailStore
from os1.mail.triage import TriageContext, Verdict, triage
from os1.mail.writing import draft_reply, summarize_thread
from os1.memory import Memory
from os1.mind.base import Mind
from os1.proactive import ProactiveNotes
from os1.settings import Settings

Triaged = list[tuple[MailRow, Verdict]]


@dataclass
class SyncReport:
    account: str
    folders: list[FolderReport] = field(default_factory=list)
    triaged: Triaged = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(len(f.added) for f in self.folders)


class MailService:
    def __init__(
        self,
        settings: Settings,
        memory: Memory,
        user_name: str = "",
        clock: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.memory = memory
        self.mail = MailStore(memory.store, memory.user_id)
        self.accounts = AccountBook(settings.mail_accounts_path)
        self.notes = ProactiveNotes(memory.store, memory.user_id, settings.quiet_hours, clock)
        self.user_name = user_name or "Hey"
        self._sync_every = settings.mail_sync_minutes * 60
        self._last_sync: float | None = None

    def sync_when_due(self) -> None:
        """The background sync of an open conversation: every OS1_MAIL_SYNC_MINUTES (the
        first call syncs), and only once an account is set up."""
        now = time.monotonic()
        if self._last_sync is not None and now - self._last_sync < self._sync_every:
            return
        if self.accounts.all():
            self._last_sync = now
            self.sync()

    def people(self) -> People:
        statements = [f.statement for f in self.memory.facts.current()]
        return People(
            people_from_facts(statements), self.mail.written_to(), self.accounts.addresses()
        )

    # -- triage ---------------------------------------------------------------------

    def triage(self, rows: list[MailRow], people: People | None = None) -> Triaged:
        """Label each message, keep the labels, and return them."""
        context = TriageContext(people or self.people(), self.mail.replied_after)
        results = [(row, triage(row, context)) for row in rows if not row.outgoing]
        self.mail.set_triage((r.id, list(v.labels), v.reason) for r, v in results)
        return results

    def triage_inbox(self, limit: int = 50) -> Triaged:
        return self.triage(self.mail.inbox(limit))

    def take_in(self, ids: list[int]) -> Triaged:
        """New mail: triaged, and urgent news queued to be said."""
        people = self.people()
        results = self.triage(self.mail.rows(ids), people)
        speak_up(self.notes, results, self.user_name, people)
        return results

    # -- getting mail ---------------------------------------------------------------

    def import_local(
        self, path: Path, kind: str, progress: Callable[[int, int], None] | None = None
    ) -> tuple[ImportReport, Triaged]:
        report = import_local(self.mail, path, kind, self.accounts.addresses(), progress)
        return report, self.take_in(report.added)

    def sync(
        self, account_name: str | None = None, progress: Progress | None = None
    ) -> list[SyncReport]:
        accounts = [self.accounts.get(account_name)] if account_name else self.accounts.all()
        if not accounts:
            self.accounts.get()  # raises: no account yet, and how to add one
        return [self._sync(account, progress) for account in accounts]

    def _sync(self, account: Account, progress: Progress | None) -> SyncReport:
        report = SyncReport(account.name)
        own = self.accounts.addresses()
        source = self.mail.source("imap", account.name)
        with imap_session(account) as client:
            if client.has_capability("CONDSTORE"):
                client.enable("CONDSTORE")
            sent = account.sent_folder or special_folder(client, b"\\Sent", "")
            for name, role in (("INBOX", "inbox"), (sent, "sent")):
                if name:
                    report.folders.append(
                        sync_folder(client, self.mail, source, name, role, own, progress)  # type: ignore[arg-type]
                    )
        report.triaged = self.take_in([i for f in report.folders for i in f.added])
        return report

    # -- reading and writing --------------------------------------------------------

    def message(self, message_id: int) -> MailRow:
        row = self.mail.get(message_id)
        if row is None:
            raise InputError(
                f"There is no email {message_id}.", "See the ids in `os1 mail triage`."
            )
        return row

    async def summary(self, mind: Mind, thread_id: int) -> str:
        """The thread's summary by the model, made again only when the thread grew."""
        rows = self.mail.thread(thread_id)
        if not rows:
            return ""
        text, upto = self.mail.summary(thread_id)
        if text and upto >= rows[-1].id:
            return text
        text = await summarize_thread(mind, rows, self.user_name)
        self.mail.save_summary(thread_id, text, rows[-1].id)
        return text

    async def draft(self, mind: Mind, row: MailRow, wants: str) -> OutgoingMail:
        """A reply to `row` in the user's voice, to all it should go to; nothing is sent."""
        account = self.accounts.get()
        body = await draft_reply(mind, row, self.user_name, wants, self.mail.own_writing())
        return self.reply(account, row, body)

    def reply(self, account: Account, row: MailRow, body: str) -> OutgoingMail:
        reply_to = row.addresses("reply_to")
        to = (reply_to[0] if reply_to else row.sender).shown()
        subject = row.subject if row.subject.lower().startswith("re:") else f"Re: {row.subject}"
        return OutgoingMail(
            account=account.name,
            to=(to,),
            subject=subject.strip(),
            body=body,
            in_reply_to=row.message_id,
            references=tuple(
                [*row.references, row.message_id] if row.message_id else row.references
            ),
            reply_to_id=row.id,
        )

    def send(self, outgoing: OutgoingMail) -> Delivery:
        """Send what the user approved (only ever called after their yes), and keep it."""
        account = self.accounts.get(outgoing.account)
        delivery = deliver(account, outgoing)
        source = self.mail.source("imap", account.name)
        folder = self.mail.folder(source, delivery.sent_folder or "Sent", "sent")
        self.mail.add_many(
            folder.id, [Incoming(parse_message(delivery.raw), None, ("\\Seen",), True)]
        )
        if outgoing.reply_to_id:
            self.mail.add_flag(outgoing.reply_to_id, "\\Answered")
        return delivery
