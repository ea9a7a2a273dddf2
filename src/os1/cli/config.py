"""`os1 config show`: exactly what is configured, where it came from, where data lives."""

from __future__ import annotations

import argparse

from os1.mind.catalogue import CATALOGUE
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = sub.add_parser("config", help="what is configured, and where data lives")
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("show", help="print every setting and where it came from")
    config.set_defaults(handler=run_config_show)


def run_config_show(args: argparse.Namespace, settings: Settings) -> int:
    del args
    rows = settings.shown()
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"{name:<{width}}  {value or '-'}  ({source})")
    print()
    print(f"{'database':<{width}}  {settings.db_path}")
    print(
        f"{'config file':<{width}}  {settings.config_path}"
        + ("" if settings.config_path.exists() else "  (not created)")
    )
    print(
        f"{'secrets file':<{width}}  {settings.secrets_path}"
        + ("" if settings.secrets_path.exists() else "  (not created)")
    )
    print(f"{'log':<{width}}  {settings.log_path}")
    if settings.uses_remote:
        print(f"{'engine':<{width}}  remote, OpenAI-compatible, at {settings.base_url}")
    elif settings.model in CATALOGUE:
        model = CATALOGUE[settings.model]
        cached = settings.model_cache_dir / model.filename
        state = "prepared" if cached.exists() or model.single_file else "prepared on first use"
        print(f"{'engine':<{width}}  llama.cpp in-process: {model.title} ({state})")
    else:
        print(f"{'engine':<{width}}  llama.cpp in-process: {settings.model}")
    return 0
