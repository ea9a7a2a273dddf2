"""IMAP: a verified TLS session, and incremental sync of a folder.

Sync is incremental and resumable. UIDVALIDITY says whether the folder's UIDs still
mean what they meant (if not, OS1 starts the folder over); only UIDs above the last one
kept are fetched, in batches, each kept before the next is asked for, so an interrupted
first sync goes on where it stopped. With CONDSTORE, flag changes are asked for only
since the last HIGHESTMODSEQ; without it, all flags are compared.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from os1.mail.accounts import Account
from os1.mail.errors import MailAuthError, MailError
from os1.mail.parse import MAX_MESSAGE_BYTES, parse_message
from os1.mail.store import FolderRole, FolderState, Incoming, MailStore

Progress = Callable[[str, int, int], None]  # (folder, done, total)
_BATCH = 100
_FLAG_CHUNK = 2000
TIMEOUT = 30.0


@dataclass
class FolderReport:
    folder: str
    added: list[int] = field(default_factory=list)
    flags_changed: int = 0
    gone: int = 0
    restarted: bool = False  # the server changed UIDVALIDITY


def _imapclient() -> Any:
    try:
        import imapclient
    except ImportError as exc:  # pragma: no cover - a broken install
        raise MailError("IMAP support is missing.", "Run: pip install imapclient==4.1.0") from exc
    return imapclient


def _where(account: Account) -> str:
    return f"{account.imap_host}:{account.imap_port}"


@contextmanager
def imap_session(account: Account, timeout: float = TIMEOUT) -> Iterator[Any]:
    """A logged-in IMAPClient over verified TLS; every failure is one MailError."""
    imapclient = _imapclient()
    from imapclient.exceptions import IMAPClientError, LoginError

    client: Any = None
    try:
        context = account.tls_context()
        client = imapclient.IMAPClient(
            account.imap_host,
            port=account.imap_port,
            ssl=account.imap_security == "tls",
            ssl_context=context,
            timeout=timeout,
        )
        if account.imap_security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise MailError(
                    f"{_where(account)} does not offer STARTTLS, so OS1 will not log in there.",
                    "Use its TLS port (usually 993) with --imap-security tls.",
                )
            client.starttls(context)
        client.login(account.login, account.password)
    except LoginError as exc:
        raise MailAuthError(
            f"{_where(account)} refused the login for {account.login}.",
            "Check the app password, then run `os1 mail add` again.",
        ) from exc
    except ssl.SSLCertVerificationError as exc:
        raise MailError(
            f"The certificate of {_where(account)} is not trusted ({exc.verify_message}).",
            "If it is your own server, pass its certificate with --ca-file.",
        ) from exc
    except (OSError, IMAPClientError) as exc:
        raise MailError(
            f"Could not talk to the mail server {_where(account)} ({type(exc).__name__}).",
            "Check the host, port and network, then try again.",
        ) from exc
    try:
        yield client
    except (OSError, IMAPClientError) as exc:
        raise MailError(
            f"The mail server {_where(account)} stopped answering ({type(exc).__name__}).",
            "Try again; what was fetched so far is kept.",
        ) from exc
    finally:
        with contextlib.suppress(TimeoutError, OSError, IMAPClientError):
            client.logout()


def special_folder(client: Any, flag: bytes, fallback: str) -> str:
    """The folder the server marks with a SPECIAL-USE flag (\\Sent), else `fallback`."""
    for flags, _delimiter, name in client.list_folders():
        if flag in flags:
            return str(name)
    return fallback


def _flags(values: Any) -> tuple[str, ...]:
    return tuple(
        (f.decode("utf-8", "replace") if isinstance(f, bytes) else str(f)) for f in values or ()
    )


def sync_folder(
    client: Any,
    mail: MailStore,
    source_id: int,
    name: str,
    role: FolderRole,
    own: set[str],
    progress: Progress | None = None,
) -> FolderReport:
    """Bring one folder up to date with the server."""
    report = FolderReport(name)
    state = mail.folder(source_id, name, role)
    info = client.select_folder(name, readonly=True)
    validity = int(info.get(b"UIDVALIDITY", 0))
    uidnext = int(info.get(b"UIDNEXT", 0))
    modseq_raw = info.get(b"HIGHESTMODSEQ")
    modseq = int(modseq_raw) if modseq_raw is not None else None
    if state.uidvalidity is not None and state.uidvalidity != validity:
        mail.reset_folder(state)
        report.restarted = True
    known = mail.known_uids(state.id)
    unchanged = (
        state.uidvalidity == validity
        and state.uidnext == uidnext
        and modseq is not None
        and state.highestmodseq == modseq
        and int(info.get(b"EXISTS", -1)) == len(known)
    )
    state.uidvalidity = validity
    if not unchanged:
        report.flags_changed, report.gone = _changes(client, mail, state, known, modseq)
        report.added = _fetch_new(client, mail, state, role, own, progress)
    state.uidnext, state.highestmodseq = uidnext, modseq
    mail.save_folder(state)
    return report


def _changes(
    client: Any,
    mail: MailStore,
    state: FolderState,
    known: dict[int, tuple[str, ...]],
    modseq: int | None,
) -> tuple[int, int]:
    """Flags changed and messages expunged since the last sync."""
    if not known:
        return 0, 0
    on_server = {int(u) for u in client.search(["ALL"])}
    gone = [u for u in known if u not in on_server]
    mail.mark_gone(state.id, gone)
    uids = sorted(u for u in known if u in on_server)
    modifiers = (
        [f"CHANGEDSINCE {state.highestmodseq}"]
        if modseq is not None and state.highestmodseq
        else None
    )
    changed: dict[int, tuple[str, ...]] = {}
    for start in range(0, len(uids), _FLAG_CHUNK):
        chunk = uids[start : start + _FLAG_CHUNK]
        for uid, data in client.fetch(chunk, ["FLAGS"], modifiers=modifiers).items():
            flags = _flags(data.get(b"FLAGS"))
            if flags != known.get(int(uid)):
                changed[int(uid)] = flags
    mail.set_flags(state.id, changed)
    return len(changed), len(gone)


def _fetch_new(
    client: Any,
    mail: MailStore,
    state: FolderState,
    role: FolderRole,
    own: set[str],
    progress: Progress | None,
) -> list[int]:
    # "n:*" always includes the last message, even when its UID is below n.
    found = client.search(["UID", f"{state.last_uid + 1}:*"])
    new = sorted(u for u in (int(x) for x in found) if u > state.last_uid)
    added: list[int] = []
    for start in range(0, len(new), _BATCH):
        chunk = new[start : start + _BATCH]
        sizes = client.fetch(chunk, ["RFC822.SIZE"])
        small = [
            u for u in chunk if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= MAX_MESSAGE_BYTES
        ]
        large = [u for u in chunk if u not in small]
        fetched = dict(client.fetch(small, ["FLAGS", "BODY.PEEK[]"])) if small else {}
        if large:  # read only the first part of a giant message
            fetched.update(client.fetch(large, ["FLAGS", f"BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>"]))
        batch = []
        for uid in chunk:
            data = fetched.get(uid)
            if data is None:
                continue  # expunged meanwhile
            raw = data.get(b"BODY[]") or data.get(b"BODY[]<0>") or b""
            parsed = parse_message(bytes(raw))
            outgoing = role == "sent" or parsed.sender.addr in own
            batch.append(Incoming(parsed, uid, _flags(data.get(b"FLAGS")), outgoing))
        added += mail.add_many(state.id, batch)
        state.last_uid = chunk[-1]
        mail.save_folder(state)  # kept: an interrupted sync continues from here
        if progress:
            progress(state.name, start + len(chunk), len(new))
    return added
