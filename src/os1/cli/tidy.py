"""`os1 tidy PATH`: find duplicates, junk and clutter; show the plan; apply it only on a yes.

Also `--undo [PLAN]` (everything back), `--resume [PLAN]` (finish a plan a crash
interrupted), `--plans` (what was done), `--empty-trash [PLAN]` (delete for good).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from os1.cli.lines import say
from os1.errors import InputError
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    tidy = sub.add_parser(
        "tidy", help="find duplicates, junk and clutter; apply the plan only on your yes"
    )
    tidy.add_argument("path", nargs="?", default="~", help="the folder to tidy (default: home)")
    tidy.add_argument("--json", action="store_true", help="print the plan as JSON")
    tidy.add_argument("--yes", action="store_true", help="apply without asking (for scripts)")
    tidy.add_argument("--undo", nargs="?", const="", metavar="PLAN", help="put a plan back")
    tidy.add_argument("--resume", nargs="?", const="", metavar="PLAN", help="finish a plan")
    tidy.add_argument("--empty-trash", nargs="?", const="", metavar="PLAN", dest="empty")
    tidy.add_argument("--plans", action="store_true", help="list plans and what became of them")
    tidy.add_argument("--trash", choices=("os1", "desktop"), default="os1", help="where files go")
    tidy.add_argument("--cross-filesystems", action="store_true", help="enter other mounts")
    tidy.add_argument("--untouched-years", type=float, default=2.0, metavar="N")
    tidy.add_argument("--threads", type=int, default=None, help=argparse.SUPPRESS)
    tidy.add_argument("--processes", type=int, default=None, help=argparse.SUPPRESS)
    tidy.set_defaults(handler=run_tidy)


def run_tidy(args: argparse.Namespace, settings: Settings) -> int:
    from os1.skills.tidy.apply import Tidier
    from os1.skills.tidy.plan import Plans

    tidier = Tidier(Plans(settings.home), trash=args.trash)
    try:
        if args.plans:
            return _list_plans(tidier)
        if args.undo is not None:
            return _undo(tidier, args.undo, settings)
        if args.resume is not None:
            return _resume(tidier, args.resume, args, settings)
        if args.empty is not None:
            return _empty(tidier, args.empty, args.yes, settings)
        return _scan_and_apply(tidier, args, settings)
    except KeyboardInterrupt:
        say(
            "\nos1: interrupted. Nothing else was changed; if a plan was being applied, "
            "`os1 tidy --resume` finishes it and `os1 tidy --undo` puts it all back."
        )
        return 130


def _scan_and_apply(tidier: Any, args: argparse.Namespace, settings: Settings) -> int:
    from os1.skills.tidy.build import make_plan, scan_options
    from os1.skills.tidy.plan import dumps
    from os1.skills.tidy.report import plan_text

    for flag in ("threads", "processes"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            raise InputError(f"--{flag} must be at least 1.")
    options = scan_options(
        settings,
        cross_filesystems=args.cross_filesystems,
        untouched_years=args.untouched_years,
        threads=args.threads,
        processes=args.processes,
    )
    bar = Bar()
    started = time.perf_counter()
    plan = make_plan(args.path, options, bar.update)
    bar.done(f"Scanned in {time.perf_counter() - started:.1f} s.")
    if args.json:
        document = plan.to_json(actions=False)
        if args.yes and plan.actions:
            document["applied"] = _applied(_apply(tidier, plan, bar, settings))
        sys.stdout.write(dumps(document) + "\n")
        return 0
    print(plan_text(plan))
    if not plan.actions:
        return 0
    if not _confirmed(args.yes, "Move them to the trash now?"):
        say("Nothing was changed. Run again with --yes to apply this plan.")
        return 0
    _show(_apply(tidier, plan, bar, settings))
    return 0


def _confirmed(assume_yes: bool, question: str) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _apply(tidier: Any, plan: Any, bar: Bar, settings: Settings) -> Any:
    outcome = tidier.apply(plan, lambda done, total: bar.update("moving", done, total))
    bar.done("")
    _audit(settings, "tidy.moved", plan.id, f"{outcome.moved} moved, {len(outcome.left)} left")
    return outcome


def _applied(outcome: Any) -> dict[str, Any]:
    return {
        "plan": outcome.plan,
        "moved": outcome.moved,
        "freed": outcome.freed,
        "left": [{"path": p, "why": w} for p, w in outcome.left],
        "trash": sorted(outcome.trash),
    }


def _show(outcome: Any, undo: bool = False) -> None:
    from os1.skills.tidy.report import outcome_text

    print(outcome_text(outcome, undo=undo))


def _audit(settings: Settings, action: str, plan_id: str, outcome: str) -> None:
    from os1 import audit
    from os1.memory import Store

    store = Store(settings.db_path)
    try:
        audit.record(store, store.user_id(), action, f"plan {plan_id}", outcome)
    finally:
        store.close()


def _pick(tidier: Any, given: str, want: Any, what: str) -> str:
    from os1.skills.tidy.apply import latest

    plan_id = given or latest(tidier, want)
    if not plan_id:
        raise InputError(f"There is no plan {what}.", "See `os1 tidy --plans`.")
    return plan_id


def _undo(tidier: Any, given: str, settings: Settings) -> int:
    plan_id = _pick(tidier, given, lambda s: bool(s.in_trash), "to undo")
    bar = Bar()
    outcome = tidier.undo(plan_id, lambda done, total: bar.update("putting back", done, total))
    bar.done("")
    _audit(settings, "tidy.restored", plan_id, f"{outcome.restored} put back")
    _show(outcome, undo=True)
    return 0 if not outcome.left else 1


def _resume(tidier: Any, given: str, args: argparse.Namespace, settings: Settings) -> int:
    plan_id = _pick(tidier, given, lambda s: s.started and not s.finished, "left unfinished")
    plan = tidier.plans.load(plan_id)
    if not _confirmed(args.yes, f"Finish plan {plan_id} (moving what is left to the trash)?"):
        say("Nothing was changed.")
        return 0
    _show(_apply(tidier, plan, Bar(), settings))
    return 0


def _empty(tidier: Any, given: str, assume_yes: bool, settings: Settings) -> int:
    plan_id = _pick(tidier, given, lambda s: bool(s.in_trash) and not s.emptied, "with a trash")
    count = len(tidier.state(plan_id).in_trash)
    if not _confirmed(assume_yes, f"Delete the {count:,} items of plan {plan_id} for good?"):
        say("Nothing was deleted.")
        return 0
    outcome = tidier.empty(plan_id)
    _audit(settings, "tidy.emptied", plan_id, f"{outcome.moved} deleted for good")
    print(f"Deleted {outcome.moved:,} items of plan {plan_id} for good.")
    return 0


def _list_plans(tidier: Any) -> int:
    for plan_id in tidier.plans.ids():
        state = tidier.state(plan_id)
        if state.emptied:
            status = "applied; trash emptied"
        elif state.restored and not state.in_trash:
            status = "undone"
        elif state.finished:
            status = f"applied; {len(state.in_trash):,} items in the trash"
        elif state.started:
            status = "interrupted: --resume or --undo"
        else:
            status = "planned, not applied"
        print(f"{plan_id}\t{status}")
    return 0


class Bar:
    """A one-line progress bar on stderr (only when it is a terminal)."""

    def __init__(self) -> None:
        self._live = sys.stderr.isatty()
        self._last = 0.0

    def update(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if not self._live or (now - self._last < 0.1 and done != total):
            return
        self._last = now
        if total:
            filled = int(30 * done / total)
            line = f"{phase:<12} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}"
        else:
            line = f"{phase:<12} {done:,} files"
        sys.stderr.write("\r" + line + "\033[K")
        sys.stderr.flush()

    def done(self, message: str) -> None:
        if self._live:
            sys.stderr.write("\r\033[K")
            if message:
                sys.stderr.write(message + "\n")
            sys.stderr.flush()
