"""Every signed-in user's companion, over the one shared mind.

The hub is the only place the server gets a Companion from, and it gets it from
`App.companion(handle)` for the authenticated account: no route can ask for another
user's companion, memory or actions, because no route is ever given anything but its
own account. One turn at a time runs per conversation thread.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from os1.app import App
from os1.companion import Companion
from os1.errors import InputError
from os1.events import Event
from os1.memory import Memory
from os1.persona.interview import clean_name
from os1.persona.persona import Persona, PersonaRecords
from os1.persona.setup import set_up
from os1.server.accounts import Account, Accounts
from os1.server.errors import busy
from os1.server.speech import Speech

_THREAD = re.compile(r"^[\w .:-]{1,64}$")


def clean_thread(raw: str | None, default: str = "main") -> str:
    """A conversation thread's name: up to 64 letters, digits, spaces, '.', ':', '-'."""
    if raw is None or raw == "":
        return default
    if not _THREAD.match(raw):
        raise InputError(
            f"{raw[:80]!r} cannot be a thread name.",
            "Use up to 64 letters, digits, spaces, '.', ':' or '-'.",
        )
    return raw


_MAX_LOCKS = 4096


class Hub:
    """Companions per user (most recently used kept), turn locks per thread."""

    def __init__(self, app: App, speech: Speech | None = None, capacity: int = 1024) -> None:
        self.app = app
        self.speech = speech  # push-to-talk: one speech-to-text and voice for all
        self.accounts = Accounts(app.store)
        self._capacity = capacity
        self._users: OrderedDict[int, Companion] = OrderedDict()
        self._turns: dict[tuple[int, str], asyncio.Lock] = {}
        self._retiring: set[asyncio.Task[None]] = set()

    def memory(self, account: Account) -> Memory:
        return Memory(self.app.store, account.user_id)

    def personas(self, account: Account) -> PersonaRecords:
        return PersonaRecords(self.app.store, account.user_id)

    def setup_needed(self, account: Account) -> bool:
        """Whether the page should ask the interview: never answered, or only provisional."""
        persona = self.personas(account).load()
        return persona is None or provisional(persona)

    def companion(self, account: Account) -> Companion:
        """This user's companion. Someone who talks before the interview (an API client,
        say) meets a provisional OS1, set up with the interview's defaults; the page
        still asks the interview, and answering it sets OS1 up properly."""
        companion = self._users.get(account.user_id)
        if companion is not None:
            self._users.move_to_end(account.user_id)
            return companion
        if self.personas(account).load() is None:
            answers = {"name": _name_from(account.handle), "social": "", "mother": ""}
            set_up(answers, self.memory(account), self.personas(account))
        companion = self.app.companion(account.handle, speakers=False, read_ahead=False)
        self._users[account.user_id] = companion
        while len(self._users) > self._capacity:
            self._retire(self._users.popitem(last=False)[1])
        return companion

    def refresh(self, account: Account) -> None:
        """After the persona or memories changed outside a turn: the next turn starts
        from a new companion, so no cached prompt part shows what was forgotten."""
        companion = self._users.pop(account.user_id, None)
        if companion is not None:
            self._retire(companion)

    def turn(self, account: Account, thread: str, wait: bool) -> asyncio.Lock:
        """The lock one turn in `thread` holds; Busy if taken and we should not wait."""
        if len(self._turns) > _MAX_LOCKS:
            self._turns = {k: v for k, v in self._turns.items() if v.locked()}
        lock = self._turns.setdefault((account.user_id, thread), asyncio.Lock())
        if lock.locked() and not wait:
            raise busy()
        return lock

    def _retire(self, companion: Companion) -> None:
        """Let a companion finish remembering in the background before it goes."""
        task = asyncio.get_running_loop().create_task(companion.settle())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def aclose(self) -> None:
        """Wait for every companion's background remembering."""
        for companion in self._users.values():
            await companion.settle()
        self._users.clear()
        while self._retiring:
            await asyncio.gather(*list(self._retiring), return_exceptions=True)


def provisional(persona: Persona) -> bool:
    """Set up without the interview's answers about the user's life."""
    return not persona.answers.get("social") and not persona.answers.get("mother")


def _name_from(handle: str) -> str:
    try:
        return clean_name(re.sub(r"[._-]+", " ", handle).title())
    except InputError:
        return "Friend"


@asynccontextmanager
async def closing(events: AsyncIterator[Event]) -> AsyncIterator[AsyncIterator[Event]]:
    """Close a turn's event stream however the consumer leaves (a client gone mid-reply):
    closing it is what stores the part already said as interrupted."""
    try:
        yield events
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
