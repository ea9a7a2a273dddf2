"""LetterService: what the CLI and the skills call for proofreading, letters and the book."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from os1.errors import InputError
from os1.letters.archive import LetterArchive
from os1.letters.book import BookPlan, BuiltBook, book_fonts, build_book, plan_book, save_manifest
from os1.letters.edits import Proofreading
from os1.letters.ghost import draft_letter
from os1.letters.handwriting import Rendered, render_handwriting
from os1.letters.parse import ParsedLetter
from os1.letters.proofread import Mode, Proofreader
from os1.letters.text import clean_letter
from os1.memory.store import Store
from os1.mind.base import Mind
from os1.settings import Settings


@dataclass(frozen=True)
class Draft:
    id: int | None
    client: str
    recipient: str
    text: str


class LetterService:
    def __init__(self, settings: Settings, store: Store, user_id: int, user_name: str) -> None:
        self.settings = settings
        self.archive = LetterArchive(store, user_id)
        self.user_name = user_name

    async def proofread(
        self, mind: Mind | None, text: str, mode: Mode = "combined"
    ) -> Proofreading:
        return await Proofreader(mind, mode).check(text)

    def _person(self, name: str, role: str) -> str:
        wanted = name.strip().casefold()
        everyone = self.archive.people()
        for known in everyone:
            if known.casefold() == wanted:
                return known
        people = ", ".join(everyone[:8]) or "nobody yet"
        raise InputError(
            f"There are no letters {role} {name.strip()!r} in the archive (it knows: {people}).",
            "Check the name, or bring their letters in with `os1 letters import DIR`.",
        )

    async def draft(self, mind: Mind, client: str, recipient: str, purpose: str) -> Draft:
        """A new letter from client to recipient, grounded in their letters; kept as a draft."""
        purpose = " ".join(purpose.split())
        if not purpose:
            raise InputError("Say what the letter is for.", 'For example: "for our anniversary".')
        client, recipient = self._person(client, "from"), self._person(recipient, "to")
        history = self.archive.between(client, recipient)
        if not history:
            raise InputError(
                f"{client} and {recipient} have no letters between them in the archive, so OS1 "
                "has nothing to ground the letter in.",
                "Import some of their letters first.",
            )
        text = clean_letter(await draft_letter(mind, client, recipient, purpose, history))
        kept = self.archive.add(ParsedLetter(client, recipient, "", "", text), kind="draft")
        return Draft(kept, client, recipient, text)

    def render(self, text: str, out: Path, png: bool = True, name: str = "The letter") -> Rendered:
        return render_handwriting(text, out, self.settings.letter_font, png, name)

    def plan_book(self, title: str = "", count: int | None = None) -> BookPlan:
        fonts = book_fonts(self.settings.letter_book_font)
        title = title or self.settings.letter_book_title
        return plan_book(self.archive.letters(), title, self.user_name, count, fonts)

    def build_book(self, plan: BookPlan, out: Path) -> BuiltBook:
        built = build_book(plan, out, book_fonts(self.settings.letter_book_font))
        save_manifest(self.settings.book_manifest_path, plan, built)
        return built
