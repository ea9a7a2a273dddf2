"""Mail accounts and their app passwords, in one TOML file that only the user can read.

TLS is not optional: IMAP over TLS (993) or STARTTLS (143), SMTP submission over TLS
(465) or STARTTLS (587). A server with its own certificate authority (a home server)
is trusted through `ca_file`, never by turning verification off.
"""

from __future__ import annotations

import os
import re
import ssl
import stat
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from os1.errors import ConfigError, InputError

Security = Literal["tls", "starttls"]
SECURITY: tuple[Security, ...] = ("tls", "starttls")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass(frozen=True)
class Account:
    name: str
    address: str
    password: str
    imap_host: str
    smtp_host: str
    username: str = ""  # the address when empty
    display_name: str = ""
    imap_port: int = 993
    imap_security: Security = "tls"
    smtp_port: int = 465
    smtp_security: Security = "tls"
    ca_file: str = ""
    sent_folder: str = ""  # found through the server's SPECIAL-USE \Sent when empty

    @property
    def login(self) -> str:
        return self.username or self.address

    def tls_context(self) -> ssl.SSLContext:
        """Certificate and host name always verified; `ca_file` adds a trusted authority."""
        context = ssl.create_default_context()
        if self.ca_file:
            try:
                context.load_verify_locations(cafile=self.ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise ConfigError(
                    f"The certificate file {self.ca_file} for mail account {self.name!r} "
                    "cannot be used.",
                    "Point --ca-file at a PEM certificate, or leave it out.",
                ) from exc
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def check(self) -> None:
        """Raise an InputError naming the first setting that cannot work."""
        if not _NAME.match(self.name):
            raise InputError(
                f"{self.name!r} cannot name an account.", "Use letters, digits, - and _."
            )
        if not _ADDRESS.match(self.address):
            raise InputError(f"{self.address!r} is not an email address.")
        for host, port, security in (
            (self.imap_host, self.imap_port, self.imap_security),
            (self.smtp_host, self.smtp_port, self.smtp_security),
        ):
            if not host or any(c.isspace() for c in host):
                raise InputError(f"{host!r} is not a server name.")
            if not 0 < port < 65536:
                raise InputError(f"{port} is not a port number.")
            if security not in SECURITY:
                raise InputError(
                    f"{security!r} is not a way to secure mail.",
                    "Use tls or starttls: OS1 never sends a password in the clear.",
                )
        if not self.password:
            raise InputError("The account needs its password (an app password is best).")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    escaped = "".join(
        {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, c)
        if c >= " " or c in "\n\r\t"
        else f"\\u{ord(c):04x}"
        for c in text
    )
    return f'"{escaped}"'


class AccountBook:
    """The accounts file: read and written whole, created with mode 600."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return {}
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"{self.path} holds mail passwords and other users can read it.",
                f"Run: chmod 600 {self.path}",
            )
        try:
            with self.path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{self.path} is not valid TOML ({exc}).", "Fix it.") from exc
        accounts = data.get("accounts", {})
        return accounts if isinstance(accounts, dict) else {}

    def all(self) -> list[Account]:
        known = {f.name for f in fields(Account)}
        found = []
        for name, values in self._read().items():
            if not isinstance(values, dict):
                continue
            clean = {k: v for k, v in values.items() if k in known and k != "name"}
            try:
                found.append(Account(name=name, **clean))
            except TypeError as exc:
                raise ConfigError(f"Mail account {name!r} in {self.path} is incomplete.") from exc
        return found

    def get(self, name: str | None = None) -> Account:
        accounts = self.all()
        if not accounts:
            raise InputError("No mail account is set up yet.", "Add one with `os1 mail add`.")
        if name is None:
            return accounts[0]
        for account in accounts:
            if account.name == name:
                return account
        names = ", ".join(a.name for a in accounts)
        raise InputError(f"There is no mail account {name!r}.", f"Known accounts: {names}.")

    def save(self, account: Account) -> None:
        """Add or replace one account; the file is written whole with mode 600."""
        account.check()
        accounts = {a.name: a for a in self.all()}
        accounts[account.name] = account
        lines = ["# OS1 mail accounts. Holds passwords: keep it readable by you alone.\n"]
        for item in accounts.values():
            lines.append(f"\n[accounts.{item.name}]\n")
            for key, value in asdict(item).items():
                if key != "name":
                    lines.append(f"{key} = {_toml_value(value)}\n")
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("".join(lines))
        temporary.chmod(0o600)
        temporary.replace(self.path)

    def addresses(self) -> set[str]:
        """The user's own addresses: mail from them is the user's own."""
        return {a.address.lower() for a in self.all()}
