"""Engine and session factories, built on demand (never at import time).

SQLite files get WAL mode, foreign keys and a busy timeout on every connection, and every
transaction starts with ``BEGIN IMMEDIATE`` so concurrent writers queue (up to the busy
timeout) instead of failing on a read-to-write lock upgrade. PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["BUSY_TIMEOUT_MS", "create_engine_for", "normalize_url", "session_factory"]

BUSY_TIMEOUT_MS = 10_000


def normalize_url(url_or_path: str | Path) -> str:
    """A database URL from ``--db``: a path becomes ``sqlite:///PATH``; ``postgresql://`` uses psycopg."""
    raw = str(url_or_path).strip()
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    if raw.startswith("postgresql://") or raw.startswith("postgres://"):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # The driver must not open transactions itself; we emit BEGIN IMMEDIATE in _sqlite_begin.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    try:
        cur.execute("PRAGMA journal_mode = WAL")
    except Exception:  # noqa: BLE001 - e.g. in-memory databases: WAL does not apply
        pass
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def create_engine_for(url: str | Path, *, echo: bool = False, immediate: bool = True, **kwargs: Any) -> Engine:
    """Engine for a URL or SQLite path, configured for luoshi (see module docstring).

    ``immediate=False`` (SQLite only) gives plain deferred transactions: right for read-only work,
    which then never waits for writers (WAL), but a write in such a transaction may fail with
    "database is locked" under contention.
    """
    full = normalize_url(url)
    parsed = make_url(full)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = dict(kwargs.pop("connect_args", {}))
        connect_args.setdefault("timeout", BUSY_TIMEOUT_MS / 1000)
        connect_args.setdefault("check_same_thread", False)
        engine = create_engine(full, echo=echo, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin if immediate else _sqlite_begin_deferred)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(full, echo=echo, **kwargs)


def session_factory(engine: Engine, info: dict[str, Any] | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (handy for templates and JSON); ``info``
    seeds each session's ``info`` (a store puts its settings there, see luoshi.tracking.touched)."""
    if info:
        return sessionmaker(bind=engine, expire_on_commit=False, info=info)
    return sessionmaker(bind=engine, expire_on_commit=False)
