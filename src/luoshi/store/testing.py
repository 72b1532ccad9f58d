"""Helpers for tests on real databases: a private PostgreSQL schema, a fresh SQLite file.

Several test runs may share the PostgreSQL database ``test`` at once, so each gets its own
schema (``luoshi_test_<random>``) selected through ``search_path`` and dropped afterwards.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from luoshi.store.engine import normalize_url

__all__ = ["private_postgres_schema", "with_search_path"]


def with_search_path(url: str, schema: str) -> str:
    """The URL with ``options=-csearch_path=SCHEMA`` so every connection uses that schema."""
    base = normalize_url(url)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def private_postgres_schema(url: str, prefix: str = "luoshi_test") -> Iterator[str]:
    """Create a fresh schema on the server at ``url``; yield a URL bound to it; drop it at the end."""
    schema = f"{prefix}_{secrets.token_hex(5)}"
    admin = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
    if make_url(str(admin.url)).get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {url}")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield with_search_path(url, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
