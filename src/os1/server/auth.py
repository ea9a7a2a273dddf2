"""Who is asking: the bearer token names the account, and the account is all a route gets."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from os1.server.accounts import Account
from os1.server.errors import unauthorized
from os1.server.hub import Hub

bearer = HTTPBearer(auto_error=False, description="The token that `os1 user add NAME` printed.")


def hub_of(request: Request) -> Hub:
    return cast(Hub, request.app.state.hub)


async def current_account(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Account:
    """The signed-in account; 401 for a missing, unknown or revoked token."""
    if credentials is None:
        raise unauthorized()
    account = hub_of(request).accounts.authenticate(credentials.credentials)
    if account is None:
        raise unauthorized()
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]
HubDep = Annotated[Hub, Depends(hub_of)]
