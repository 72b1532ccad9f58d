"""luoshi.store.cancel on a real SQLite file and on PostgreSQL: a stopped read session's running
query ends at once and its connection goes back to the pool clean; a stopped write session's
running statement and its commit are left alone (only its further ORM statements are refused)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store import Store, open_store
from luoshi.store.cancel import ClientGone, StopSignal
from luoshi.store.models import Jurisdiction


@pytest.fixture()
def store(db_url: str) -> Iterator[Store]:
    opened = open_store(Settings(database_url=db_url, secret_key="test-secret"))
    yield opened
    opened.dispose()


def _slow(store: Store, seconds_at_least: int) -> str:
    """A query that takes at least about that long (SQLite: ~1.2 s of CPU per 10^7 steps)."""
    if store.engine.dialect.name == "sqlite":
        n = seconds_at_least * 10_000_000
        return f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) SELECT count(*) FROM c"
    return f"SELECT {seconds_at_least * 10_000_000} FROM pg_sleep({seconds_at_least})"


def _dbapi_id(session: Session) -> int:
    return id(session.connection().connection.dbapi_connection)


def test_a_stopped_read_ends_its_running_query_and_pools_its_connection_clean(store: Store) -> None:
    signal = StopSignal()
    session = store.reader(signal)
    conn = _dbapi_id(session)
    threading.Timer(0.3, signal.stop).start()
    started = time.monotonic()
    with pytest.raises(ClientGone):
        session.execute(text(_slow(store, 30))).all()
    assert time.monotonic() - started < 5, "the query was not stopped"
    with pytest.raises(ClientGone):  # and nothing more runs in that session
        session.execute(select(Jurisdiction)).all()
    session.rollback()
    session.close()

    again = store.reader(StopSignal())
    try:  # the same DB-API connection, out of the pool, with no transaction left open
        assert _dbapi_id(again) == conn
        assert again.execute(text("SELECT 1")).scalar() == 1
    finally:
        again.close()
    with store.session() as writer:  # and the database takes writes as before
        writer.add(Jurisdiction(name="甲区"))
    with store.read_session() as reader:
        assert reader.scalars(select(Jurisdiction.name)).all() == ["甲区"]


def test_a_stopped_write_finishes_its_statement_and_its_commit(store: Store) -> None:
    signal = StopSignal()
    session = store.writer(signal)
    session.add(Jurisdiction(name="乙区"))
    session.flush()
    threading.Timer(0.2, signal.stop).start()
    started = time.monotonic()
    assert session.execute(text(_slow(store, 1))).scalar() == 10_000_000  # ran to its end
    assert time.monotonic() - started > 0.2 and signal.is_set()  # the stop came while it ran
    with pytest.raises(ClientGone):
        session.execute(select(Jurisdiction)).all()
    session.commit()  # what the request did so far is kept: a commit is never interrupted
    session.close()
    with store.read_session() as reader:
        assert reader.scalars(select(Jurisdiction.name)).all() == ["乙区"]


def test_a_signal_stopped_before_the_first_query_refuses_it(store: Store) -> None:
    signal = StopSignal()
    signal.stop()
    session = store.reader(signal)
    try:
        with pytest.raises(ClientGone):
            session.execute(select(Jurisdiction)).all()
        with pytest.raises(ClientGone):  # a Core statement on the session's connection, too
            session.connection().exec_driver_sql("SELECT 1")
    finally:
        session.close()
