"""``luoshi extract PATH... [--format json|table|csv|xlsx] [--output FILE_OR_DIR]``: its options
and help on the Typer app; the work is :func:`luoshi.cli.extract_run.run`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from luoshi.cli import extract_run
from luoshi.cli.extract_run import FORMAT_OPTION, OUTPUT_OPTION, Format

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="Report files (.txt .docx .html .htm .pdf), folders of them, or - for stdin."
        ),
    ],
    fmt: Annotated[Format, typer.Option(*FORMAT_OPTION, help="Output format.")] = Format.json,
    output: Annotated[
        str | None,
        typer.Option(
            *OUTPUT_OPTION,
            metavar="FILE_OR_DIR",
            help="Write to FILE; or to DIR (existing, ending in '/', or with several inputs), one file per input.",
        ),
    ] = None,
) -> None:
    """Extract every target and outcome from work reports (政府工作报告)."""
    status = extract_run.run(paths, fmt, output)
    if status:
        raise typer.Exit(status)
