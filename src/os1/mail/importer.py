"""Importing a local Maildir or mbox: each message parsed and kept, with progress.

Importing again skips what is already there (by content), so an interrupted import
simply continues.
"""

from __future__ import annotations

import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from os1.errors import InputError
from os1.mail.parse import MAX_MESSAGE_BYTES, parse_message
from os1.mail.store import Incoming, MailStore

Progress = Callable[[int, int], None]
_BATCH = 200


@dataclass
class ImportReport:
    seen: int = 0
    added: list[int] = field(default_factory=list)


def _maildir_flags(info: str) -> tuple[str, ...]:
    letters = info.split(",", 1)[1] if info.startswith("2,") else ""
    names = {"S": "\\Seen", "R": "\\Answered", "F": "\\Flagged", "T": "\\Deleted"}
    return tuple(names[c] for c in letters if c in names)


def _mbox_flags(status: str) -> tuple[str, ...]:
    names = {"R": "\\Seen", "A": "\\Answered", "F": "\\Flagged", "D": "\\Deleted"}
    return tuple(names[c] for c in status if c in names)


def _maildir(path: Path) -> tuple[int, Iterator[tuple[bytes, tuple[str, ...]]]]:
    if not (path / "cur").is_dir() and not (path / "new").is_dir():
        raise InputError(
            f"{path} is not a Maildir (it has no cur/ or new/ folder).",
            "Give the folder that holds cur/, new/ and tmp/.",
        )
    files = sorted(
        f for sub in ("new", "cur") if (path / sub).is_dir() for f in (path / sub).iterdir()
    )

    def read() -> Iterator[tuple[bytes, tuple[str, ...]]]:
        for file in files:
            if file.name.startswith(".") or not file.is_file():
                continue
            try:
                with file.open("rb") as fh:
                    data = fh.read(MAX_MESSAGE_BYTES + 1)
            except OSError:
                continue  # moved or removed while we read: another program's doing
            info = file.name.rsplit(":", 1)[1] if ":" in file.name else ""
            yield data, _maildir_flags(info)

    return len(files), read()


def _mbox(path: Path) -> tuple[int, Iterator[tuple[bytes, tuple[str, ...]]]]:
    if not path.is_file():
        raise InputError(f"{path} is not an mbox file.", "Give the path of the mbox file itself.")
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        keys = box.keys()
    except (OSError, mailbox.Error) as exc:
        raise InputError(f"{path} could not be read as an mbox ({exc}).") from exc

    def read() -> Iterator[tuple[bytes, tuple[str, ...]]]:
        for key in keys:
            data = box.get_bytes(key)
            status = ""
            for line in data.split(b"\n\n", 1)[0].splitlines():
                if line.lower().startswith((b"status:", b"x-status:")):
                    status += line.split(b":", 1)[1].decode("ascii", "replace").strip()
            yield data, _mbox_flags(status)

    return len(keys), read()


def import_local(
    mail: MailStore,
    path: Path,
    kind: str,
    own_addresses: set[str],
    progress: Progress | None = None,
) -> ImportReport:
    """Import every message of a Maildir or mbox at `path` into the user's mail."""
    path = path.expanduser().absolute()
    if not path.exists():
        raise InputError(f"{path} does not exist.", "Check the path and try again.")
    total, messages = _maildir(path) if kind == "maildir" else _mbox(path)
    source = mail.source("maildir" if kind == "maildir" else "mbox", str(path))
    folder = mail.folder(source, path.name or str(path))
    report = ImportReport()
    batch: list[Incoming] = []
    for data, flags in messages:
        parsed = parse_message(data)
        batch.append(Incoming(parsed, None, flags, parsed.sender.addr in own_addresses))
        report.seen += 1
        if len(batch) >= _BATCH:
            report.added += mail.add_many(folder.id, batch)
            batch = []
            if progress:
                progress(report.seen, total)
    report.added += mail.add_many(folder.id, batch)
    if progress:
        progress(report.seen, total)
    return report
