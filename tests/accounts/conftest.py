"""A fresh SQLite store per test (real file, migrated)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store import Store, open_store


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'luoshi.db'}", login_max_failures=3, login_lockout_seconds=60
    )


@pytest.fixture
def store(settings) -> Iterator[Store]:
    st = open_store(settings)
    yield st
    st.dispose()


@pytest.fixture
def session(store) -> Iterator[Session]:
    with store.sessionmaker() as s:
        yield s
