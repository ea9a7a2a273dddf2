"""The composition root: the only place that picks concrete classes.

Everything else receives its collaborators, which is what lets the tests swap the
language model for a scripted one and the data directory for a temporary one.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from os1.companion import Companion
from os1.errors import ConfigError
from os1.memory import Memory, Store
from os1.memory.embedding import LazyEmbedder

if TYPE_CHECKING:
    from os1.memory.embedding import MiniLM
from os1.memory.store import LOCAL_USER
from os1.mind.base import Mind
from os1.persona.persona import Persona, PersonaRecords
from os1.settings import Settings
from os1.skills import SkillContext, Skills

if TYPE_CHECKING:
    from os1.letters.service import LetterService
    from os1.mail.service import MailService
    from os1.server.speech import Speech


def build_mind(settings: Settings) -> Mind:
    """A remote engine when a base URL is configured, else the packaged local model."""
    if settings.uses_remote:
        from os1.mind.openai_compat import OpenAICompatMind

        return OpenAICompatMind(settings.base_url, settings.api_key, settings.remote_model)
    from os1.mind.assemble import resolve_model
    from os1.mind.llamacpp import LlamaConfig, LlamaCppMind

    model = resolve_model(settings.model, settings.model_cache_dir)
    return LlamaCppMind(
        LlamaConfig(
            path=model.path,
            name=model.name,
            title=model.title,
            threads=settings.threads,
            context_tokens=settings.context_tokens,
            slots=settings.parallel_slots,
            prompt_cache_dir=settings.model_cache_dir / "prompts",
            notices=model.notices,
        )
    )


class App:
    """Builds OS1's parts once, lazily, from settings (or from parts given to it)."""

    def __init__(self, settings: Settings, mind: Mind | None = None) -> None:
        self.settings = settings
        self._mind = mind

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.db_path)

    @property
    def mind(self) -> Mind:
        if self._mind is None:
            self._mind = build_mind(self.settings)
        return self._mind

    @cached_property
    def embedder(self) -> LazyEmbedder:
        """The packaged embedding model, loaded on first need and shared by every user."""

        def load() -> MiniLM:
            from os1.memory.embedding import MiniLM

            return MiniLM(threads=min(2, self.settings.threads))

        return LazyEmbedder(load)

    def memory(self, handle: str = LOCAL_USER) -> Memory:
        return Memory(self.store, self.store.user_id(handle), self.embedder)

    def personas(self, handle: str = LOCAL_USER) -> PersonaRecords:
        return PersonaRecords(self.store, self.store.user_id(handle))

    def persona(self, handle: str = LOCAL_USER) -> Persona | None:
        return self.personas(handle).load()

    @cached_property
    def skills(self) -> Skills:
        """Every skill OS1 can use in conversation."""
        from os1.skills.forget import forget
        from os1.skills.letters import draft_letter, proofread, send_book
        from os1.skills.mail import check_mail, read_mail, reply_mail, send_mail
        from os1.skills.music import compose_music, play_music, song_lyrics
        from os1.skills.tidy.skill import tidy, tidy_undo

        mail = [read_mail, check_mail, reply_mail, send_mail]
        music = [compose_music, play_music, song_lyrics]
        letters = [proofread, draft_letter, send_book]
        return Skills([forget, tidy, tidy_undo, *mail, *music, *letters])

    def mail(self, handle: str = LOCAL_USER) -> MailService:
        """The user's mail: accounts, sync, import, triage, replies."""
        from os1.mail.service import MailService

        persona = self.persona(handle)
        return MailService(self.settings, self.memory(handle), persona.user_name if persona else "")

    @cached_property
    def speech(self) -> Speech | None:
        """Speech-to-text and a voice for the web page's push-to-talk (os1.server.speech).
        None until the voice package (os1.voice, issue 4) is wired in here: the page then
        hides its talk button, and a clip gets a one-line answer."""
        return None

    def letters(self, handle: str = LOCAL_USER) -> LetterService:
        """Proofreading, the letter archive, ghostwriting, handwriting and the book."""
        from os1.letters.service import LetterService

        persona = self.persona(handle)
        return LetterService(
            self.settings,
            self.store,
            self.store.user_id(handle),
            persona.user_name if persona else "",
        )

    def companion(self, handle: str = LOCAL_USER) -> Companion:
        persona = self.persona(handle)
        if persona is None:
            raise ConfigError("OS1 has not been set up yet.", "Run `os1 setup` first.")
        memory = self.memory(handle)
        return Companion(
            self.mind,
            memory,
            persona,
            crisis_country=self.settings.crisis_country,
            skills=self.skills,
            skill_context=SkillContext(
                self.settings,
                memory,
                self.mind,
                extras={"mail": self.mail(handle), "letters": self.letters(handle)},
            ),
        )

    async def aclose(self) -> None:
        if self._mind is not None:
            await self._mind.aclose()
        if "store" in self.__dict__:
            self.store.close()
