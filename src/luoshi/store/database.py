"""Open a store: apply migrations (Alembic, shipped inside the package), then hand out sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from luoshi.settings import Settings
from luoshi.store.cancel import StopSignal, watch
from luoshi.store.engine import create_engine_for, normalize_url, session_factory

__all__ = ["MIGRATIONS_DIR", "Store", "alembic_config", "current_revision", "open_store", "upgrade_database"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x6C756F73  # "luos": advisory lock key held while migrating PostgreSQL


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_database(url_or_engine: str | Path | Engine, revision: str = "head") -> None:
    """Bring a database (URL, SQLite path or Engine) up to the latest schema; safe to repeat."""
    engine = url_or_engine if isinstance(url_or_engine, Engine) else create_engine_for(url_or_engine)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two processes starting on a new database at once: the second waits, then finds it done.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        if not isinstance(url_or_engine, Engine):
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision a database is at (None when it has never been upgraded)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class Store:
    """An upgraded database: its engine, its session factory and the settings it was opened with."""

    engine: Engine
    sessionmaker: sessionmaker[Session]
    settings: Settings
    read_engine: Engine | None = None  # SQLite: deferred transactions for read-only work
    read_sessionmaker: Callable[[], Session] | None = None  # sessions on ``read_engine``

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessionmaker() as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reading only (pages, exports): on SQLite it never waits for writers.
        Its transaction is rolled back at the end, so anything written in it is discarded."""
        engine = self.read_engine or self.engine
        with Session(bind=engine, expire_on_commit=False) as session, session.begin():
            yield session
            session.rollback()

    def reader(self, stop: StopSignal | None = None) -> Session:
        """A new session for a unit of work that only reads (a GET request): on SQLite its
        transactions are deferred, so it runs beside a writer and never takes the write lock.
        Once ``stop`` is set its statements are refused and the running one is interrupted
        (luoshi.store.cancel)."""
        session = (self.read_sessionmaker or self.sessionmaker)()
        if stop is not None:
            watch(session, stop, interrupt=True)
        return session

    def writer(self, stop: StopSignal | None = None) -> Session:
        """A new session for a unit of work that writes (a POST request). Once ``stop`` is set
        its further ORM statements are refused; the running one and the commit are left alone
        (luoshi.store.cancel says why)."""
        session = self.sessionmaker()
        if stop is not None:
            watch(session, stop, interrupt=False)
        return session

    def check(self) -> None:
        """The start-up check (:func:`luoshi.store.faults.check_database`); raises StorageError."""
        from luoshi.store.faults import check_database

        check_database(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not None:
            self.read_engine.dispose()


def open_store(settings: Settings, *, upgrade: bool = True) -> Store:
    """Open ``settings.database_url`` (creating and upgrading it when new) and return a :class:`Store`."""
    url = normalize_url(settings.database_url)
    engine = create_engine_for(url)
    if upgrade:
        try:
            upgrade_database(engine)
        except Exception as exc:
            from alembic.util.exc import CommandError

            from luoshi.store.faults import StorageOutdated, classify

            where = (
                str(engine.url.database or "")
                if engine.dialect.name == "sqlite"
                else engine.url.render_as_string(hide_password=True)
            )
            engine.dispose()
            if isinstance(exc, CommandError):  # e.g. a revision from a newer luoshi
                raise StorageOutdated(
                    f"数据库版本与当前程序不符（{where}）：{str(exc).splitlines()[0]}"
                ) from exc
            fault = classify(exc, where)
            if fault is None:
                raise
            raise fault from exc
    read_engine = create_engine_for(url, immediate=False) if engine.dialect.name == "sqlite" else None
    # Sessions carry the settings so that a commit can refresh the statuses it changed.
    return Store(
        engine=engine,
        sessionmaker=session_factory(engine, {"settings": settings}),
        settings=settings,
        read_engine=read_engine,
        read_sessionmaker=session_factory(read_engine, {"settings": settings})
        if read_engine is not None
        else None,
    )
