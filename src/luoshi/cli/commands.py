"""The Typer app: every command, its options and its help.

Command modules register themselves on the app; heavy imports (web, database, openpyxl) happen
inside the command functions. Built on first use of ``luoshi.cli.app`` (see :mod:`luoshi.cli`).
"""

from __future__ import annotations

import typer

from luoshi.cli.help_format import adapt_help

__all__ = ["app"]

adapt_help()  # no "<bool>" placeholder after flags, whichever typer is installed

app = typer.Typer(
    name="luoshi",
    help="luoshi (落实): turn a government work report into a live, accountable plan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def version() -> None:
    """Print luoshi's version."""
    from luoshi import __version__

    typer.echo(__version__)


def _register() -> None:
    # Each module owns its commands; order here is the order in --help.
    from luoshi.cli import (
        admin_cmds,
        corpus_cmd,
        extract_cmd,
        review_cmd,
        serve_cmd,
        store_cmds,
        supervision_cmds,
    )

    for module in (extract_cmd, store_cmds, serve_cmd, review_cmd, admin_cmds, supervision_cmds, corpus_cmd):
        module.register(app)


_register()
