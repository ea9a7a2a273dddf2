"""`os1 serve`: the page and the OpenAI-compatible API, for every user, on one model."""

from __future__ import annotations

import argparse
import contextlib

from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="the web page and the OpenAI-compatible API")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (8765; 0 picks a free one)")
    serve.add_argument(
        "--slots", type=int, help="conversations the model decodes at once (OS1_SERVER_SLOTS)"
    )
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from os1.errors import InputError
    from os1.server.serve import serve

    if not 0 <= args.port <= 65535:
        raise InputError(f"--port must be between 0 and 65535, got {args.port}.")
    if args.slots is not None and not 1 <= args.slots <= 256:
        raise InputError(f"--slots must be between 1 and 256, got {args.slots}.")
    # Ctrl-C is how a server is stopped; uvicorn has shut down cleanly when it re-raises it.
    with contextlib.suppress(KeyboardInterrupt):
        serve(settings, args.host, args.port, args.slots)
    print("OS1 has stopped serving.", flush=True)
    return 0
