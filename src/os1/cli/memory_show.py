"""`os1 memory show ID`: one memory, where it came from, and everything that changed it."""

from __future__ import annotations

from os1.app import App
from os1.errors import InputError
from os1.memory import Memory


def show(app: App, target: tuple[str, int]) -> int:
    kind, item = target
    memory = app.memory()
    lines = {
        "fact": _fact,
        "message": _message,
        "document": _document,
        "reflection": _reflection,
    }[kind](memory, item)
    if lines is None:
        raise InputError(f"There is no memory {kind[0]}{item}.", "See `os1 memory list`.")
    print("\n".join(lines))
    return 0


def _fact(memory: Memory, item: int) -> list[str] | None:
    chain = memory.facts.history(item)
    if not chain:
        return None
    fact = chain[0][0]
    state = "current" if fact.current else f"replaced on {(fact.valid_to or '')[:10]}"
    sources = ", ".join(f"m{i}" for i in fact.source_ids) or "none"
    lines = [
        f"f{fact.id}  {fact.statement}",
        f"  about {fact.about}; importance {fact.importance}; confidence {fact.confidence:.1f}",
        f"  {state}; held since {fact.valid_from[:19]}; from turns {sources}",
    ]
    if len(chain) > 1 or any(action != "add" for _, action, _, _ in chain[0][1]):
        lines.append("  history (newest first):")
    for version, changes in chain[1:]:
        until = (version.valid_to or "")[:19]
        lines.append(
            f"    f{version.id}  {version.valid_from[:19]} .. {until}  {version.statement!r}"
        )
        for when, action, _after, cause in changes:
            if action != "add":
                lines.append(f"      {when[:19]} {action}: {cause}")
    return lines


def _message(memory: Memory, item: int) -> list[str] | None:
    episode = memory.episodes.get(item)
    if episode is None or episode.role == "context":
        return None
    who = episode.speaker or episode.role
    source = f" [{episode.source_id}]" if episode.source_id else ""
    facts = memory.store.query(
        "SELECT f.id, f.statement, f.valid_to FROM facts f, json_each(f.source_ids) s"
        " WHERE f.user_id = ? AND s.value = ? ORDER BY f.id",
        (memory.user_id, item),
    )
    lines = [f"m{episode.id}{source}  {episode.created_at[:19]}  {who}: {episode.content}"]
    for row in facts:
        state = "" if row["valid_to"] is None else " (replaced since)"
        lines.append(f"  fact f{row['id']}{state}: {row['statement']}")
    return lines


def _document(memory: Memory, item: int) -> list[str] | None:
    document = memory.documents.get(item)
    if document is None:
        return None
    return [
        f"d{document.id}  {document.title}",
        f"  {document.kind}, {document.chars:,} characters in {document.passages:,} passages",
        f"  read {document.read_at[:19]} from {document.path}",
    ]


def _reflection(memory: Memory, item: int) -> list[str] | None:
    reflection = memory.reflections.get(item)
    if reflection is None:
        return None
    sources = ", ".join(f"m{i}" for i in reflection.source_ids[:20])
    more = "..." if len(reflection.source_ids) > 20 else ""
    return [
        f"r{reflection.id}  {reflection.kind}: {reflection.content}",
        f"  {reflection.first_at[:10]}..{reflection.last_at[:10]}; from {sources}{more}",
    ]
