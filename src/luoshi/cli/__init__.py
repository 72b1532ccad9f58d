"""Thin command line: each command builds one configured object and calls into the package.

The Typer app (``luoshi.cli.app``, defined in :mod:`luoshi.cli.commands`) is built on first use.
``luoshi extract`` with plain arguments — the command scripts run once per report — is run by
:func:`main` without it: importing typer and building the pydantic type adapters it checks
arguments with cost more CPU than extracting a report. Anything else (help, another command, an
argument the plain reading does not take, a mistake to report) goes through the app.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TYPE_CHECKING, Any

from luoshi.errors import LuoshiError

if TYPE_CHECKING:
    import typer

    app: typer.Typer

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from luoshi.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Entry point of the ``luoshi`` console script."""
    try:
        _plain_extract(sys.argv[1:])  # exits if it ran the command
        from luoshi.cli.commands import app

        app(standalone_mode=True)
    except LuoshiError as exc:
        print(f"luoshi: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)


def _plain_extract(args: list[str]) -> None:
    """Run ``luoshi extract ARGS`` and exit, if the arguments are plain; else return."""
    if args[:1] != ["extract"] or os.name == "nt":
        return  # on Windows the app expands ~, variables and wildcards in the arguments first
    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return  # a shell-completion request
    from luoshi.cli import extract_run

    parsed = extract_run.parse_plain(args[1:])
    if parsed is None:
        return
    # the exits of the app's standalone mode, so both ways end alike
    try:
        status = extract_run.run(*parsed)
    except KeyboardInterrupt:
        status = 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        _silence_stdout()  # the reader went away: no "Exception ignored" noise at exit
        status = 1
    sys.exit(status)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
