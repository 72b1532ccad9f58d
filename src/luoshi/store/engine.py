"""Engine and session factories, built on demand (never at import time).

SQLite files run in WAL mode with foreign keys and a busy timeout on every connection. Two kinds
of transaction (see :func:`create_engine_for`): read transactions are plain deferred ``BEGIN`` and
run concurrently with each other and with a writer (WAL); write transactions start with
``BEGIN IMMEDIATE`` and are serialised here, in the store: within one process by a fair lock per
database file (a thread waits on it without polling), across processes by SQLite's lock, waited
for with the busy timeout and retried on busy until :data:`BUSY_TIMEOUT_MS` has passed. The lock
is released as soon as the transaction commits or rolls back, so keep write transactions short.
PostgreSQL goes through psycopg 3 and needs none of this. Every engine gets the listeners of
:mod:`luoshi.store.cancel` (a request whose client has gone stops its running query).
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, Table, create_engine, event, inspect, null, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from luoshi.store import cancel
from luoshi.store.faults import StorageBusy

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SQLITE_MAX_PARAMS",
    "chunked",
    "create_engine_for",
    "held_or_read",
    "normalize_url",
    "session_factory",
    "upsert",
]

BUSY_TIMEOUT_MS = 10_000
# Bound parameters per statement kept under SQLite's historic limit of 999: long ``IN (...)``
# lists are sent in chunks of this size (PostgreSQL takes them in chunks just as well).
SQLITE_MAX_PARAMS = 900
_RETRY_STEP_S = 0.25  # SQLite's own busy wait per attempt of BEGIN IMMEDIATE, then we retry

T = TypeVar("T")
M = TypeVar("M")


def chunked(items: Sequence[T] | Iterator[T], size: int = SQLITE_MAX_PARAMS) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size``: the one place long ``IN`` lists are split."""
    part: list[T] = []
    for item in items:
        part.append(item)
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def held_or_read(session: Session, model: type[M], ids: Iterable[int]) -> dict[int, M]:
    """The rows of ``model`` with primary keys ``ids``, by id: those the session holds already
    (loaded, not expired) as they are, the others in one ``IN`` query per chunk (missing ids are
    left out). What a commit hook uses to reach the rows its request just wrote without reading
    them back: a row-wide ORM SELECT costs more CPU than the INSERT that made it."""
    out: dict[int, M] = {}
    missing: list[int] = []
    for i in sorted({int(i) for i in ids}):
        obj = session.identity_map.get(identity_key(model, i))
        state = inspect(obj) if obj is not None else None
        if (
            obj is not None
            and state is not None
            and not state.expired
            and not state.expired_attributes
            and not state.deleted
            and not state.was_deleted
        ):
            out[i] = obj
        else:
            missing.append(i)
    mapper = inspect(model)
    for part in chunked(missing):
        for obj in session.scalars(select(model).where(mapper.primary_key[0].in_(part))):
            out[int(mapper.primary_key_from_instance(obj)[0])] = obj
    return out


def upsert(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], reset: Iterable[str] = ()
) -> None:
    """Insert ``rows`` into ``table``, replacing the rows of the same primary key: one statement
    (per 1,000 rows) instead of a DELETE and an INSERT. Columns named in ``reset`` and not given
    become NULL on a replaced row, as on a new one. SQLite and PostgreSQL (``ON CONFLICT``)."""
    if not rows:
        return
    stmt = _upsert_statement(session.get_bind().dialect.name, table, tuple(rows[0]), tuple(reset))
    for start in range(0, len(rows), 1000):
        session.execute(stmt, list(rows[start : start + 1000]))


@functools.lru_cache(maxsize=64)
def _upsert_statement(dialect: str, table: Table, given: tuple[str, ...], reset: tuple[str, ...]) -> Any:
    """Built once per shape: building and hashing the construct costs more than running it."""
    from sqlalchemy.dialects import postgresql, sqlite

    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    keys = [c.name for c in table.primary_key.columns]
    changes: dict[str, Any] = {name: stmt.excluded[name] for name in given if name not in keys}
    changes.update({name: null() for name in reset if name not in changes})
    return stmt.on_conflict_do_update(index_elements=keys, set_=changes)


def normalize_url(url_or_path: str | Path) -> str:
    """A database URL from ``--db``: a path becomes ``sqlite:///PATH``; ``postgresql://`` uses psycopg."""
    raw = str(url_or_path).strip()
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    if raw.startswith("postgresql://") or raw.startswith("postgres://"):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


class FairLock:
    """A lock granted in the order it was asked for (``threading.Lock`` is not: under a queue of
    writers one of them can lose every race until its timeout, and answer 503 while later ones
    get through). Like ``threading.Lock`` it may be released by another thread than the one that
    took it (a session may commit in another thread-pool thread than the one that began).

    Each waiter waits on a lock of its own, and a release hands the lock straight to the first in
    line, waking that thread alone: waking every waiter to let all but one go back to sleep cost
    a thread switch per waiter on every commit (with eight writers queued, most of the lock's CPU).
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False  # while held, or handed over: never False with waiters in line
        self._queue: deque[threading.Lock] = deque()

    def acquire(self, timeout: float = -1) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._queue.append(waiter)
        if waiter.acquire(timeout=timeout) if timeout >= 0 else waiter.acquire():
            return True  # handed over by release(): held for us
        with self._guard:
            if waiter in self._queue:
                self._queue.remove(waiter)
                return False
        return True  # handed over between the timeout and the guard: ours after all

    def release(self) -> None:
        with self._guard:
            if not self._held:
                raise RuntimeError("release of an unheld FairLock")
            if self._queue:
                self._queue.popleft().release()  # stays held, now by the next in line
            else:
                self._held = False


_LOCKS: dict[str, FairLock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(database: str) -> FairLock:
    """One lock per database file for this process, shared by every engine on that file."""
    key = (
        database
        if database.startswith(":memory:") or database.startswith("file:")
        else str(Path(database).resolve())
    )
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, FairLock())


class _SQLiteConnection(sqlite3.Connection):
    """A DB-API connection that gives the process's write lock back when its transaction ends."""

    write_lock: FairLock | None = None
    holds_lock = False

    def _release(self) -> None:
        if self.holds_lock and self.write_lock is not None:
            self.holds_lock = False
            self.write_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver must not open transactions itself; we emit BEGIN / BEGIN IMMEDIATE ourselves.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    try:
        cur.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:  # e.g. a read-only file: reads still work, writes fail clearly
        pass
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _begin_immediate(dbapi_conn: _SQLiteConnection) -> None:
    """Take this process's lock, then SQLite's write lock, retrying on busy up to the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    lock = dbapi_conn.write_lock
    if lock is not None and not dbapi_conn.holds_lock:
        if not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise StorageBusy("数据库正忙（另一个写入长时间未结束），请稍后重试。")
        dbapi_conn.holds_lock = True
    try:
        cur = dbapi_conn.cursor()
        # Short busy waits inside SQLite, retried here: another process's long write (a sheet
        # being parsed) is waited out, and our own deadline stays exact.
        cur.execute(f"PRAGMA busy_timeout = {int(_RETRY_STEP_S * 1000)}")
        try:
            while True:
                try:
                    cur.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        from luoshi.store.faults import classify

                        raise (classify(exc) or exc) from exc
                    if time.monotonic() >= deadline:
                        raise StorageBusy("数据库正忙（另一个写入长时间未结束），请稍后重试。") from exc
                    time.sleep(0.01)
        finally:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.close()
    except BaseException:
        dbapi_conn._release()
        raise


def _sqlite_begin(conn: Any) -> None:
    dbapi = conn.connection.dbapi_connection
    if isinstance(dbapi, _SQLiteConnection):
        _begin_immediate(dbapi)
    else:  # a connection made by someone else's factory: plain SQLite busy waiting
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def create_engine_for(
    url: str | Path, *, echo: bool = False, immediate: bool = True, **kwargs: Any
) -> Engine:
    """Engine for a URL or SQLite path, configured for luoshi (see module docstring).

    ``immediate=False`` (SQLite only) gives plain deferred transactions: right for read-only work,
    which then never waits for writers (WAL), but a write in such a transaction may fail with
    "database is locked" under contention.
    """
    full = normalize_url(url)
    parsed = make_url(full)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ":memory:"
        if database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("timeout", BUSY_TIMEOUT_MS / 1000)
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("factory", _SQLiteConnection)
        engine = create_engine(full, echo=echo, connect_args=connect_args, **kwargs)
        lock = _write_lock(database)

        def _on_connect(dbapi_conn: Any, record: Any) -> None:
            if isinstance(dbapi_conn, _SQLiteConnection):
                dbapi_conn.write_lock = lock if immediate else None
            _sqlite_pragmas(dbapi_conn, record)

        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _sqlite_begin if immediate else _sqlite_begin_deferred)
        cancel.install(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(full, echo=echo, **kwargs)
    cancel.install(engine)  # a request whose client has gone stops its running query
    return engine


def session_factory(engine: Engine, info: dict[str, Any] | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (handy for templates and JSON); ``info``
    seeds each session's ``info`` (a store puts its settings there, see luoshi.tracking.touched)."""
    if info:
        return sessionmaker(bind=engine, expire_on_commit=False, info=info)
    return sessionmaker(bind=engine, expire_on_commit=False)
