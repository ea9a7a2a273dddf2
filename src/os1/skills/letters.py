"""Letter skills: proofread what the user wrote, draft a letter from the archive, and send
the book to a publisher (only after the user's yes, through the mail sending path)."""

from __future__ import annotations

import re
from pathlib import Path

from os1.errors import InputError, OS1Error
from os1.letters.book import load_manifest
from os1.letters.service import LetterService
from os1.mail.send import OutgoingMail
from os1.mail.service import MailService
from os1.settings import Settings
from os1.skills.base import Proposal, Risk, SkillContext, SkillResult, skill
from os1.skills.mail import proposal_for, send_approved

_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def _letters(context: SkillContext) -> LetterService | None:
    service = context.extras.get("letters")
    return service if isinstance(service, LetterService) else None


@skill(
    "proofread",
    Risk.READ,
    triggers=(r"\bproof-?read\b", r"\b(check|correct|fix)\b.{0,30}\b(spelling|grammar|letter)\b"),
)
async def proofread(context: SkillContext, *, text: str) -> SkillResult:
    """Proofread a text the user gives: spelling, grammar and punctuation fixes, each with a
    reason, and gentle style notes kept apart."""
    service = _letters(context)
    if service is None or not text.strip():
        return SkillResult("There was no text to proofread; ask the user to paste it.")
    result = await service.proofread(context.mind, text)
    fixes = "\n".join(f"- \u201c{c.before}\u201d \u2192 \u201c{c.after}\u201d ({c.reason})"
                      for c in result.changes) or "- none: it reads as written"  # fmt: skip
    notes = "\n".join(f"- {n}" for n in result.notes)
    text_out = f"The fixes found (quote them exactly; the writer decides):\n{fixes}" + (
        f"\nGentle style notes, separate from the fixes:\n{notes}" if notes else ""
    )
    return SkillResult(text_out, data=result)


@skill(
    "draft_letter",
    Risk.WRITE,
    triggers=(r"\b(write|draft|ghost-?write)\b.{0,20}\bletter\b",),
)
async def draft_letter(
    context: SkillContext, *, client: str, recipient: str, purpose: str
) -> SkillResult:
    """Draft a personal letter from a client to someone they have written to before, in the
    client's voice, grounded in their letters in the archive; kept as a draft to edit."""
    service = _letters(context)
    if service is None:
        return SkillResult("The letter archive is not available.")
    try:
        draft = await service.draft(context.mind, client, recipient, purpose)
    except InputError as exc:
        return SkillResult(str(exc))
    return SkillResult(f"The draft, kept as draft {draft.id}:\n{draft.text}", data=draft)


def book_proposal(
    settings: Settings,
    mail: MailService,
    to: str,
    file: Path | None = None,
    account: str | None = None,
    subject: str = "",
) -> Proposal:
    """The exact email the user approves: the manuscript attached, to the publisher."""
    to = to.strip()
    if not _ADDRESS.match(to):
        raise InputError(f"{to!r} is not an email address.", "Give it like editor@publisher.com.")
    manifest = load_manifest(settings.book_manifest_path) if file is None else {}
    path = file or Path(str(manifest["pdf"]))
    if not path.is_file():
        raise InputError(f"The manuscript {path} is not there.", "Build the book again.")
    title = str(manifest.get("title", "")) or path.stem
    sender = mail.accounts.get(account)
    body = (
        "Dear editor,\n\n"
        f"Please find attached the manuscript of \u201c{title}\u201d, a collection of "
        "personal letters. I would be glad to hear whether it might be of interest.\n\n"
        f"With best wishes,\n{sender.display_name or mail.user_name or sender.address}\n"
    )
    outgoing = OutgoingMail(sender.name, (to,), subject or f"Manuscript: {title}", body,
                            attachments=(str(path.absolute()),))  # fmt: skip
    return proposal_for(mail, outgoing)


@skill("send_book", Risk.ACT, triggers=(r"\bsend\b.{0,30}\bbook\b",), carry_out=send_approved)
async def send_book(context: SkillContext, *, to: str) -> SkillResult:
    """Send the book built last to a publisher's email address, as an attachment; sent only
    after the user says yes."""
    mail = context.extras.get("mail")
    if not isinstance(mail, MailService):
        return SkillResult("Mail is not set up, so the book cannot be sent yet.")
    try:
        proposal = book_proposal(context.settings, mail, to)
    except OS1Error as exc:
        return SkillResult(str(exc))
    return SkillResult(f"The book is ready to send to {to}; it is not sent.", proposal)
