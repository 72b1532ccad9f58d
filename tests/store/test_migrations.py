from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from luoshi.settings import Settings
from luoshi.store import create_engine_for, current_revision, open_store, upgrade_database
from luoshi.store.engine import normalize_url
from luoshi.store.models import Base


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    engine = create_engine_for(db_url)
    try:
        assert current_revision(engine) is None
        upgrade_database(engine)
        tables = set(sa.inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert current_revision(engine) is not None
        upgrade_database(engine)  # a second run is a no-op
        assert current_revision(engine) is not None
    finally:
        engine.dispose()


def test_migrations_match_models(db_url: str) -> None:
    """The packaged migrations produce exactly the models' schema (no forgotten revision)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_engine_for(db_url)
    try:
        upgrade_database(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_open_store_sets_up_a_new_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.db"
    store = open_store(Settings(database_url=str(path)))
    try:
        assert path.exists()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        store.dispose()


def test_normalize_url() -> None:
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("x.db").startswith("sqlite:////")
    assert normalize_url("sqlite:///a.db") == "sqlite:///a.db"


def test_append_only_tables_refuse_update_and_delete(db_url: str) -> None:
    import pytest

    from luoshi.store.audit import record_audit
    from luoshi.store.engine import session_factory

    engine = create_engine_for(db_url)
    try:
        upgrade_database(engine)
        with session_factory(engine)() as s, s.begin():
            record_audit(s, "tester", "test", "thing", 1, None, {"x": 1})
        for sql in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(sa.text(sql))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT action FROM audit_log")).scalars().all() == ["test"]
    finally:
        engine.dispose()


def test_simultaneous_upgrades_of_a_new_database(db_url: str) -> None:
    import threading

    errors: list[BaseException] = []

    def upgrade() -> None:
        try:
            upgrade_database(db_url)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=upgrade) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = create_engine_for(db_url)
    try:
        assert current_revision(engine) is not None
    finally:
        engine.dispose()
