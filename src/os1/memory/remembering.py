"""What happens after a turn, off the conversation's hot path: facts extracted (a
correction supersedes the old fact), vectors for what is new, and, in idle time,
reflection."""

from __future__ import annotations

import asyncio
import logging
import threading

from os1.errors import OS1Error
from os1.memory import Memory
from os1.memory.extract import ProposedFact, extract_facts, worth_extracting
from os1.memory.facts import normalised
from os1.memory.indexing import embed_pending
from os1.memory.recall import HitKind
from os1.memory.reflect import ReflectionReport, reflect
from os1.mind.base import Mind
from os1.persona.persona import Persona, PersonaRecords

log = logging.getLogger(__name__)

_KNOWN_FACTS = 8
_FACTS: tuple[HitKind, ...] = ("fact",)


class Remembering:
    def __init__(self, mind: Mind, memory: Memory, persona: Persona, reflect_every: int) -> None:
        self.mind = mind
        self.memory = memory
        self.persona = persona
        self.reflect_every = reflect_every

    async def turn(self, message: str, message_id: int, busy: threading.Event) -> None:
        """After a turn: its facts, then vectors for it and them."""
        if worth_extracting(message):
            try:
                known = [
                    fact
                    for hit in self.memory.recall.search(message, _KNOWN_FACTS, kinds=_FACTS)
                    if (fact := self.memory.facts.get(hit.id)) is not None
                ]
                found = await extract_facts(self.mind, self.persona.user_name, message, known)
                for proposed in found:
                    self.keep(proposed, message_id)
            except OS1Error as exc:
                log.warning("fact extraction skipped: %s", type(exc).__name__)
                log.debug("fact extraction failed", exc_info=exc)
        await self.embed_new(busy)

    def keep(self, fact: ProposedFact, message_id: int) -> None:
        """Store a proposed fact; one that corrects a current fact supersedes it."""
        old = self.memory.facts.get(fact.replaces) if fact.replaces else None
        if (
            old is None
            or not old.current
            or normalised(old.statement) == normalised(fact.statement)
        ):
            self.memory.facts.add(
                fact.statement, fact.about, source_ids=(message_id,), importance=fact.importance
            )
            return
        self.memory.facts.supersede(
            old.id,
            fact.statement,
            f"{self.persona.user_name} corrected it in conversation (m{message_id})",
            source_ids=(message_id,),
        )

    async def load_embedder(self) -> None:
        """Load the embedding model in a worker thread (about a second, once)."""
        if self.memory.embedder is not None:
            await asyncio.to_thread(self.memory.embedder.load)

    async def embed_new(self, busy: threading.Event) -> None:
        """Vectors for what has none yet, in a worker thread; stops when a turn starts.
        Only once the model is loaded: a one-shot `os1 ask` does not pay to load it, and
        what it added is embedded by a later session."""
        model = self.memory.embedder.loaded() if self.memory.embedder else None
        if model is None:
            return
        try:
            await asyncio.to_thread(
                embed_pending, self.memory.recall.vectors, model, stop=busy, batch=16
            )
        except OS1Error as exc:
            log.warning("embedding skipped: %s", type(exc).__name__)

    async def idle(self, busy: threading.Event) -> ReflectionReport | None:
        """In a quiet spell: reflect once enough has been lived since the last time."""
        await self.embed_new(busy)
        reflected = self.memory.reflections.reflected_up_to()
        fresh = [e for e in self.memory.episodes.since(reflected, 200) if e.role == "user"]
        if len(fresh) < self.reflect_every or busy.is_set():
            return None
        records = PersonaRecords(self.memory.store, self.memory.user_id)
        try:
            return await reflect(self.mind, self.memory, records, least=self.reflect_every)
        except OS1Error as exc:
            log.warning("reflection skipped: %s", type(exc).__name__)
            log.debug("reflection failed", exc_info=exc)
            return None
