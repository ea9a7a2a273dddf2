"""The composition root: the only place that picks concrete classes.

Everything else receives its collaborators, which is what lets the tests swap the
language model for a scripted one and the data directory for a temporary one.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from os1.companion import Companion
from os1.errors import ConfigError, ModelUnavailable
from os1.memory import Memory, Store
from os1.memory.embedding import LazyEmbedder
from os1.memory.store import LOCAL_USER
from os1.mind.base import Mind
from os1.persona.persona import Persona, PersonaRecords
from os1.settings import Settings
from os1.skills import SkillContext, Skills

if TYPE_CHECKING:
    from os1.letters.service import LetterService
    from os1.mail.service import MailService
    from os1.memory.embedding import MiniLM
    from os1.mind.llamacpp import LlamaConfig
    from os1.server.speech import Speech
    from os1.voice.clips import ClipSpeech
    from os1.voice.session import VoiceParts
    from os1.voice.stt import WhisperTranscriber
    from os1.voice.tts import Synthesizer


def build_mind(settings: Settings) -> Mind:
    """A remote engine when a base URL is configured, else the packaged local model."""
    if settings.uses_remote:
        from os1.mind.openai_compat import OpenAICompatMind

        return OpenAICompatMind(settings.base_url, settings.api_key, settings.remote_model)
    from os1.mind.llamacpp import LlamaCppMind

    return LlamaCppMind(llama_config(settings))


def llama_config(settings: Settings) -> LlamaConfig:
    """The local engine's configuration (resolving the model prepares its file once).
    Benchmarks `replace()` a field or two: no prompt cache, more slots."""
    from os1.mind.assemble import resolve_model
    from os1.mind.llamacpp import LlamaConfig

    model = resolve_model(settings.model, settings.model_cache_dir)
    return LlamaConfig(
        path=model.path,
        name=model.name,
        title=model.title,
        threads=settings.threads,
        context_tokens=settings.context_tokens,
        slots=settings.parallel_slots,
        prompt_cache_dir=settings.model_cache_dir / "prompts",
        notices=model.notices,
    )


def build_voice(settings: Settings, persona_voice: str) -> VoiceParts:
    """Speech-to-text and text-to-speech for a spoken conversation.

    Only one neural voice ships (Piper's joe, a man's voice), so `auto` speaks with it
    whatever the persona's voice, and says so; `espeak` gives the robotic fallback in
    the persona's register (female, male or neutral)."""
    from os1.voice.session import VoiceParts

    synthesizer, notices = _synthesizer(settings, persona_voice)
    return VoiceParts(_transcriber(settings), synthesizer, notices=tuple(notices))


def build_clip_speech(settings: Settings) -> ClipSpeech:
    """Whole recorded clips in, spoken sentences out (the web page's push-to-talk):
    one Whisper and one Piper for every user; espeak-ng in each persona's register."""
    from os1.voice.clips import ClipSpeech

    piper: list[Synthesizer] = []  # once made, the one voice for every persona

    def voice(persona_voice: str) -> Synthesizer:
        if piper:
            return piper[0]
        synthesizer, _ = _synthesizer(settings, persona_voice)
        if synthesizer.name != "espeak-ng":
            piper.append(synthesizer)
        return synthesizer

    return ClipSpeech(lambda: _transcriber(settings), voice)


def _transcriber(settings: Settings) -> WhisperTranscriber:
    from os1.voice.models import whisper_dir
    from os1.voice.stt import WhisperTranscriber

    folder = whisper_dir(settings.stt_model, settings.model_cache_dir)
    return WhisperTranscriber(folder, settings.threads, f"whisper-{settings.stt_model}")


def _synthesizer(settings: Settings, persona_voice: str) -> tuple[Synthesizer, list[str]]:
    from os1.voice.models import piper_voice_files
    from os1.voice.tts import EspeakSynthesizer, PiperSynthesizer

    if settings.tts == "espeak":
        return EspeakSynthesizer(persona_voice), []
    try:
        piper = PiperSynthesizer(*piper_voice_files(settings.model_cache_dir), threads=1)
    except ModelUnavailable as exc:
        if settings.tts == "piper":
            raise
        return EspeakSynthesizer(persona_voice), [f"{exc} Speaking with espeak-ng for now."]
    if persona_voice != "female":
        return piper, []
    return piper, [
        "Only a man's voice (Piper's joe) ships with OS1 for now, so I'll use it; "
        "OS1_TTS=espeak gives a robotic woman's voice."
    ]


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
        """Speech-to-text and a voice for the web page's push-to-talk (os1.server.speech):
        Whisper and Piper (os1.voice), loaded when the server starts."""
        return build_clip_speech(self.settings)

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

    def companion(
        self, handle: str = LOCAL_USER, *, speakers: bool = True, read_ahead: bool = True
    ) -> Companion:
        """The user's companion; `speakers` False where the user is not at this machine
        (the web page), so music plays where they are instead; `read_ahead` False where
        no next turn follows (one question, one file) or many conversations share the
        engine, which would spend its time reading ahead for turns whose cached prompts
        another conversation evicts first."""
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
            read_ahead=read_ahead,
            skill_context=SkillContext(
                self.settings,
                memory,
                self.mind,
                extras={
                    "mail": self.mail(handle),
                    "letters": self.letters(handle),
                    "speakers": speakers,
                },
            ),
        )

    async def aclose(self) -> None:
        if self._mind is not None:
            await self._mind.aclose()
        if "store" in self.__dict__:
            self.store.close()
