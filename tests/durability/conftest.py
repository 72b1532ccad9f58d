"""Durability fixtures: a fresh database URL (real SQLite file, or a private PostgreSQL schema)
and a content fingerprint of every table."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from luoshi.store.models import Base


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'durable.db'}"
        return
    from luoshi.store.testing import private_postgres_schema

    pg = request.getfixturevalue("postgres_url")
    with private_postgres_schema(pg, prefix="h6_durability") as url:
        yield url


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of every row in primary-key order) of each table."""
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            digest = hashlib.sha256()
            n = 0
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
                n += 1
            out[table.name] = (n, digest.hexdigest())
    return out
