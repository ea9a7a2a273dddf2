"""Running the server: uvicorn on a socket OS1 binds itself (so a busy port is one line)."""

from __future__ import annotations

import ipaddress
import socket
import sys
from dataclasses import replace

from os1.app import App
from os1.errors import ConfigError
from os1.settings import Settings

WS_MAX_FRAME = 1 << 20  # one websocket frame: a long message, or a chunk of speech


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bind(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Listening now, not once the model has loaded: a client that comes early waits
        # in the queue instead of being refused.
        sock.listen(2048)
    except OSError as exc:
        raise ConfigError(
            f"Cannot listen on {host}:{port} ({exc.strerror}).",
            "Is another server using that port? Pick another with --port.",
        ) from exc
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, host: str, port: int, slots: int | None = None) -> None:
    """Serve until interrupted; the model is loaded once, shared by every user."""
    try:
        import uvicorn

        from os1.server.asgi import create_app
    except ImportError as exc:
        raise ConfigError(
            f"The web server's packages are missing ({exc.name}).",
            "Run `make run` again, or: .venv/bin/pip install -e .",
        ) from exc
    settings = replace(settings, parallel_slots=slots or settings.server_slots)
    sock = bind(host, port)
    app = App(settings)
    shown = f"[{host}]" if ":" in host else host
    print(f"OS1 is listening on http://{shown}:{sock.getsockname()[1]}/", flush=True)
    if not _loopback(host):
        print(
            "os1: listening beyond this machine; only signed-in users get in, but put TLS "
            "in front of it before anyone uses it over a network.",
            file=sys.stderr,
        )
    config = uvicorn.Config(
        create_app(app, speech=app.speech),
        log_level="warning",
        access_log=False,  # addresses and paths of who talked when: not ours to keep
        timeout_keep_alive=5,
        ws_max_size=WS_MAX_FRAME,
        ws_ping_interval=20,
        ws_ping_timeout=20,
        timeout_graceful_shutdown=10,
    )
    uvicorn.Server(config).run(sockets=[sock])
