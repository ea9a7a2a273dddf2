"""Real mail servers on loopback for the tests and benchmarks: Dovecot IMAP and aiosmtpd.

Dovecot runs unprivileged with its own configuration in a temporary folder (as
`nobody` when the suite runs as root, else as the current user), and serves both
STARTTLS (143-style) and implicit TLS (993-style) on random loopback ports with a
self-signed certificate made for the run. Each mailbox is a Maildir the helper seeds
before the first login, the way a real server holds years of mail.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "app-password-for-tests"  # every mailbox on the test server has this one


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, made now."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _wait_for(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/homes/%n
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    root: Path
    cert: Path
    imap_port: int
    imaps_port: int
    process: subprocess.Popen[bytes]
    run_as: str
    password: str = field(default="", init=False)
    users: dict[str, str] = field(default_factory=dict)

    def add_user(self, login: str, messages: list[bytes] | None = None, seen: bool = True) -> None:
        """A mailbox for `login`, seeded with `messages` as a Maildir (read ones in cur/)."""
        self.users[login] = self.password
        maildir = self.root / "homes" / login.split("@")[0] / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        for number, raw in enumerate(messages or []):
            name = f"{1_700_000_000 + number}.M{number}P1.os1test"
            target = maildir / ("cur" if seen else "new") / (name + (":2,S" if seen else ""))
            target.write_bytes(raw)
        self._own(self.root)

    def _own(self, path: Path) -> None:
        if os.geteuid() != 0:
            return
        entry = pwd.getpwnam(self.run_as)
        for folder, _dirs, files in os.walk(path):
            os.chown(folder, entry.pw_uid, entry.pw_gid)
            for name in files:
                os.chown(Path(folder) / name, entry.pw_uid, entry.pw_gid)

    def account(self, login: str, security: str = "starttls", **extra: Any) -> dict[str, Any]:
        """Keyword arguments for an os1 Account on this server (SMTP filled by the caller)."""
        port = self.imap_port if security == "starttls" else self.imaps_port
        return {
            "address": login,
            "password": self.users[login],
            "imap_host": "127.0.0.1",
            "imap_port": port,
            "imap_security": security,
            "ca_file": str(self.cert),
            **extra,
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@contextlib.contextmanager
def dovecot() -> Iterator[Dovecot]:
    """A Dovecot IMAP server on loopback, stopped (and its folder removed) afterwards."""
    if not Path(DOVECOT).exists():
        raise RuntimeError("Dovecot is missing: apt-get install dovecot-imapd")
    root = Path(tempfile.mkdtemp(prefix="os1-dovecot-", dir="/tmp"))
    root.chmod(0o755)
    run_as = "nobody" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    group = "nogroup" if os.geteuid() == 0 else grp.getgrgid(os.getegid()).gr_name
    for sub in ("run", "state", "homes"):
        (root / sub).mkdir()
    cert, key = make_certificate(root)
    imap, imaps = free_port(), free_port()
    (root / "dovecot.conf").write_text(
        _CONFIG.format(
            root=root,
            cert=cert,
            key=key,
            password=PASSWORD,
            user=run_as,
            group=group,
            imap=imap,
            imaps=imaps,
        )
    )
    server = Dovecot(root, cert, imap, imaps, None, run_as)  # type: ignore[arg-type]
    server.password = PASSWORD
    server._own(root)
    server.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        user=run_as if os.geteuid() == 0 else None,
        group=group if os.geteuid() == 0 else None,
        extra_groups=[] if os.geteuid() == 0 else None,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(imap)
        _wait_for(imaps)
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


# -- SMTP --------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> Any:
        return message_from_bytes(self.data)


@dataclass
class SmtpServer:
    port: int
    login: str
    password: str
    received: list[Received] = field(default_factory=list)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self._server.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server(
    cert: Path, key: Path, login: str, password: str, implicit_tls: bool = False
) -> Iterator[SmtpServer]:
    """aiosmtpd as a real submission server: STARTTLS (or implicit TLS) and AUTH required."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = SmtpServer(free_port(), login, password)

    def authenticate(
        _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == (
            login,
            password,
        )
        return AuthResult(success=ok)

    options: dict[str, Any] = {"authenticator": authenticate, "auth_required": True}
    if implicit_tls:
        controller = Controller(
            _Handler(server),
            hostname="127.0.0.1",
            port=server.port,
            ssl_context=context,
            auth_require_tls=False,  # it is all TLS
            **options,
        )
    else:
        controller = Controller(
            _Handler(server),
            hostname="127.0.0.1",
            port=server.port,
            tls_context=context,
            require_starttls=True,
            **options,
        )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
