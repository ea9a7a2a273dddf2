"""The `os1` command line: each command imports only its own module."""

from __future__ import annotations

import subprocess
import sys

import pytest

from os1.cli.main import COMMANDS, _command_in, build_parser


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["tidy", "/tmp", "--json"], "tidy"),
        (["--home", "tidy", "ask", "hi"], "ask"),  # "tidy" is the home folder here
        (["--home=/x", "--model", "x", "letter", "--client", "C", "--to", "R", "hi"], "letter"),
        (["--version"], None),
        ([], None),
    ],
)
def test_the_command_word_is_read_as_argparse_reads_it(
    argv: list[str], command: str | None
) -> None:
    assert _command_in(argv) == command
    if command is not None:
        assert build_parser(argv).parse_args(argv).command == command


def test_a_quick_command_does_not_import_the_conversation() -> None:
    code = (
        "import sys\n"
        "from os1.cli.main import build_parser\n"
        "build_parser(['tidy', '.']).parse_args(['tidy', '.'])\n"
        "print(sorted(m for m in ('os1.app', 'os1.companion', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_help_and_unknown_commands_still_list_every_command() -> None:
    shown = build_parser(["--help"]).format_help()
    assert all(name in shown for name in COMMANDS)
    with pytest.raises(SystemExit):
        build_parser(["nosuch"]).parse_args(["nosuch"])
