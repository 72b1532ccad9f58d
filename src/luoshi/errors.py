"""Domain errors. The CLI turns these into one clean line and exit status 2."""

from __future__ import annotations


class LuoshiError(Exception):
    """Base of every error luoshi reports to a person rather than as a traceback."""

    exit_code = 2


class InputError(LuoshiError):
    """Bad input file or sheet: the message names the file and the problem."""


class NotFoundError(LuoshiError):
    """A named object (report, target, user, ...) does not exist."""


class PermissionDenied(LuoshiError):
    """The acting user may not do this."""
