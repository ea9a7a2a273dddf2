"""Setting OS1 up from interview answers: persona, name, and the first memories."""

from __future__ import annotations

from dataclasses import dataclass

from os1.memory import Memory
from os1.persona.interview import configure
from os1.persona.naming import NameChoice
from os1.persona.persona import Persona, PersonaRecords
from os1.persona.traits import describe


@dataclass(frozen=True)
class SetupResult:
    persona: Persona
    choice: NameChoice
    sentence: str  # the persona in one warm sentence

    def lines(self) -> list[str]:
        return [self.sentence, self.choice.announcement()]


def _interview_facts(persona: Persona) -> list[tuple[str, str]]:
    """(stable opening, fact) pairs; a redone interview supersedes by opening."""
    answers = persona.answers
    # Facts are kept in the user's own first-person words (see os1.persona.prompt).
    openings = {"social": "About whether I'm social", "mother": "About my mother"}
    return [
        (opening, f"{opening}: {answers[key]}")
        for key, opening in openings.items()
        if answers.get(key)
    ]


def set_up(answers: dict[str, str], memory: Memory, records: PersonaRecords) -> SetupResult:
    """Configure the persona from the answers and remember what the interview taught."""
    persona, choice = configure(answers)
    cause = "interview redone" if records.load() else "first interview"
    records.save(persona, cause)
    current = memory.facts.current()
    for opening, statement in _interview_facts(persona):
        old = next((f for f in current if f.statement.startswith(opening)), None)
        if old is None:
            memory.facts.add(statement, "user", importance=4, cause=cause)
        elif old.statement != statement:
            memory.facts.supersede(old.id, statement, cause)
    return SetupResult(persona, choice, describe(persona.traits, persona.user_name))
