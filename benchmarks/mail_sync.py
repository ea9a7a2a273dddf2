"""Mail: first-sync throughput and memory on a large mailbox, and triage time per message.

    .venv/bin/python benchmarks/mail_sync.py [--messages 10000] [--rounds 2]

A real Dovecot on loopback (the test suite's helper) holds a generated mailbox of
`--messages` messages (threads, newsletters, attachments, odd charsets, malformed
mail). Each round, in a fresh process each, in turn:
- OS1: `MailService.sync()` into an empty data folder: fetch, parse, thread, store,
  triage, speak up;
- peer, "plain fetch": the same IMAP client fetching the same messages in the same
  batches, with nothing parsed or kept (the floor for any client in Python).
Then triage is timed alone over all the stored messages (rules only, no model).
Figures are medians over rounds; peak RSS is each process's own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.mail.corpus import realistic_mailbox
from tests.mail.servers import dovecot


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _os1_sync(values: dict[str, Any], home: str, out: Any) -> None:
    from os1.app import App
    from os1.mail.accounts import Account
    from os1.settings import load_settings

    app = App(load_settings(env={"OS1_HOME": home}))
    mail = app.mail()
    mail.accounts.save(Account(name="bench", smtp_host="127.0.0.1", **values))
    base = _rss_mb()
    started = time.perf_counter()
    [report] = mail.sync()
    seconds = time.perf_counter() - started
    rows = mail.mail.inbox(limit=1_000_000)
    triage_started = time.perf_counter()
    mail.triage(rows)
    per_message = (time.perf_counter() - triage_started) / max(len(rows), 1)
    out.put(
        {
            "seconds": seconds,
            "added": report.added,
            "rss": _rss_mb(),
            "base": base,
            "triage": per_message,
            "triaged": len(rows),
        }
    )


def _plain_fetch(values: dict[str, Any], out: Any) -> None:
    from os1.mail.accounts import Account
    from os1.mail.imap import imap_session

    account = Account(name="bench", smtp_host="127.0.0.1", **values)
    base = _rss_mb()
    started = time.perf_counter()
    count = 0
    with imap_session(account) as client:
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search(["ALL"]))
        for start in range(0, len(uids), 100):
            count += len(client.fetch(uids[start : start + 100], ["FLAGS", "BODY.PEEK[]"]))
    out.put(
        {"seconds": time.perf_counter() - started, "added": count, "rss": _rss_mb(), "base": base}
    )


def _in_process(target: Any, *args: Any) -> dict[str, Any]:
    queue: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, queue))
    process.start()
    result: dict[str, Any] = queue.get(timeout=1800)
    process.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    mailbox = realistic_mailbox(args.messages, seed=11)
    size_mb = sum(len(m) for m in mailbox) / 1e6
    print(f"mailbox: {args.messages:,} messages, {size_mb:.1f} MB")
    ours: list[dict[str, Any]] = []
    peers: list[dict[str, Any]] = []
    with dovecot() as server:
        server.add_user("bench@example.com", mailbox)
        values = server.account("bench@example.com")
        _in_process(_plain_fetch, values)  # Dovecot builds its index once, outside the timing
        for _round in range(args.rounds):
            with tempfile.TemporaryDirectory() as home:
                ours.append(_in_process(_os1_sync, values, home))
            peers.append(_in_process(_plain_fetch, values))
    rate = statistics.median(r["added"] / r["seconds"] for r in ours)
    peer_rate = statistics.median(r["added"] / r["seconds"] for r in peers)
    figures = {
        "messages": args.messages,
        "os1_messages_per_s": round(rate, 1),
        "plain_fetch_messages_per_s": round(peer_rate, 1),
        "ratio": round(rate / peer_rate, 2),
        "os1_sync_seconds": round(statistics.median(r["seconds"] for r in ours), 1),
        "os1_peak_rss_mb": round(max(r["rss"] for r in ours)),
        "plain_fetch_peak_rss_mb": round(max(r["rss"] for r in peers)),
        "triage_ms_per_message": round(statistics.median(r["triage"] for r in ours) * 1000, 3),
        "triaged": ours[0]["triaged"],
        "rounds": args.rounds,
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
