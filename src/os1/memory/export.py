"""Everything OS1 remembers about one user, as one JSON document they can keep."""

from __future__ import annotations

import json
from typing import Any

from os1 import __version__
from os1.memory.store import Store, now_iso

_TABLES = {
    "facts": "SELECT * FROM facts WHERE user_id = ? ORDER BY id",
    "messages": "SELECT * FROM messages WHERE user_id = ? ORDER BY id",
    "threads": "SELECT * FROM threads WHERE user_id = ? ORDER BY id",
    "memory_history": "SELECT * FROM memory_history WHERE user_id = ? ORDER BY id",
    "core_blocks": "SELECT * FROM core_blocks WHERE user_id = ? ORDER BY label",
    "persona_history": "SELECT * FROM persona_history WHERE user_id = ? ORDER BY id",
    "audit_log": "SELECT * FROM audit_log WHERE user_id = ? ORDER BY id",
    "documents": "SELECT * FROM documents WHERE user_id = ? ORDER BY id",
    "passages": "SELECT p.* FROM passages p JOIN documents d ON d.id = p.document_id"
    " WHERE d.user_id = ? ORDER BY p.id",
    "reflections": "SELECT * FROM reflections WHERE user_id = ? ORDER BY id",
}
# Vectors are left out: they are derived, and `os1 memory embed` computes them again.
_JSON_COLUMNS = {"meta", "source_ids", "data"}


def _row(row: Any) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON_COLUMNS & out.keys():
        out[key] = json.loads(out[key])
    out.pop("user_id", None)
    return out


def export_user(store: Store, user_id: int) -> dict[str, Any]:
    document: dict[str, Any] = {"os1_version": __version__, "exported_at": now_iso()}
    persona = store.query("SELECT data FROM personas WHERE user_id = ?", (user_id,))
    document["persona"] = json.loads(persona[0]["data"]) if persona else None
    for name, sql in _TABLES.items():
        document[name] = [_row(r) for r in store.query(sql, (user_id,))]
    return document
