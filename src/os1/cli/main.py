"""The `os1` command: parse arguments, resolve settings, dispatch, map errors to one line."""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import os
import sys
from collections.abc import Sequence

from os1 import __version__
from os1.errors import InputError, OS1Error
from os1.settings import Settings, load_settings

log = logging.getLogger("os1")

# Each command's module (os1.cli.<module>) adds its own subparser and handler. Only the
# module of the command asked for is imported: importing them all (the conversation,
# numpy, voice, music) cost every command 0.4 s before it started.
COMMANDS: dict[str, str] = {
    **{name: name for name in ("setup", "ask", "memory", "read", "persona", "config")},
    **{name: name for name in ("serve", "user", "tidy", "mail", "compose", "music")},
    **{name: name for name in ("proofread", "letters", "book", "talk")},
    "letter": "letters",
}


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    del args
    from os1.cli.chat import run_chat

    return run_chat(settings)


def _command_in(argv: Sequence[str]) -> str | None:
    """The command word of an `os1` command line, read the way argparse will read it."""
    words = iter(argv)
    for word in words:
        if word in ("--home", "--model"):
            next(words, None)  # its value
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `argv`, only the subparser its command needs (all of them
    when the command is not a known one, so help and errors list every command)."""
    parser = argparse.ArgumentParser(
        prog="os1", description="OS1: a companion that lives on your own computer."
    )
    parser.add_argument("--version", action="version", version=f"os1 {__version__}")
    parser.add_argument("--home", help="data directory (default: $OS1_HOME or ~/.local/share/os1)")
    parser.add_argument("--model", help="qwen-1.5b, qwen-0.5b, smollm2, or a .gguf path")
    parser.set_defaults(handler=_chat)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = COMMANDS.get(_command_in(argv) or "") if argv is not None else None
    for module in [named] if named else dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"os1.cli.{module}").add_parser(sub)
    return parser


def _configure_logging(settings: Settings) -> None:
    level = logging.DEBUG if os.environ.get("OS1_DEBUG") else logging.WARNING
    logging.raiseExceptions = False  # a full disk must not turn logging into a traceback
    root = logging.getLogger("os1")
    root.setLevel(level)
    root.propagate = False
    try:
        settings.home.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(settings.log_path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    except OSError:
        handler = logging.NullHandler()  # a read-only home is reported where it matters
    root.addHandler(handler)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(flags={"home": args.home, "model": args.model})


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # invalid UTF-8 in or out never crashes
            stream.reconfigure(errors="replace")
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    settings: Settings | None = None
    try:
        settings = _settings(args)
        _configure_logging(settings)
        code: int = args.handler(args, settings)
        return code
    except InputError as exc:
        print(f"os1: {exc}", file=sys.stderr)
        return 2
    except OS1Error as exc:
        print(f"os1: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nos1: interrupted; everything said so far is kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        log.exception("unexpected error")
        where = settings.log_path if settings else "the log"
        print(
            f"os1: something unexpected went wrong ({type(exc).__name__}). "
            f"Details are in {where}; please report it.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
