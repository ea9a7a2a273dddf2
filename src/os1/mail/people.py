"""Who matters to the user, learned from what they told OS1 and whom they write to.

"My divorce attorney is Sarah Chen" makes Sarah Chen a person who matters (a lawyer);
"Amy is my best friend" does the same for Amy. Mail from them is labelled `people`,
and their known addresses let triage spot someone pretending to be them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from os1.mail.parse import Address

ROLES: dict[str, tuple[str, ...]] = {
    "family": (
        "mother", "mom", "mum", "father", "dad", "sister", "brother", "wife", "husband",
        "son", "daughter", "grandmother", "grandma", "grandfather", "grandpa", "aunt",
        "uncle", "cousin", "niece", "nephew", "ex-wife", "ex-husband", "ex", "partner",
        "girlfriend", "boyfriend", "fiancée", "fiancee", "fiancé", "fiance", "stepmother",
        "stepfather", "goddaughter", "godson", "family",
    ),
    "lawyer": ("lawyer", "attorney", "solicitor", "barrister", "counsel", "paralegal"),
    "friend": ("friend", "buddy", "pal", "bestie", "neighbour", "neighbor", "roommate"),
    "work": (
        "boss", "manager", "colleague", "coworker", "co-worker", "editor", "publisher",
        "agent", "client", "assistant",
    ),
    "health": ("doctor", "therapist", "dentist", "nurse", "physician", "psychiatrist"),
}  # fmt: skip
_ROLE_OF = {word: kind for kind, words in ROLES.items() for word in words}
_ROLE_WORD = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ROLE_OF), key=len, reverse=True)) + r")s?\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b([A-Z][a-z\u00c0-\u024f'’-]+(?:\s+[A-Z][a-z\u00c0-\u024f'’-]+){0,2})\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_COMMON_WORDS = (
    "I I'm I've My Me We Our She He Her His They Their It The A An And But So On In At "
    "To For Of From With This That These Those Today Tomorrow Yesterday Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Mom Mum Dad Ex Is Was Has About Also "
    "Always Yes No Maybe When Then There Here What Why How Who Just Really Please Thanks "
    "Dear Hi Hello Oh Well Sometimes Every Last Next"
)
_NOT_NAMES = frozenset(_COMMON_WORDS.split())
_SIGNED = re.compile(
    r"\b(attorney(?:s)? at law|law (?:office|firm|group)s?|esq\.?|solicitors?|legal counsel)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # the word the user used: "attorney", "sister", "friend"
    kind: str  # family, lawyer, friend, work, health
    addresses: frozenset[str] = frozenset()
    said: str = ""  # what the user said, for the reason

    def describe(self) -> str:
        return f"{self.name}, your {self.role}"


@dataclass
class People:
    """The people who matter, and every address the user has written to."""

    known: list[Person] = field(default_factory=list)
    written_to: set[str] = field(default_factory=set)
    own: set[str] = field(default_factory=set)

    def match(self, sender: Address) -> Person | None:
        """The person who matters this sender is (by address, else by name)."""
        for person in self.known:
            if sender.addr and sender.addr in person.addresses:
                return person
        shown = _words(sender.name) | _words(sender.addr.split("@")[0].replace(".", " "))
        best: Person | None = None
        for person in self.known:
            parts = _words(person.name)
            if parts and parts <= shown and (best is None or len(parts) > len(_words(best.name))):
                best = person
        return best

    @cached_property
    def domains(self) -> frozenset[str]:
        """Domains the user trusts: their own, and those of people they know."""
        found = {a.rsplit("@", 1)[-1] for p in self.known for a in p.addresses}
        found |= {a.rsplit("@", 1)[-1] for a in self.written_to | self.own}
        return frozenset(d for d in found if d)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z\u00c0-\u024f]+", text.lower()) if len(w) > 1}


def people_from_facts(statements: list[str]) -> list[Person]:
    """People named beside a relationship word in the user's own statements."""
    found: dict[str, Person] = {}
    for statement in statements:
        role = _ROLE_WORD.search(statement)
        if role is None:
            continue
        word = role.group(1).lower()
        names = [
            (abs(m.start() - role.start()), m.group(1))
            for m in _NAME.finditer(statement)
            if re.sub(r"['’]s$", "", m.group(1).split()[0]) not in _NOT_NAMES
            and m.group(1).lower() not in _ROLE_OF
        ]
        if not names:
            continue
        name = min(names)[1]  # the name closest to the relationship word
        addresses = frozenset(a.lower() for a in _EMAIL.findall(statement))
        earlier = found.get(name)
        if earlier is not None:
            addresses |= earlier.addresses
        found[name] = Person(name, word, _ROLE_OF[word], addresses, statement[:160])
    return list(found.values())


def signs_as_lawyer(body: str) -> bool:
    """Whether a mail's closing lines say it comes from a lawyer."""
    return bool(_SIGNED.search(body[-1500:]))
