"""Mail's errors: each says what went wrong and what to do, in one line."""

from __future__ import annotations

from os1.errors import OS1Error


class MailError(OS1Error):
    """A mail server could not be reached or refused; trying again later may help."""

    transient = True


class MailAuthError(MailError):
    """The server refused the account's login: the fix is the user's, not a retry."""

    transient = False
