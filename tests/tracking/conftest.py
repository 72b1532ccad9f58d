"""Database fixtures of the store tests: a real SQLite file and a private PostgreSQL schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file under tmp_path, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'luoshi.db'}"
        return
    from luoshi.store.testing import private_postgres_schema

    pg = request.getfixturevalue("postgres_url")
    with private_postgres_schema(pg) as url:
        yield url
