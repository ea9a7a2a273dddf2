"""`os1 user add|token|revoke|list`: who may use OS1 through the page and the API."""

from __future__ import annotations

import argparse

from os1.app import App
from os1.cli.lines import say
from os1.server.accounts import Accounts
from os1.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    user = sub.add_parser("user", help="accounts for the web page and the API")
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="create a user and print their token")
    add.add_argument("name")
    token = actions.add_parser("token", help="print a new token for a user")
    token.add_argument("name")
    revoke = actions.add_parser("revoke", help="revoke all of a user's tokens")
    revoke.add_argument("name")
    actions.add_parser("list", help="users and how many live tokens each has")
    user.set_defaults(handler=run_user)


def run_user(args: argparse.Namespace, settings: Settings) -> int:
    app = App(settings)
    try:
        accounts = Accounts(app.store)
        if args.action == "list":
            for row in accounts.listing():
                used = (row.last_used_at or "never")[:16].replace("T", " ")
                print(f"{row.handle}\t{row.tokens} live token(s)\tlast used {used}")
            return 0
        if args.action == "revoke":
            count = accounts.revoke(args.name)
            say(f"Revoked {count} token(s) of {args.name}; their memories stay.")
            return 0
        token = accounts.add(args.name) if args.action == "add" else accounts.new_token(args.name)
        print(token)
        say("Keep this token secret: it is shown only once. Sign in with it on the page,")
        say("or use it as the API key of any OpenAI client (base URL http://HOST:PORT/v1).")
        return 0
    finally:
        app.store.close()
