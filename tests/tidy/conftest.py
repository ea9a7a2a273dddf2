"""Helpers for the tidy tests: snapshots of a tree, the peers' groups, the CLI in a subprocess."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from os1.skills.tidy.build import Options, make_plan
from os1.skills.tidy.plan import Plan

Groups = set[frozenset[str]]
Snapshot = dict[bytes, tuple[Any, ...]]
OS1 = [sys.executable, "-m", "os1.cli.main"]


def snapshot(root: Path, times: bool = True) -> Snapshot:
    """Every path below `root` (as bytes): mode, and for files their bytes' digest and mtime.
    Walked with folder descriptors, so paths longer than PATH_MAX are seen too."""
    seen: Snapshot = {}
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    pending = [(b"", os.open(root, flags))]
    while pending:
        prefix, fd = pending.pop()
        try:
            for entry in os.scandir(fd):
                name = os.fsencode(entry.name)
                key = prefix + name
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    file_fd = os.open(name, os.O_RDONLY, dir_fd=fd)
                    with os.fdopen(file_fd, "rb") as fh:
                        digest = hashlib.sha256(fh.read()).hexdigest()
                    seen[key] = (st.st_mode, digest, st.st_size, st.st_mtime_ns if times else 0)
                elif stat.S_ISLNK(st.st_mode):
                    seen[key] = (st.st_mode, os.readlink(name, dir_fd=fd))
                else:
                    seen[key] = (st.st_mode, st.st_mtime_ns if times else 0)
                    if stat.S_ISDIR(st.st_mode):
                        pending.append((key + b"/", os.open(name, flags, dir_fd=fd)))
        finally:
            os.close(fd)
    return seen


def relative_groups(groups: list[list[str]] | list[set[str]], root: Path) -> Groups:
    prefix = str(root).rstrip("/") + "/"
    return {
        frozenset(p[len(prefix) :] if p.startswith(prefix) else p for p in group)
        for group in groups
    }


def os1_groups(plan: Plan | dict[str, Any], root: Path) -> Groups:
    data = plan.to_json() if isinstance(plan, Plan) else plan
    return relative_groups([g["files"] for g in data["duplicates"]], root)


def plan_of(root: Path, **options: Any) -> Plan:
    return make_plan(str(root), Options(**options))


PEERS: dict[str, list[str]] = {
    "jdupes": ["jdupes", "-r", "-q"],
    "fdupes": ["fdupes", "-r", "-q", "-n"],
    "rmlint": ["rmlint", "-T", "df", "--hidden", "--without-fiemap"],
}


def peer_groups(tool: str, root: Path, *extra: str) -> Groups:
    """The duplicate groups a peer finds under `root` (blank-line separated output)."""
    binary = shutil.which(tool)
    assert binary, f"{tool} is missing: `make test` installs it from debian-packages.txt"
    command = [*PEERS[tool], *extra]
    if tool == "rmlint":
        out = root.parent / f"{root.name}.rmlint.txt"
        command += ["-o", f"fdupes:{out}", str(root)]
        subprocess.run(command, check=True, capture_output=True, cwd=root.parent, timeout=300)
        text = out.read_bytes()
        out.unlink()
    else:
        command.append(str(root))
        text = subprocess.run(command, check=True, capture_output=True, timeout=300).stdout
    groups: list[list[str]] = []
    current: list[str] = []
    for line in text.split(b"\n"):
        if line.strip():
            current.append(os.fsdecode(line))
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return relative_groups(groups, root)


RunTidy = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.fixture
def tidy_cli(hermetic: Path) -> RunTidy:
    """Run `os1 tidy ARGS...` in a subprocess with this test's data folder."""

    def run(
        *args: str | bytes, check: bool = True, **env: str
    ) -> subprocess.CompletedProcess[bytes]:
        environment = {**os.environ, "OS1_HOME": str(hermetic), **env}
        done = subprocess.run(
            [*OS1, "tidy", *args], capture_output=True, env=environment, timeout=300
        )
        assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
        if check:
            assert done.returncode == 0, done.stderr.decode(errors="replace")
        return done

    return run


def json_plan(done: subprocess.CompletedProcess[bytes]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(done.stdout)
    return data
