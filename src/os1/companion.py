"""Companion.reply(): recall -> prompt -> stream -> remember, for one user.

The terminal, the web page, voice and the API all call `reply()` and render the
events it yields; none of them holds conversation logic of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from os1 import care
from os1.errors import InputError, OS1Error, StorageError
from os1.events import ConfirmationNeeded, Done, Event, Failed, Notice, TextDelta, ToolCall
from os1.memory import Memory
from os1.memory.busy import Busy
from os1.memory.episodes import Episode
from os1.memory.extract import tells_something
from os1.memory.questions import asked_to_remember, never_told
from os1.memory.recall import HitKind, Recollection
from os1.memory.reflections import CORE_LABELS
from os1.memory.remembering import Remembering
from os1.mind.base import GenerationOptions, Message, Mind
from os1.persona.acknowledgement import acknowledgement
from os1.persona.guard import VoiceGuard
from os1.persona.persona import Persona
from os1.persona.prompt import (
    NOTHING_RECALLED,
    memory_note,
    profile_note,
    stable_prefix,
    user_turn,
)
from os1.skills import Skills
from os1.skills.actions import Actions, answer_to_proposal
from os1.skills.base import Risk, SkillContext
from os1.skills.router import Choice, route
from os1.text import clean_message, for_model

log = logging.getLogger(__name__)

CHAT_OPTIONS = GenerationOptions(
    max_tokens=320, temperature=0.4, top_p=0.9, min_p=0.05, dry_multiplier=0.8
)
_PROFILE_FACTS = 30
_RECALL = 3
# A memory line costs the model about half a second to read, so one found by meaning
# alone must be near. With MiniLM, ten questions beside the memory that answers them
# ("Am I allergic to anything?" / "Peanuts make me break out in hives.") scored 0.21 to
# 0.64, most from 0.36; unrelated small talk ("Goodnight." / "Hi. I'm home.") 0.30 to
# 0.33. Recall's own floor (0.15, for searching) let three such lines into every turn.
_MEMORY_LINE_NEAR = 0.35
_NO_REPEAT = 12  # replies whose sentences are not said again
# The user's last turns, just above in the prompt: a statement gets no memory line for them.
_JUST_SAID = 6
# Passages from what OS1 read join a turn's memory lines only when the user talks of reading.
_ABOUT_READING = re.compile(
    r"\b(books?|read(ing)?|chapters?|letters?|articles?|documents?|stor(y|ies)|poems?|pages?|"
    r"novels?|wrote|written|files?|mail|notes?)\b",
    re.IGNORECASE,
)
_QUIET_FALLBACK = "I'm here. Tell me a little more?"


@dataclass(frozen=True)
class _Turn:
    """A prepared turn: the prompt, its memory note, and the ids the note quotes."""

    prompt: list[Message]
    note: str
    note_meta: dict[str, Any]
    opening: str  # words OS1 says first, that the model then continues ('' usually)
    reply_meta: dict[str, Any]  # stored with the reply (a proposal waiting for a yes)
    recent_replies: tuple[str, ...]  # what OS1 said lately, so it does not say it again
    message: str  # the user's words this turn
    acknowledged: str = ""  # the spoken reply's first word ("Oh."), when it is the opening


class Companion:
    """One user's OS1: their persona and memory, over a shared mind."""

    def __init__(
        self,
        mind: Mind,
        memory: Memory,
        persona: Persona,
        *,
        crisis_country: str = "",
        clock: Callable[[], datetime] = datetime.now,
        history_budget: int = 12_000,
        first_history: int = 2_500,
        skills: Skills | None = None,
        skill_context: SkillContext | None = None,
        reflect_after_idle: float | None = 90.0,
        reflect_every: int = 10,
        read_ahead: bool = True,
    ) -> None:
        self.mind = mind
        self.memory = memory
        self.persona = persona
        self.skills = skills or Skills()
        self._skill_context = skill_context
        self.actions = Actions(memory.store, memory.user_id)
        self._prefix = stable_prefix(persona)  # the same for every prompt of this companion
        self._country = crisis_country
        self._clock = clock
        self._budget = history_budget  # characters of earlier turns kept in the prompt
        self._first_history = first_history  # ...when a session starts cold
        self._window: dict[int, int] = {}  # thread id -> first message id in the prompt
        self._profile: dict[int, tuple[Message, frozenset[int]]] = {}
        self._background: set[asyncio.Task[None]] = set()
        self._reflect_idle = reflect_after_idle  # seconds of quiet before reflecting
        self._remembering = Remembering(mind, memory, persona, reflect_every)
        self._idle: asyncio.Task[None] | None = None
        self.busy = Busy()  # while a turn runs (or a voice session hears one): idle work stops
        self._read_ahead = read_ahead  # read the next turn's likely start after each reply

    async def reply(
        self, text: str, thread: str = "main", *, acknowledge: bool = False
    ) -> AsyncIterator[Event]:
        """Answer one message, streaming events; the turn is stored as it happens. With
        `acknowledge` (a reply to be spoken) it may open with a small word of our own
        ("Oh.", see persona/acknowledgement.py), said before the model's first token."""
        self.busy.turn.set()  # idle work (reflection, embedding) yields to the conversation
        if self._idle is not None:
            self._idle.cancel()
        try:  # aclosing: closing reply() closes the turn at once (see _turn)
            async with contextlib.aclosing(self._turn(text, thread, acknowledge)) as turn:
                async for event in turn:
                    yield event
        finally:
            self.busy.turn.clear()
            self._schedule_idle()

    async def _turn(
        self, text: str, thread: str, acknowledge: bool = False
    ) -> AsyncGenerator[Event, None]:
        try:
            message, notice = clean_message(text)
            signal = care.detect(message)
            thread_id = self.memory.episodes.thread(thread)
        except OS1Error as exc:
            yield Failed(exc)
            return
        if notice:
            yield Notice(notice)
        skill_notes: list[str] = []
        reply_meta: dict[str, Any] = {}
        async for event in self._use_skills(thread_id, message, skill_notes, reply_meta):
            yield event
        try:
            turn = self._prepare(thread_id, message, signal, skill_notes, reply_meta)
            if acknowledge and not turn.opening and (word := acknowledgement(message)):
                prompt = [*turn.prompt, Message("assistant", word)]
                turn = replace(turn, prompt=prompt, opening=word, acknowledged=word)
            self.memory.episodes.add(thread_id, "context", turn.note, meta=turn.note_meta)
            user_id = self.memory.episodes.add(thread_id, "user", message)
        except OS1Error as exc:
            yield Failed(exc)
            return
        # aclosing: closing reply() closes _answer at once, which stores what was said.
        async with contextlib.aclosing(self._answer(thread_id, turn, signal)) as answer:
            async for event in answer:
                yield event
                if isinstance(event, Done):
                    self._spawn(self._after_turn(thread_id, message, user_id))

    async def _answer(
        self, thread_id: int, turn: _Turn, signal: care.CareSignal | None
    ) -> AsyncGenerator[Event, None]:
        guard = VoiceGuard(
            turn.opening,
            own_name=self.persona.name,
            user_name=self.persona.user_name,
            said_before=turn.recent_replies,
            user_said=turn.message,
            acknowledged=turn.acknowledged,
        )
        added = ""  # what OS1 says beyond the model: a fallback line, real help
        finished = False
        options = replace(
            CHAT_OPTIONS,
            cache_key=f"thread:{thread_id}",
            stable_prefix=len(self._prefix),
        )
        try:
            if turn.opening:
                yield TextDelta(guard.emitted, ours=True)
            async for piece in self.mind.stream(turn.prompt, options):
                if shown := guard.feed(piece):
                    yield TextDelta(shown)
            if tail := guard.finish():
                yield TextDelta(tail)
            if guard.emitted.strip() in ("", turn.acknowledged):  # the model said nothing
                added = _QUIET_FALLBACK
            if signal and (follow := signal.follow_up(guard.emitted)):
                added += follow if guard.emitted.endswith(" ") else " " + follow
            if signal and (help_text := signal.resources(self._country)):
                added = added.rstrip() + "\n\n" + help_text
            if added:
                yield TextDelta(added)
            finished = True
        except OS1Error as exc:
            yield Failed(exc)
        finally:
            said = (guard.emitted + added).strip()
            reply_id = self._store_reply(thread_id, said, not finished, turn.reply_meta)
        if finished:
            yield Done(reply_id, said)

    def _store_reply(
        self, thread_id: int, text: str, interrupted: bool, meta: dict[str, Any]
    ) -> int:
        """Keep what was actually said, even when the reply was cut off."""
        if interrupted and not text:
            return 0
        try:
            return self.memory.episodes.add(
                thread_id, "assistant", text, interrupted=interrupted, meta=meta
            )
        except StorageError:
            log.warning("could not store a reply: the data directory refused the write")
            return 0

    def heard(self, text: str, thread: str = "main") -> None:
        """Record that the user heard only `text` of OS1's last reply in `thread`.

        Voice calls this after the user spoke over OS1 (and the reply's generator was
        closed): memory then holds what was actually heard, marked interrupted, and the
        full written reply stays in its meta. Nothing happens if the reply was never
        stored (the user spoke before OS1 had said anything)."""
        thread_id = self.memory.episodes.thread(thread)
        spoken = [e for e in self.memory.episodes.recent(thread_id, limit=3) if e.role != "context"]
        if spoken and spoken[-1].role == "assistant":
            self.memory.episodes.mark_heard(spoken[-1].id, text.strip())

    async def warm_up(self, thread: str = "main") -> None:
        """Read the persona, profile and recent turns into the engine's cache now, while
        the user is still typing, so the first reply starts fast."""
        self._spawn(self._remembering.load_embedder())  # vectors join recall once loaded
        await self._read_next_turn(self.memory.episodes.thread(thread))

    async def _after_turn(self, thread_id: int, message: str, user_id: int) -> None:
        if self._read_ahead:
            try:
                await self._read_next_turn(thread_id)
            except OS1Error as exc:  # only speed is lost; the next turn says what failed
                log.debug("reading ahead failed: %s", type(exc).__name__)
        await self._remembering.turn(message, user_id, self.busy)

    async def _read_next_turn(self, thread_id: int) -> None:
        """Have the engine read the next prompt as far as it can be known: everything up
        to the user's words, with the memory line most turns carry (nothing recalled).
        The model reads about 40 tokens a second on 2 cores, so these ~15 tokens, read
        while the user listens or types, are 0.3 s off the next reply's first word; a
        turn that recalls something keeps the part up to its own memory line."""
        history = self._history(thread_id)
        profile, _ = self._profile_for(thread_id)
        ahead = Message("user", user_turn(NOTHING_RECALLED, ""))
        prompt = [*self._prefix, profile, *_as_messages(history), ahead]
        options = replace(
            CHAT_OPTIONS,
            max_tokens=1,
            cache_key=f"thread:{thread_id}",
            stable_prefix=len(self._prefix),
        )
        async for _ in self.mind.stream(prompt, options):
            pass

    # -- the prompt -----------------------------------------------------------------

    def _prepare(
        self,
        thread_id: int,
        message: str,
        signal: care.CareSignal | None,
        skill_notes: list[str],
        reply_meta: dict[str, Any],
    ) -> _Turn:
        history = self._history(thread_id)
        profile, profile_facts = self._profile_for(thread_id)
        # Memories in the recent turns, or quoted by earlier memory lines, are recalled
        # again: a small model answers from this turn's memory line far more reliably
        # than from anything further up, even the turns just before (with them left out,
        # the 1.5B model answered "Where does my sister live now?" with Porto two turns
        # after "Ines moved to Lisbon"). Only the profile's facts are skipped, and for a
        # statement, what the user said just above: it needs no answer from memory, and
        # each line is ~0.5 s of reading before the first word (in the voice benchmark's
        # conversation, 5 of the 8 turns with lines quoted only turns a few lines up).
        shown = {("fact", i) for i in profile_facts}
        kinds: tuple[HitKind, ...] = ("fact", "message")
        if _ABOUT_READING.search(message):
            kinds += ("passage",)
        found = self.memory.recall.search(
            message, _RECALL + 4, kinds=kinds, near_enough=_MEMORY_LINE_NEAR
        )
        worth = found if "?" in message else _not_just_said(found, history)
        hits = _worth_a_line(worth, message, shown)[:_RECALL]
        user = self.persona.user_name
        guidance = signal.guidance(user) if signal else ""
        turns = [h.id for h in hits if h.kind == "message"]
        # A turn whose facts were all corrected since is shown as the correction alone:
        # beside the old words, the small model answered with them ("Porto" 8 of 8 times).
        outdated = self.memory.facts.outdated(turns)
        said = [
            self._recalled(h)
            for h in hits
            if h.kind == "fact" or (h.kind == "message" and h.id not in outdated)
        ]
        read = [_passage(h) for h in hits if h.kind == "passage"]
        changed = self.memory.facts.corrections(turns, [h.id for h in hits if h.kind == "fact"])
        changed += [pair for pairs in outdated.values() for pair in pairs if pair not in changed]
        note = memory_note(user, said, guidance, read, changed[:2])
        if skill_notes:
            note += "\n" + "\n".join(f"[{line}]" for line in skill_notes)
        prompt = [*self._prefix, profile, *_as_messages(history)]
        prompt.append(Message("user", user_turn(note, for_model(message))))
        known = "\n".join([profile.content, *(hit.text for hit in found)])
        opening = _opening(user, message, signal, known)
        if opening:
            prompt.append(Message("assistant", opening))
        meta = {
            "facts": [h.id for h in hits if h.kind == "fact"],
            "messages": [h.id for h in hits if h.kind == "message"],
            "passages": [h.id for h in hits if h.kind == "passage"],
        }
        recent = tuple(e.content for e in history if e.role == "assistant")[-_NO_REPEAT:]
        return _Turn(prompt, note, meta, opening, reply_meta, recent, message)

    # -- skills ---------------------------------------------------------------------

    async def _use_skills(
        self, thread_id: int, message: str, notes: list[str], reply_meta: dict[str, Any]
    ) -> AsyncIterator[Event]:
        """Answer a waiting proposal, or use a skill the user asked for; notes for the model."""
        if self._skill_context is None:
            return
        user = self.persona.user_name
        last = self._last_reply(thread_id)
        waiting = self._waiting_proposal(last)
        decision = answer_to_proposal(message) if waiting else None
        offer = self._waiting_offer(last) if waiting is None else None
        try:
            if offer is not None and answer_to_proposal(message):
                # OS1 offered this itself ("Shall I read it to you?"); the yes is the user's.
                yield ToolCall(offer.skill.name, offer.arguments)
                result = await offer.skill(self._skill_context, offer.arguments)
                notes.append(f"{user} said yes, so you used {offer.skill.name}: {result.text}")
                if result.event is not None:
                    yield result.event
                return
            if waiting is not None and decision is not None:
                skill = self.skills.get(waiting.skill)
                if skill is None:
                    return
                result = await self.actions.decide(waiting.id, decision, skill, self._skill_context)
                verdict = "said yes, and it is done" if decision else "said no"
                notes.append(
                    f"You had asked {user}: {waiting.summary}. {user} {verdict}: {result.text}"
                )
                return
            choice = await route(self.mind, self.skills, user, message)
            if choice is None:
                return
            yield ToolCall(choice.skill.name, choice.arguments)
            result = await choice.skill(self._skill_context, choice.arguments)
        except OS1Error as exc:
            notes.append(f"You tried to do that, but it failed: {exc}")
            return
        if result.event is not None:
            yield result.event
        if result.proposal is None or choice.skill.risk is not Risk.ACT:
            notes.append(f"You used {choice.skill.name}: {result.text}")
            return
        action_id = self.actions.propose(choice.skill, result.proposal, thread_id)
        reply_meta["proposal"] = action_id
        yield ConfirmationNeeded(action_id, result.proposal.summary)
        notes.append(
            f"{result.text} Nothing is done until {user} says yes: in a sentence or "
            "two, say what you would do and ask."
        )

    def _last_reply(self, thread_id: int) -> Episode | None:
        """OS1's last reply in this thread, if it is among the last few rows."""
        last = [e for e in self.memory.episodes.recent(thread_id, limit=3) if e.role == "assistant"]
        return last[-1] if last else None

    def _waiting_offer(self, last: Episode | None) -> Choice | None:
        """A READ skill OS1's last words offered to use (a proactive note's offer)."""
        offer = last.meta.get("offer") if last else None
        if not isinstance(offer, dict):
            return None
        chosen = self.skills.get(str(offer.get("skill")))
        arguments = offer.get("arguments", {})
        if chosen is None or chosen.risk is not Risk.READ or not isinstance(arguments, dict):
            return None
        return Choice(chosen, arguments)

    def _waiting_proposal(self, last: Episode | None) -> Any:
        """The proposal OS1's last reply asked about, if still pending."""
        if last is None or "proposal" not in last.meta:
            return None
        return self.actions.get(int(last.meta["proposal"]))

    async def decide(self, action_id: int, yes: bool) -> str:
        """For interfaces with buttons: carry out or decline a proposal; what happened."""
        pending = self.actions.get(action_id)
        skill = self.skills.get(pending.skill) if pending else None
        if pending is None or skill is None or self._skill_context is None:
            raise InputError(f"There is no pending action {action_id}.")
        result = await self.actions.decide(action_id, yes, skill, self._skill_context)
        return result.text

    def _recalled(self, hit: Recollection) -> tuple[str, str]:
        return _day(hit.when, self._clock()), " ".join(for_model(hit.text, 240).split())

    def _history(self, thread_id: int) -> list[Episode]:
        """Earlier turns kept in the prompt. The window's start only moves in big steps,
        so the cached prompt stays valid for many turns in a row."""
        start = self._window.get(thread_id)
        if start is None:
            rows = _fit(self.memory.episodes.recent(thread_id, limit=24), self._first_history)
        else:
            rows = self.memory.episodes.recent(thread_id, limit=400, after_id=start - 1)
            if _size(rows) > self._budget:
                rows = _fit(rows, self._budget // 2)
                self._profile.pop(thread_id, None)  # the cache breaks here anyway
        self._window[thread_id] = rows[0].id if rows else 0
        return rows

    def _profile_for(self, thread_id: int) -> tuple[Message, frozenset[int]]:
        if thread_id not in self._profile:
            facts = self.memory.facts.current(_PROFILE_FACTS)
            core = {label: self.memory.reflections.core(label) for label in CORE_LABELS}
            note = profile_note(self.persona, [f.statement for f in facts], self._clock(), core)
            self._profile[thread_id] = (note, frozenset(f.id for f in facts))
        return self._profile[thread_id]

    # -- remembering ----------------------------------------------------------------

    def _schedule_idle(self) -> None:
        if self._reflect_idle is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._idle = loop.create_task(self._when_idle(self._reflect_idle))

    async def _when_idle(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await self._drain()
        await self._remembering.idle(self.busy)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def settle(self) -> None:
        """Wait for background remembering to finish (before a one-shot process exits, or
        the companion goes away); the idle timer stops until the next turn."""
        idle, self._idle = self._idle, None
        if idle is not None:  # waiting, or reflecting: either way it ends here
            idle.cancel()
            await asyncio.gather(idle, return_exceptions=True)
        await self._drain()

    async def _drain(self) -> None:
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)


def _as_messages(history: list[Episode]) -> list[Message]:
    """Stored rows as the model saw them: a memory note joins the user turn after it."""
    messages: list[Message] = []
    note = ""
    for episode in history:
        if episode.role == "context":
            note = episode.content
        elif episode.role == "user":
            messages.append(Message("user", user_turn(note, for_model(episode.content))))
            note = ""
        else:
            ending = "\u2026" if episode.interrupted else ""
            messages.append(Message("assistant", for_model(episode.content) + ending))
    return messages


def _opening(user: str, message: str, signal: care.CareSignal | None, known: str) -> str:
    """Our words, not the model's, to open a reply ('' for none): to someone in danger or
    alone, and to a question about something that nothing `known` (the profile, what
    recall found) mentions, which the model would otherwise invent."""
    if signal:
        return signal.opening(user)
    subject = asked_to_remember(message)
    if subject and not re.search(rf"\b{re.escape(subject)}", known, re.IGNORECASE):
        return never_told(subject)
    return ""


def _passage(hit: Recollection) -> tuple[str, str]:
    return Path(hit.source_id).name or "a document", " ".join(for_model(hit.text, 240).split())


def _size(rows: list[Episode]) -> int:
    return sum(len(for_model(r.content)) for r in rows)


def _fit(rows: list[Episode], budget: int) -> list[Episode]:
    """The newest rows within `budget` characters, starting at a memory note."""
    kept: list[Episode] = []
    total = 0
    for row in reversed(rows):
        total += len(for_model(row.content))
        if total > budget:
            break
        kept.append(row)
    kept.reverse()
    while kept and kept[0].role != "context":
        kept.pop(0)
    return kept


def _not_just_said(found: list[Recollection], history: list[Episode]) -> list[Recollection]:
    """`found` without the user's last turns in `history`, nor the facts taken from them."""
    turns = [e.id for e in history if e.role == "user"][-_JUST_SAID:]
    sources = {f"m{i}" for i in turns}
    return [
        h
        for h in found
        if h.source_id not in sources and not (h.kind == "message" and h.id in turns)
    ]


def _worth_a_line(
    found: list[Recollection], message: str, shown: set[tuple[str, int]]
) -> list[Recollection]:
    """The recollections that each tell the model something new, best first. Each line
    costs a small model about half a second on two cores, and the same words again, a
    fact beside the turn it came from, or a past question tell it nothing."""
    said_before = {_same_words(message)}
    kept: list[Recollection] = []
    for hit in found:
        words = _same_words(hit.text)
        if (hit.kind, hit.id) in shown or words in said_before:
            continue
        if hit.kind == "message" and not tells_something(hit.text):
            continue  # a question or a "Goodnight." told OS1 nothing to remember
        said_before.add(words)
        # A fact and the turn it came from share the turn's id ("m12") as their source.
        same_turn = [
            i
            for i, k in enumerate(kept)
            if {k.kind, hit.kind} == {"fact", "message"} and k.source_id == hit.source_id
        ]
        if hit.kind == "fact" and same_turn:
            continue  # its turn is a line already, in the user's own words
        if hit.kind == "message" and same_turn:
            # The turn says every fact taken from it: one line in place of them all.
            kept[same_turn[0]] = hit
            kept = [k for i, k in enumerate(kept) if i not in same_turn[1:]]
            continue
        kept.append(hit)
    return kept


def _same_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _day(stamp: str, now: datetime) -> str:
    try:
        when = datetime.fromisoformat(stamp).astimezone(now.astimezone().tzinfo)
    except ValueError:
        return "before"
    days = (now.astimezone().date() - when.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return when.strftime("on %d %B %Y")
