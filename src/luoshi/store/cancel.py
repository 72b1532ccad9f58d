"""Stopping the database work of a request whose client has gone (issue 10).

The web layer makes one :class:`StopSignal` per request, hands it to the store with the request's
session (:meth:`luoshi.store.Store.reader` / :meth:`~luoshi.store.Store.writer`, which call
:func:`watch`) and calls :meth:`StopSignal.stop` when the client disconnects. From then on:

- every further ORM statement of a session watching the signal raises :class:`ClientGone`;
- in a *read* session the statement already running is stopped too: ``sqlite3.Connection.
  interrupt()`` on SQLite, a cancel request (psycopg ``cancel_safe()``) on PostgreSQL, issued from
  a helper thread on the session's own DB-API connection. The driver's error (SQLite
  "interrupted", PostgreSQL ``query_canceled``) is raised as :class:`ClientGone`; the request
  unwinds as after any error: rolled back, its connection returned to the pool and usable.

Which connection belongs to the request: the session's ``after_begin`` attaches the signal to the
``Connection`` it was given (one check-out of a pooled DB-API connection); that connection's
``commit``/``rollback`` events, which run *before* the driver's COMMIT/ROLLBACK (a session that
closes rolls back), detach it, under the signal's lock, so an interrupt never reaches a commit,
a rollback or a DB-API connection that another request has checked out since. A statement
counted as running (``before_cursor_execute`` to ``after_cursor_execute``) is interrupted again
every few tens of milliseconds until it ends: ``sqlite3_interrupt`` is a no-op when it lands
just before the statement's first step, and PostgreSQL ignores a cancel that arrives before the
query does.

Why read sessions only: a write transaction here is short by design (``BEGIN IMMEDIATE``, see
:mod:`luoshi.store.engine`), so stopping it mid-statement saves little, and the moment it could
cost something is the commit, whose outcome an interrupt or a cancel can leave unclear to the
code after it (a PostgreSQL cancel during a synchronous-replication wait reports an error for a
commit that happened). A write session keeps the rule it had: the statement running finishes;
its next ORM statement is refused, which rolls the whole transaction back; a route that needed
none commits as usual (the flush at commit is never refused). A read session has nothing to
lose: even a write made in it is rolled back whole.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, ExceptionContext
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

__all__ = ["ClientGone", "StopSignal", "install", "watch"]

logger = logging.getLogger("luoshi.store")

_SIGNAL = "luoshi.stop"  # session.info: the StopSignal
_ATTACHED = "_luoshi_stop"  # on a Connection (one checkout): (signal, its DB-API connection)
_INTERRUPTIBLE = "luoshi.stop.interrupt"  # session.info: True for a read session
_COUNTED = "_luoshi_stop_counted"  # on an execution context: its statement was counted as running
_RETRY_S = {"sqlite": 0.02, "postgresql": 0.1}  # re-interrupt a statement still running this often
_RETRY_FOR_S = 30.0  # and give up after this long (a statement that cannot be stopped at all)


class ClientGone(Exception):
    """Whoever waited for this work (a web request's client) has gone: the rest is not done."""


class StopSignal:
    """One request's "stop": set once by :meth:`stop`, read by the store's event listeners."""

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        # id(DB-API connection) -> [connection, dialect name, statements running on it]
        self._attached: dict[int, list[Any]] = {}

    def is_set(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        """Refuse the watching sessions' further statements and stop the running ones of the
        read sessions. Returns at once (safe in an event loop): the interrupts run in a thread."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        # Read without the lock: a connection attached after this sees the signal set at its
        # first statement (before_cursor_execute), so it needs no interrupt.
        if self._attached:
            threading.Thread(target=self._interrupt, name="luoshi-stop", daemon=True).start()

    def _interrupt(self) -> None:
        deadline = time.monotonic() + _RETRY_FOR_S
        first = True
        while True:
            with self._lock:
                entries = [e for e in self._attached.values() if first or e[2] > 0]
                for dbapi, dialect, _running in entries:
                    _interrupt(dbapi, dialect)
                running = [e[1] for e in self._attached.values() if e[2] > 0]
            if not running or time.monotonic() > deadline:
                return
            first = False
            time.sleep(min(_RETRY_S.get(d, 0.1) for d in running))

    def _attach(self, connection: Connection) -> None:
        dbapi = connection.connection.dbapi_connection
        if dbapi is None:
            return
        with self._lock:
            self._attached.setdefault(id(dbapi), [dbapi, connection.dialect.name, 0])
            setattr(connection, _ATTACHED, (self, dbapi))

    def _detach(self, dbapi: Any) -> None:
        with self._lock:
            self._attached.pop(id(dbapi), None)

    def _begin_statement(self, dbapi: Any) -> bool:
        """Count a statement as running on ``dbapi``; raise ClientGone once stopped."""
        with self._lock:
            if self._stopped.is_set():
                raise ClientGone("the client disconnected; the request's queries are refused")
            entry = self._attached.get(id(dbapi))
            if entry is None:
                return False
            entry[2] += 1
            return True

    def _end_statement(self, dbapi: Any) -> None:
        with self._lock:
            entry = self._attached.get(id(dbapi))
            if entry is not None and entry[2] > 0:
                entry[2] -= 1


def _interrupt(dbapi: Any, dialect: str) -> None:
    try:
        if isinstance(dbapi, sqlite3.Connection):
            dbapi.interrupt()  # thread-safe; makes the running statement fail with "interrupted"
        elif hasattr(dbapi, "cancel_safe"):
            dbapi.cancel_safe(timeout=5.0)  # psycopg 3: waits until the server took the request
        elif hasattr(dbapi, "cancel"):
            dbapi.cancel()
    except Exception:  # noqa: BLE001 - a connection closed meanwhile: nothing left to stop
        logger.debug("interrupting a %s statement failed", dialect, exc_info=True)


def watch(session: Session, signal: StopSignal, *, interrupt: bool) -> None:
    """Let ``signal`` stop ``session``'s work: refuse its further statements, and with
    ``interrupt`` (read sessions only, see the module's docstring) stop the running one too."""
    session.info[_SIGNAL] = signal
    session.info[_INTERRUPTIBLE] = interrupt


def _stopped_by_us(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return getattr(exc, "sqlite_errorname", "") == "SQLITE_INTERRUPT" or str(exc) == "interrupted"
    return getattr(exc, "sqlstate", None) == "57014"  # query_canceled (psycopg)


@event.listens_for(Session, "do_orm_execute")
def _refuse_when_gone(state: ORMExecuteState) -> None:
    signal: StopSignal | None = state.session.info.get(_SIGNAL)
    if signal is not None and signal.is_set():
        raise ClientGone("the client disconnected; the request's queries are refused")


@event.listens_for(Session, "after_begin")
def _attach_connection(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    signal: StopSignal | None = session.info.get(_SIGNAL)
    if signal is not None and session.info.get(_INTERRUPTIBLE):
        signal._attach(connection)


def _before_cursor_execute(
    conn: Connection, _cursor: Any, statement: str, parameters: Any, context: Any, _many: bool
) -> tuple[str, Any]:
    attached = getattr(conn, _ATTACHED, None)
    if attached is not None and attached[0]._begin_statement(attached[1]) and context is not None:
        setattr(context, _COUNTED, attached)
    return statement, parameters


def _after_cursor_execute(
    _conn: Connection, _cursor: Any, _statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    attached = getattr(context, _COUNTED, None)
    if attached is not None:
        setattr(context, _COUNTED, None)
        attached[0]._end_statement(attached[1])


def _handle_error(ctx: ExceptionContext) -> BaseException | None:
    attached = getattr(ctx.execution_context, _COUNTED, None)
    if attached is not None:
        setattr(ctx.execution_context, _COUNTED, None)
        attached[0]._end_statement(attached[1])
    elif ctx.connection is not None:
        attached = getattr(ctx.connection, _ATTACHED, None)  # e.g. an error while fetching rows
    if attached is not None and attached[0].is_set() and _stopped_by_us(ctx.original_exception):
        ctx.is_disconnect = False  # the connection is fine: rolled back and pooled as usual
        return ClientGone("the client disconnected; its running query was stopped")
    return None


def _detach(conn: Connection) -> None:
    attached = getattr(conn, _ATTACHED, None)
    if attached is not None:
        setattr(conn, _ATTACHED, None)
        attached[0]._detach(attached[1])


def install(engine: Engine) -> None:
    """The engine-side listeners (luoshi.store.engine.create_engine_for installs them)."""
    event.listen(engine, "before_cursor_execute", _before_cursor_execute, retval=True)
    event.listen(engine, "after_cursor_execute", _after_cursor_execute)
    event.listen(engine, "handle_error", _handle_error)
    event.listen(engine, "commit", _detach)  # before the driver's COMMIT: never interrupted
    event.listen(engine, "rollback", _detach)  # also when a session closes its connection
