"""CLI commands (placeholder: filled in by the owner of this module)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
