"""How long OS1 takes to read its book of names and choose one (the film: 0.02 s).

    .venv/bin/python benchmarks/naming.py [--runs 30]

Each run reads both files end to end and scores every name, exactly as at setup.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from os1.persona.naming import choose_name
from os1.persona.traits import interpret


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    traits = interpret({"social": "anti-social", "mother": "complicated"})
    seconds, read = [], 0
    for run in range(args.runs):
        choice = choose_name(traits, "Theo", "female", f"seed-{run}")
        seconds.append(choice.seconds)
        read = choice.names_read
    print(f"names read per run: {read:,}")
    print(
        f"median {statistics.median(seconds) * 1000:.1f} ms, "
        f"min {min(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms "
        f"over {args.runs} runs; {read / statistics.median(seconds):,.0f} names/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
