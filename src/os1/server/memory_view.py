"""What OS1 remembers, as the page shows it, and the user's corrections and forgetting.

Every lookup goes through the user's own `Memory`, whose queries are scoped to their
user id: an id that belongs to someone else is simply not found.
"""

from __future__ import annotations

from os1 import audit
from os1.errors import InputError
from os1.memory import Memory
from os1.memory.episodes import Episode
from os1.memory.facts import Fact
from os1.server.errors import NotFound
from os1.server.schemas import FactView, MemoryView, TurnView

_CORRECTED = "corrected by the user"
_FORGOTTEN = "the user asked to forget it"


def fact_view(fact: Fact) -> FactView:
    return FactView(id=fact.id, about=fact.about, statement=fact.statement, since=fact.valid_from)


def turn_view(episode: Episode) -> TurnView:
    return TurnView(
        id=episode.id,
        role=episode.role,
        text=episode.content,
        when=episode.created_at,
        interrupted=episode.interrupted,
        thread=episode.thread_id,
    )


def view(memory: Memory, facts: int, turns: int) -> MemoryView:
    return MemoryView(
        facts=[fact_view(f) for f in memory.facts.current(facts)],
        turns=[turn_view(e) for e in memory.episodes.listing(turns)],
    )


def _fact(memory: Memory, fact_id: int) -> Fact:
    fact = memory.facts.get(fact_id)
    if fact is None or not fact.current:
        raise NotFound(f"There is no memory f{fact_id}.", "Reload the memory view.")
    return fact


def correct(memory: Memory, fact_id: int, statement: str) -> FactView:
    """Replace a fact with the user's wording; the old one stays in the history."""
    _fact(memory, fact_id)
    text = " ".join(statement.split())
    if not text:
        raise InputError("A memory needs some words.", "Type what I should remember instead.")
    new_id = memory.facts.supersede(fact_id, text, _CORRECTED)
    fact = memory.facts.get(new_id or 0)
    if fact is None:
        raise NotFound(f"There is no memory f{fact_id}.", "Reload the memory view.")
    return fact_view(fact)


def forget_fact(memory: Memory, fact_id: int) -> str:
    _fact(memory, fact_id)
    memory.facts.forget(fact_id, _FORGOTTEN)
    audit.record(memory.store, memory.user_id, "memory.forget", f"f{fact_id}", "done")
    return f"f{fact_id}"


def forget_turn(memory: Memory, message_id: int) -> str:
    episode = memory.episodes.get(message_id)
    if episode is None or episode.role == "context":
        raise NotFound(f"There is no memory m{message_id}.", "Reload the memory view.")
    memory.episodes.forget(message_id, _FORGOTTEN)
    audit.record(memory.store, memory.user_id, "memory.forget", f"m{message_id}", "done")
    return f"m{message_id}"
