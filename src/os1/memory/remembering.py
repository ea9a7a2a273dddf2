"""What happens after a turn, off the conversation's hot path: facts extracted (a
correction supersedes the old fact), vectors for what is new, and, in idle time,
reflection."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from os1.errors import OS1Error
from os1.memory import Memory
from os1.memory.busy import Signal
from os1.memory.extract import ProposedFact, extract_facts, tells_something
from os1.memory.facts import Fact, normalised
from os1.memory.indexing import embed_pending
from os1.memory.recall import HitKind, search_terms
from os1.memory.reflect import ReflectionReport, reflect
from os1.mind.base import GenerationOptions, Message, Mind
from os1.mind.structured import generate_json
from os1.persona.persona import Persona, PersonaRecords
from os1.text import KIN

log = logging.getLogger(__name__)

T = TypeVar("T")
_RECHECK = 0.02  # seconds between looks at whether the conversation wants the engine
_LONGEST_WAIT = 300.0  # then the work goes on beside any turn (one never closed, say)

_KNOWN_FACTS = 8
# Words that announce a change: with them, a new fact that restates an old one's subject
# replaces it. (Small models rarely mark the replacement themselves.)
_CHANGE = re.compile(
    r"\b(now|moved|moving|changed?|no longer|any ?more|instead|quit|left|switched|"
    r"actually|new|became|become|turned|these days|not .{0,20} anymore|nowadays)\b",
    re.IGNORECASE,
)


def _stems(text: str) -> set[str]:
    """Content words, cut to five letters: a crude stemming that is enough here."""
    return {w[:5] for w in search_terms(text)}


# What a fact says about its subject, when a change replaces it even in other words
# ("Ines lives in Porto" -> "Ines moved to Lisbon").
_RELATIONS = {
    "home": re.compile(
        r"\b(lives?|lived|living|mov(ed|ing) (to|in|into|back|away|out|house)|based|"
        r"relocat\w*|home)\b",
        re.IGNORECASE,
    ),
    "work": re.compile(
        r"\b(works?|worked|working|job|teach(es|ing)?|employed|career|retrain\w*|hired|"
        r"profession)\b",
        re.IGNORECASE,
    ),
    "partner": re.compile(
        r"\b(dat(es|ing)|married|engaged|divorced|broke up|single|together with)\b",
        re.IGNORECASE,
    ),
}
_NAME = re.compile(r"\b(?!(?:I|My|The|She|He|They|We|It|Our|Her|His)\b)[A-Z][a-z]+\b")


def _claims(statement: str) -> set[tuple[str, str]]:
    """(subject, relation) pairs: the names or kin words before the first relation word
    ("self" when there are none), with each kind of relation the statement speaks of."""
    hits = {r: m for r, p in _RELATIONS.items() if (m := p.search(statement)) is not None}
    if not hits:
        return set()
    before = statement[: min(m.start() for m in hits.values())]
    subjects = {w.lower() for w in _NAME.findall(before) + KIN.findall(before)} or {"self"}
    return {(subject, relation) for subject in subjects for relation in hits}


def restated(statement: str, message: str, known: Sequence[Fact]) -> Fact | None:
    """The known fact that `statement` replaces, when the message speaks of a change and
    the new fact shares most of the old one's content words, or says something of the
    same kind (where they live, their work, their partner) about the same subject."""
    if not _CHANGE.search(message):
        return None
    new = _stems(statement)
    claims = _claims(statement)
    best: tuple[float, Fact] | None = None
    for fact in known:
        old = _stems(fact.statement)
        if not old or old <= new:
            continue
        shared = len(old & new)
        share = shared / len(old) if shared >= min(2, len(old)) else 0.0
        if share < 0.5 and claims & _claims(fact.statement):
            share = 0.4  # the same kind of claim in other words: below a restatement
        if share >= 0.4 and (best is None or share > best[0]):
            best = (share, fact)
    return best[1] if best else None


_NOW_SCHEMA = {"type": "object", "properties": {"now": {"type": "string"}}, "required": ["now"]}


async def corrected_statement(mind: Mind, user: str, old: str, said: str) -> str | None:
    """The old fact rewritten to be true now, in its own words ("My sister Ines lives in
    Porto." -> "My sister Ines lives in Lisbon."); None unless the model kept most of
    the old words and took something new from what was said.

    Asked the same question later, the small model answers from the fact that uses the
    question's words: with the correction stored as "Ines moved to Lisbon last month",
    it answered "Where does my sister live now?" with Porto 8 times of 8."""
    messages = [
        Message(
            "system",
            f"You keep a personal memory for {user}. A fact you remember has changed. "
            "Rewrite the old fact so that it is true now, keeping its words and changing "
            "only what changed. One short sentence.",
        ),
        Message("user", f'Old fact: "{old}"\n{user} just said: "{said[:1000]}"'),
    ]
    options = GenerationOptions(
        max_tokens=60, temperature=0.1, cache_key="background", repeat_penalty=1.0
    )
    try:
        value = await generate_json(mind, messages, _NOW_SCHEMA, options)
    except OS1Error:
        return None
    now = " ".join(str(value["now"]).split())
    before, after, told = _stems(old), _stems(now), _stems(said)
    keeps_its_words = len(before & after) * 2 >= len(before)
    takes_the_news = bool((after - before) & told)
    if 3 <= len(now) <= 300 and keeps_its_words and takes_the_news:
        return now
    return None


_FACTS: tuple[HitKind, ...] = ("fact",)


async def giving_way(work: Callable[[], Awaitable[T]], busy: Signal) -> T:
    """Background model work that leaves the engine to the conversation: when a turn
    starts or a voice session hears the user (`busy`), its request is dropped, and it
    starts again once the turn is over (its prompt is still in the engine's cache, so
    only the answer is made twice).
    The engine would otherwise serve both at once, and a voice reply's tokens came
    about half as fast beside a fact extraction still writing."""
    deadline = time.monotonic() + _LONGEST_WAIT

    def wanted() -> bool:  # the engine, by the conversation
        return busy.is_set() and time.monotonic() < deadline

    while True:
        while wanted():
            await asyncio.sleep(_RECHECK)
        task = asyncio.ensure_future(work())
        while not task.done() and not wanted():
            await asyncio.wait({task}, timeout=_RECHECK)
        if task.done():
            return task.result()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class Remembering:
    def __init__(self, mind: Mind, memory: Memory, persona: Persona, reflect_every: int) -> None:
        self.mind = mind
        self.memory = memory
        self.persona = persona
        self.reflect_every = reflect_every
        self._extracting = False

    async def turn(self, message: str, message_id: int, busy: Signal) -> None:
        """After a turn: its facts, then vectors for it and them."""
        if tells_something(message):
            # One extraction at a time: each gives way to turns and starts again after
            # them, and several restarting together kept the engine from the next turn
            # (eight were queued at once in a 20-turn benchmark). A flag, not an
            # asyncio.Lock: a companion can outlive one event loop (the tests do).
            while self._extracting:
                await asyncio.sleep(_RECHECK)
            self._extracting = True
            try:
                await self._extract(message, message_id, busy)
            finally:
                self._extracting = False
        await self.embed_new(busy)

    async def _extract(self, message: str, message_id: int, busy: Signal) -> None:
        try:
            known = [
                fact
                for hit in self.memory.recall.search(message, _KNOWN_FACTS, kinds=_FACTS)
                if (fact := self.memory.facts.get(hit.id)) is not None
            ]
            user = self.persona.user_name
            found = await giving_way(lambda: extract_facts(self.mind, user, message, known), busy)
            for proposed in found:
                await self.keep(proposed, message_id, message, known)
        except OS1Error as exc:
            log.warning("fact extraction skipped: %s", type(exc).__name__)
            log.debug("fact extraction failed", exc_info=exc)

    async def keep(
        self, fact: ProposedFact, message_id: int, message: str = "", known: Sequence[Fact] = ()
    ) -> None:
        """Store a proposed fact; one that corrects a current fact supersedes it (the model
        said so, or the message speaks of a change and the fact restates an old one) with
        the old fact rewritten to be true now, and is kept beside it when it says more."""
        old = self.memory.facts.get(fact.replaces) if fact.replaces else None
        if old is None and message:
            old = restated(fact.statement, message, known)
        if (
            old is None
            or not old.current
            or normalised(old.statement) == normalised(fact.statement)
        ):
            self.memory.facts.add(
                fact.statement, fact.about, source_ids=(message_id,), importance=fact.importance
            )
            return
        user = self.persona.user_name
        now = await corrected_statement(self.mind, user, old.statement, message or fact.statement)
        self.memory.facts.supersede(
            old.id,
            now or fact.statement,
            f"{user} corrected it in conversation (m{message_id})",
            source_ids=(message_id,),
        )
        if now is not None and normalised(now) != normalised(fact.statement):
            self.memory.facts.add(
                fact.statement, fact.about, source_ids=(message_id,), importance=fact.importance
            )

    async def load_embedder(self) -> None:
        """Load the embedding model in a worker thread (about a second, once)."""
        if self.memory.embedder is not None:
            await asyncio.to_thread(self.memory.embedder.load)

    async def embed_new(self, busy: Signal) -> None:
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

    async def idle(self, busy: Signal) -> ReflectionReport | None:
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
