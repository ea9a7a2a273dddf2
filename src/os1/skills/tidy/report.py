"""Plans and outcomes in words: the plan shown to the user, and the facts OS1 explains.

Any file name prints safely: control characters (a newline in a name) and bytes that
are not UTF-8 are shown as escapes, so one odd name cannot garble or fake a line.
"""

from __future__ import annotations

from os1.skills.tidy.apply import Outcome
from os1.skills.tidy.plan import Plan

_SHOWN_GROUPS = 8
_SHOWN_ITEMS = 6


def size(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{n} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"  # pragma: no cover


def shown(path: str, root: str = "") -> str:
    """A path as one safe line: relative to `root`, odd characters escaped."""
    if root and path.startswith(root.rstrip("/") + "/"):
        path = path[len(root.rstrip("/")) + 1 :]
    out = []
    for ch in path:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif not ch.isprintable():
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def plan_text(plan: Plan) -> str:
    """The whole plan, for the terminal."""
    root = plan.root
    scanned = plan.scanned
    lines = [
        f"Tidying {shown(root)}: {_count(scanned['files'], 'file')} in "
        f"{_count(scanned['folders'], 'folder')}, {size(scanned['bytes'])}.",
        "",
    ]
    parts = plan.parts()
    copies = _count(parts["duplicates"]["items"], "extra copy", "extra copies")
    lines.append(
        f"Duplicates: {_count(len(plan.duplicates), 'group')}; moving {copies} frees "
        f"{size(parts['duplicates']['frees'])}."
    )
    for group in plan.duplicates[:_SHOWN_GROUPS]:
        others = [shown(p, root) for p in group["files"] if p != group["keep"]]
        lines.append(f"  keep {shown(group['keep'], root)} ({size(group['size'])})")
        lines.append(f"    {group['why']}; the others: {', '.join(others[:4])}")
    lines.extend(_more(len(plan.duplicates), _SHOWN_GROUPS))
    lines.append(f"Junk: {_count(parts['junk']['items'], 'item')}, {size(parts['junk']['frees'])}.")
    for item in plan.junk[:_SHOWN_ITEMS]:
        lines.append(f"  {item['kind']}: {shown(str(item['path']), root)} ({item['why']})")
    lines.extend(_more(len(plan.junk), _SHOWN_ITEMS))
    for title, key in (("Empty files", "empty_files"), ("Empty folders", "empty_folders")):
        items = getattr(plan, key)
        lines.append(f"{title}: {len(items):,}.")
        lines.extend(f"  {shown(str(i['path']), root)}" for i in items[:_SHOWN_ITEMS])
        lines.extend(_more(len(items), _SHOWN_ITEMS))
    lines.extend(_worth_a_look(plan))
    if plan.skipped:
        lines.append(f"Skipped: {_count(len(plan.skipped), 'path')} (left alone).")
        lines.extend(f"  {shown(s['path'], root)}: {s['why']}" for s in plan.skipped[:_SHOWN_ITEMS])
    lines.append("")
    lines.append(summary_line(plan))
    return "\n".join(lines)


def _more(total: int, shown_count: int) -> list[str]:
    if total <= shown_count:
        return []
    return [f"  ... and {total - shown_count:,} more (see --json)"]


def _worth_a_look(plan: Plan) -> list[str]:
    lines = []
    if plan.largest:
        lines.append("Largest files (not part of the plan, worth a look):")
        lines.extend(
            f"  {size(int(i['size'])):>10}  {shown(str(i['path']), plan.root)}"
            for i in plan.largest[:_SHOWN_ITEMS]
        )
    if plan.untouched:
        lines.append("Untouched for years (not part of the plan):")
        lines.extend(
            f"  {i['last_used']}  {size(int(i['size'])):>10}  {shown(str(i['path']), plan.root)}"
            for i in plan.untouched[:_SHOWN_ITEMS]
        )
    return lines


def summary_line(plan: Plan) -> str:
    if not plan.actions:
        return "Nothing to tidy: no duplicates, junk or empty things."
    return (
        f"The plan: move {_count(len(plan.actions), 'item')} to the trash, freeing "
        f"{size(plan.frees)}. Nothing is deleted; `os1 tidy --undo` puts everything back."
    )


def proposal_text(plan: Plan) -> str:
    """What the user approves in conversation: exact counts, sizes and examples."""
    parts = plan.parts()
    lines = [f"Tidy {shown(plan.root)}: move {_count(len(plan.actions), 'item')} to the trash"]
    lines[0] += f", freeing {size(plan.frees)}:"
    names = {"duplicates": "extra copies of duplicate files", "junk": "junk (caches, temp files)"}
    for part, totals in parts.items():
        if totals["items"]:
            lines.append(f"- {totals['items']:,} {names.get(part, part)} ({size(totals['frees'])})")
    for group in plan.duplicates[:3]:
        lines.append(f"  e.g. keep {shown(group['keep'], plan.root)}: {group['why']}")
    lines.append(f"Everything can be put back (plan {plan.id}).")
    return "\n".join(lines)


def facts_for_model(plan: Plan) -> str:
    """Counts and sizes only (no file names: those are data, not words for the model)."""
    parts = plan.parts()
    if not plan.actions:
        return f"You looked through {plan.scanned['files']:,} files and found nothing to tidy."
    bits = [
        f"{parts['duplicates']['items']:,} extra copies in {len(plan.duplicates):,} "
        f"duplicate groups ({size(parts['duplicates']['frees'])})",
        f"{parts['junk']['items']:,} junk items like caches and temporary files "
        f"({size(parts['junk']['frees'])})",
        f"{parts['empty files']['items']:,} empty files",
        f"{parts['empty folders']['items']:,} empty folders",
    ]
    return (
        f"You looked through {plan.scanned['files']:,} files ({size(plan.scanned['bytes'])}) "
        f"and made a plan: {'; '.join(bits)}. In all it frees {size(plan.frees)}; for each "
        "duplicate you keep the copy in the better place, with the better name, or the older "
        "original. Everything goes to the trash and can be put back."
    )


def outcome_text(outcome: Outcome, undo: bool = False) -> str:
    if undo:
        text = f"Put {_count(outcome.restored, 'item')} back where they were."
    else:
        text = (
            f"Moved {_count(outcome.moved, 'item')} to the trash, freeing {size(outcome.freed)} "
            f"here. Undo with: os1 tidy --undo {outcome.plan} (the disk space itself comes back "
            f"when you run: os1 tidy --empty-trash {outcome.plan})"
        )
    if outcome.left:
        text += f"\nLeft in place ({len(outcome.left):,}):"
        text += "".join(f"\n  {shown(path)}: {why}" for path, why in outcome.left[:10])
    return text
