"""Who OS1 is for one user: its name and why, its traits, and the interview behind them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from os1.memory.store import Store, now_iso
from os1.persona.traits import Traits


@dataclass(frozen=True)
class Persona:
    user_name: str
    name: str
    name_meaning: str
    name_origin: str
    name_reason: str
    voice: str
    traits: Traits
    answers: dict[str, str] = field(default_factory=dict)
    created_at: str = ""

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Persona:
        data: dict[str, Any] = json.loads(text)
        known = {f.name for f in fields(Traits)}
        traits = Traits(**{k: v for k, v in data.pop("traits", {}).items() if k in known})
        own = {f.name for f in fields(cls)}
        return cls(traits=traits, **{k: v for k, v in data.items() if k in own})


class PersonaRecords:
    """The persona row of one user, and every earlier version of it."""

    def __init__(self, store: Store, user_id: int) -> None:
        self._store = store
        self._user = user_id

    def load(self) -> Persona | None:
        rows = self._store.query("SELECT data FROM personas WHERE user_id = ?", (self._user,))
        return Persona.from_json(rows[0]["data"]) if rows else None

    def save(self, persona: Persona, cause: str) -> None:
        data = persona.to_json()
        stamp = now_iso()
        with self._store.write() as db:
            db.execute(
                "INSERT INTO personas (user_id, data, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data,"
                " updated_at = excluded.updated_at",
                (self._user, data, stamp),
            )
            db.execute(
                "INSERT INTO persona_history (user_id, data, cause, created_at)"
                " VALUES (?, ?, ?, ?)",
                (self._user, data, cause, stamp),
            )

    def history(self) -> list[tuple[str, str, Persona]]:
        """(when, cause, persona) for every saved version, oldest first."""
        rows = self._store.query(
            "SELECT data, cause, created_at FROM persona_history WHERE user_id = ? ORDER BY id",
            (self._user,),
        )
        return [(r["created_at"], r["cause"], Persona.from_json(r["data"])) for r in rows]
