"""A GET whose client has gone stops the query it is running (luoshi.store.cancel), on a real
uvicorn server, on SQLite and on PostgreSQL.

The app is the factory's plus a test-only router (never part of the production app):
``/test/slow`` runs a query that takes far longer than the test waits (SQLite: a recursive CTE
counting to 10^8, ~12 s of CPU; PostgreSQL: ``pg_sleep(30)``), ``/test/conn`` names the DB-API
connection its session was given. The client sends ``/test/slow`` on a raw socket and closes it
while the query runs: the query must end within a few seconds as ClientGone (PostgreSQL:
``pg_stat_activity`` shows it no longer running), and the next request, on the same pooled
connection, must work.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.cancel import ClientGone
from luoshi.web import disconnect
from luoshi.web.security import get_db
from luoshi.web.server import ServerLimits
from tests.web.test_slow_clients import served

STOPPED_WITHIN_S = 5.0  # the query itself takes 12-30 s; a stop takes milliseconds on an idle machine


class Probe:
    """What the test routes saw: the slow query's connection, how it ended and when."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.started = threading.Event()  # the slow statement is about to run
        self.ended = threading.Event()
        self.ended_at = 0.0
        self.outcome = ""
        self.conn = 0
        self.hold: threading.Event | None = None  # when set by a test: hold the statement until set

    def before_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.marker in statement:
            self.started.set()
            if self.hold is not None:
                assert self.hold.wait(30), "the test never let the statement go"


def slow_sql(dialect: str, marker: str) -> str:
    if dialect == "sqlite":
        return (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
            f"SELECT count(*) FROM c /* {marker} */"
        )
    return f"SELECT pg_sleep(30) /* {marker} */"


def extra_router(probe: Probe, dialect: str) -> APIRouter:
    router = APIRouter()

    @router.get("/test/slow")
    def slow(db: Session = Depends(get_db)) -> dict[str, str]:
        probe.conn = id(db.connection().connection.dbapi_connection)
        try:
            db.execute(text(slow_sql(dialect, probe.marker))).all()
        except ClientGone:
            probe.outcome = "stopped"
            raise
        except BaseException as exc:
            probe.outcome = repr(exc)
            raise
        else:
            probe.outcome = "finished"
        finally:
            probe.ended_at = time.monotonic()
            probe.ended.set()
        return {"done": "yes"}

    @router.get("/test/conn")
    def conn(db: Session = Depends(get_db)) -> dict[str, int]:
        db.execute(text("SELECT 1")).all()
        return {"conn": id(db.connection().connection.dbapi_connection)}

    return router


@pytest.fixture()
def slow_app(db_url: str, tmp_path: Path) -> Iterator[tuple[FastAPI, Probe, str]]:
    from luoshi.web.app import create_app

    settings = Settings(database_url=db_url, upload_dir=str(tmp_path / "uploads"), secret_key="test-secret")
    store = open_store(settings)
    app = create_app(settings, store=store)
    dialect = store.engine.dialect.name
    probe = Probe(f"luoshi-slow-{secrets.token_hex(6)}")
    app.include_router(extra_router(probe, dialect))
    engine = store.read_engine or store.engine  # a GET reads through the store's reader
    event.listen(engine, "before_cursor_execute", probe.before_execute)
    try:
        yield app, probe, db_url
    finally:
        if probe.hold is not None:
            probe.hold.set()
        event.remove(engine, "before_cursor_execute", probe.before_execute)
        store.dispose()


def _running_on_postgres(url: str, marker: str) -> int:
    """How many backends run a statement carrying ``marker`` now (another connection asks)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        "AND pid <> pg_backend_pid() AND query LIKE :pattern"
                    ),
                    {"pattern": f"%{marker}%"},
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _wait(condition: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def _check_stopped_and_reusable(app: FastAPI, probe: Probe, url: str, base: str, gone_at: float) -> None:
    assert probe.ended.wait(30), "the slow query was never stopped"
    assert probe.outcome == "stopped", probe.outcome
    took = probe.ended_at - gone_at
    assert took < STOPPED_WITHIN_S, f"the query ran on for {took:.2f} s after the client left"
    if app.state.store.engine.dialect.name == "postgresql":
        assert _running_on_postgres(url, probe.marker) == 0, "PostgreSQL still runs the query"
    with httpx.Client(base_url=base, timeout=30) as client:
        again = client.get("/test/conn")
        assert again.status_code == 200, again.text
        assert again.json()["conn"] == probe.conn  # the very connection the query was stopped on
        assert client.get("/healthz").json() == {"status": "ok"}


def _send_slow(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /test/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
    return sock


def test_running_query_stops_when_the_client_leaves(slow_app: tuple[FastAPI, Probe, str]) -> None:
    app, probe, url = slow_app
    with served(app, ServerLimits()) as (base, port, server):
        before = disconnect.stopped["requests"]
        sock = _send_slow(port)
        assert probe.started.wait(30), "the request never reached its query"
        if app.state.store.engine.dialect.name == "postgresql":
            _wait(lambda: _running_on_postgres(url, probe.marker) == 1, 10, "pg_sleep never started")
        else:
            time.sleep(0.3)  # well inside the query's 12 s of stepping
        assert not probe.ended.is_set()
        sock.close()
        gone_at = time.monotonic()
        _check_stopped_and_reusable(app, probe, url, base, gone_at)
        assert disconnect.stopped["requests"] == before + 1
        _wait(lambda: not server.server_state.tasks, 30, "the stopped request never ended")


def test_query_starting_as_the_client_leaves_is_stopped(slow_app: tuple[FastAPI, Probe, str]) -> None:
    """The stop lands after the statement was let through but before the database runs it (an
    interrupt then is a no-op on SQLite, a cancel is ignored by PostgreSQL): the store
    interrupts again while the statement runs."""
    app, probe, url = slow_app
    probe.hold = threading.Event()
    with served(app, ServerLimits()) as (base, port, _server):
        before = disconnect.stopped["requests"]
        sock = _send_slow(port)
        assert probe.started.wait(30), "the request never reached its query"
        sock.close()
        gone_at = time.monotonic()
        _wait(
            lambda: disconnect.stopped["requests"] > before, 30, "the server did not notice the client left"
        )
        time.sleep(0.1)  # the first interrupt has come and gone
        probe.hold.set()
        _check_stopped_and_reusable(app, probe, url, base, gone_at)
