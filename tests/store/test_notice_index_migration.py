"""Migration 0011: notices are indexed by (target_id, created_at), the duplicate check's look-up;
the query plan uses it, and the downgrade removes it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from luoshi.store import create_engine_for, current_revision, upgrade_database
from luoshi.store.database import alembic_config

INDEX = "ix_notices_target_created"


def _indexes(engine: sa.Engine) -> set[str]:
    return {ix["name"] for ix in sa.inspect(engine).get_indexes("notices") if ix["name"]}


def test_0011_indexes_notices_by_target_and_downgrades(db_url: str) -> None:
    engine = create_engine_for(db_url)
    try:
        upgrade_database(engine)
        assert current_revision(engine) == "0011"
        assert INDEX in _indexes(engine)
        if engine.dialect.name == "sqlite":  # the duplicate check's shape of query uses it
            with engine.connect() as conn:
                plan = " ".join(
                    str(row[-1])
                    for row in conn.exec_driver_sql(
                        "EXPLAIN QUERY PLAN SELECT id FROM notices WHERE target_id = 1 AND created_at >= '2024-01-01'"
                    )
                )
            assert INDEX in plan, plan
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0010")
        assert current_revision(engine) == "0010" and INDEX not in _indexes(engine)
    finally:
        engine.dispose()
