"""`os1 tidy` against rmlint, jdupes and fdupes on one generated tree, side by side.

Each round runs every tool twice: cold (page cache dropped first, where permitted)
and warm (straight after). The order of the tools rotates from round to round. The
figures are medians of wall time, with CPU time (user + system) beside them since the
machine is shared; ratios are OS1 / peer (below 1 means OS1 was faster).

    .venv/bin/python benchmarks/tidy_peers.py --files 100000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from os1.skills.tidy.sample import make_tree

HERE = Path(__file__).resolve().parent
OS1 = [sys.executable, "-m", "os1.cli.main", "tidy"]


def commands(tree: Path, out: Path) -> dict[str, list[str]]:
    return {
        "os1": [*OS1, str(tree), "--json"],
        "os1 --processes 1": [*OS1, str(tree), "--json", "--processes", "1"],
        "jdupes": ["jdupes", "-r", "-q", str(tree)],
        "fdupes": ["fdupes", "-r", "-q", "-n", str(tree)],
        # --without-fiemap: this VM's disk says it is rotational, and rmlint's default
        # (sorting reads by physical offset) is 2-10x slower here; we time its best.
        "rmlint": [
            "rmlint",
            "-T",
            "df",
            "--hidden",
            "--without-fiemap",
            "-o",
            f"fdupes:{out}",
            str(tree),
        ],
    }


def drop_caches() -> str:
    """'' when the page cache was dropped, else why not."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as exc:
        return f"could not drop the page cache ({exc.strerror}); 'cold' runs are warm"
    return ""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, env=env, check=True, cwd=tempfile.gettempdir()
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def groups_in(tool: str, stdout: bytes, out: Path) -> int:
    if tool.startswith("os1"):
        return len(json.loads(stdout)["duplicates"])
    text = out.read_bytes() if tool == "rmlint" else stdout
    return sum(1 for block in text.split(b"\n\n") if block.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=Path(tempfile.gettempdir()) / "os1-tidy-bench")
    parser.add_argument("--out", type=Path, default=HERE / "tidy_peers.json")
    args = parser.parse_args()

    tree = args.tree / f"tree-{args.files}"
    marker = args.tree / f"tree-{args.files}.json"
    if not marker.exists():
        shutil.rmtree(tree, ignore_errors=True)
        started = time.perf_counter()
        made = make_tree(tree, args.files, seed=1)
        marker.write_text(
            json.dumps(
                {
                    "files": made.files,
                    "folders": made.folders,
                    "bytes": made.bytes,
                    "groups": len(made.groups),
                }
            )
        )
        print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    shape = json.loads(marker.read_text())
    print(f"tree: {shape}", file=sys.stderr)

    home = Path(tempfile.mkdtemp(prefix="os1-bench-home-"))
    env = {**os.environ, "OS1_HOME": str(home)}
    rmlint_out = args.tree / "rmlint-groups.txt"
    tools = commands(tree, rmlint_out)
    names = list(tools)
    results: dict[str, dict[str, list[float]]] = {
        n: {"cold": [], "warm": [], "cold_cpu": [], "warm_cpu": []} for n in names
    }
    cold_note = ""
    for round_ in range(args.rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            cold_note = drop_caches() or cold_note
            for mode in ("cold", "warm"):
                wall, cpu, stdout = timed(tools[name], env)
                results[name][mode].append(wall)
                results[name][f"{mode}_cpu"].append(cpu)
                found = groups_in(name, stdout, rmlint_out)
                if found != shape["groups"]:
                    raise SystemExit(f"{name} found {found} groups, not {shape['groups']}")
            print(
                f"round {round_ + 1}: {name} cold {results[name]['cold'][-1]:.2f} s, "
                f"warm {results[name]['warm'][-1]:.2f} s",
                file=sys.stderr,
            )
    shutil.rmtree(home, ignore_errors=True)
    report(shape, results, cold_note, args)


def report(
    shape: dict[str, int],
    results: dict[str, dict[str, list[float]]],
    cold_note: str,
    args: argparse.Namespace,
) -> None:
    median = {n: {k: statistics.median(v) for k, v in r.items()} for n, r in results.items()}
    ours = median["os1"]
    print(
        f"\n{shape['files']:,} files, {shape['folders']:,} folders, "
        f"{shape['bytes'] / 1e9:.2f} GB, {shape['groups']:,} duplicate groups; "
        f"median of {args.rounds} rounds"
    )
    print(
        "| tool | cold wall | cold CPU | warm wall | warm CPU | OS1 / it, cold | OS1 / it, warm |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, m in median.items():
        print(
            f"| {name} | {m['cold']:.2f} s | {m['cold_cpu']:.2f} s | {m['warm']:.2f} s | "
            f"{m['warm_cpu']:.2f} s | {ours['cold'] / m['cold']:.2f} | "
            f"{ours['warm'] / m['warm']:.2f} |"
        )
    if cold_note:
        print(f"\nNote: {cold_note}")
    args.out.write_text(
        json.dumps(
            {
                "tree": shape,
                "rounds": args.rounds,
                "runs": results,
                "median": median,
                "cold_note": cold_note,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
