"""Changes to a text, each naming its span, and how they are applied and shown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One fix: `before` at text[start:end] becomes `after`, for `reason`."""

    start: int
    end: int
    before: str
    after: str
    reason: str
    source: str  # "spelling", "word choice" or "grammar"


@dataclass(frozen=True)
class Proofreading:
    """The fixes for a text, and style notes kept apart from them (never applied)."""

    text: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()

    def corrected(self, accepted: Sequence[bool] | None = None) -> str:
        """The text with every change applied, or only those accepted."""
        chosen = [c for i, c in enumerate(self.changes) if accepted is None or accepted[i]]
        return apply(self.text, chosen)


def apply(text: str, changes: Sequence[Change]) -> str:
    """Apply non-overlapping changes (any order) to the text they were made for."""
    out: list[str] = []
    at = 0
    for change in sorted(changes, key=lambda c: c.start):
        if change.start < at:
            continue  # overlapping: the earlier one wins
        out.append(text[at : change.start])
        out.append(change.after)
        at = change.end
    out.append(text[at:])
    return "".join(out)


def without_overlaps(changes: Sequence[Change]) -> list[Change]:
    """Changes sorted by place; any that overlaps one kept before it is dropped."""
    kept: list[Change] = []
    for change in sorted(changes, key=lambda c: (c.start, c.end)):
        if kept and change.start < kept[-1].end:
            continue
        if change.before != change.after:
            kept.append(change)
    return kept


def context_line(text: str, change: Change, width: int = 30) -> tuple[str, str]:
    """A `-` and a `+` line showing the change in its surroundings (a word diff)."""
    left = text[max(0, change.start - width) : change.start]
    right = text[change.end : change.end + width]
    left = ("\u2026" + left.split(" ", 1)[-1]) if change.start > width else left
    right = (right.rsplit(" ", 1)[0] + "\u2026") if len(text) - change.end > width else right
    left, right = left.replace("\n", " "), right.replace("\n", " ")
    return f"- {left}[{change.before}]{right}", f"+ {left}[{change.after}]{right}"
