"""Fixtures for `luoshi extract` tests: a CliRunner and real report files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner


@pytest.fixture()
def run() -> Any:
    """Invoke `luoshi ...` in-process; returns click's Result (stdout/stderr kept apart)."""
    from luoshi.cli import app

    runner = CliRunner()

    def _run(*args: str | Path) -> Any:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return _run


@pytest.fixture(scope="session")
def demo_text(demo_report_path: Path) -> str:
    return demo_report_path.read_text(encoding="utf-8")


def load_json(text: str) -> Any:
    return json.loads(text)
