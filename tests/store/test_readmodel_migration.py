"""Migration 0010 backfills target_readings from the reports already stored (SQLite and PostgreSQL),
exactly as the application computes it from scratch, and its downgrade removes the table."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from alembic import command

from luoshi.store import create_engine_for, current_revision, upgrade_database
from luoshi.store.database import alembic_config
from luoshi.store.engine import session_factory
from luoshi.store.models import (
    Jurisdiction,
    ProgressCheck,
    ProgressUpdate,
    Report,
    Target,
    TargetReading,
)
from luoshi.tracking.readmodel import rebuild, stale

NOW = datetime(2024, 7, 1)


def _seed(conn: sa.Connection) -> None:
    conn.execute(sa.insert(Jurisdiction), [{"id": 1, "name": "张店区"}])
    conn.execute(
        sa.insert(Report),
        [
            {
                "id": 1,
                "jurisdiction_id": 1,
                "year": 2024,
                "text": "报告",
                "sha256": "0" * 64,
                "imported_at": NOW,
                "sample": False,
            }
        ],
    )
    conn.execute(
        sa.insert(Target),
        [
            {
                "id": i,
                "report_id": 1,
                "review_state": "accepted",
                "origin": "extracted",
                "position": i,
                "title": f"目标{i}",
                "indicator": "",
                "unit": "个",
                "comparator": ">=",
                "kind": "count",
                "public": True,
                "cadence": "monthly",
                "target_value": 100.0,
                "aspirational": False,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i in (1, 2, 3)
        ],
    )
    updates = [
        (1, 1, date(2024, 3, 20), 30.0, None),  # accepted
        (2, 1, date(2024, 4, 20), 40.0, None),  # accepted, then corrected by 3
        (3, 1, date(2024, 4, 20), 45.0, 2),  # the correction: not yet checked (awaiting 复核)
        (4, 1, date(2024, 5, 20), 55.0, None),  # returned, then accepted: the latest decision wins
        (5, 2, date(2024, 5, 20), 20.0, None),  # returned
        (6, 2, date(2024, 6, 20), None, None),  # accepted, no value
    ]
    conn.execute(
        sa.insert(ProgressUpdate),
        [
            {
                "id": uid,
                "target_id": tid,
                "period": p,
                "reported_value": v,
                "supersedes_id": sup,
                "narrative": "",
                "narrative_internal": False,
                "created_at": NOW,
            }
            for uid, tid, p, v, sup in updates
        ],
    )
    checks = [
        (1, "accepted"),
        (2, "accepted"),
        (4, "returned"),
        (4, "accepted"),
        (5, "returned"),
        (6, "accepted"),
    ]
    conn.execute(
        sa.insert(ProgressCheck),
        [{"update_id": uid, "decision": d, "comment": "", "at": NOW} for uid, d in checks],
    )


def test_0010_backfills_the_read_model_and_downgrades(db_url: str) -> None:
    engine = create_engine_for(db_url)
    try:
        upgrade_database(engine, "0009")
        with engine.begin() as conn:
            _seed(conn)
        upgrade_database(engine, "0010")
        assert current_revision(engine) == "0010"
        with session_factory(engine)() as s:
            assert stale(s) == []  # equal to the application's from-scratch computation
            one, two = s.get(TargetReading, 1), s.get(TargetReading, 2)
            assert one is not None and two is not None
            assert one.readings == [["2024-03-20", 30.0], ["2024-05-20", 55.0]]
            assert (one.last_submitted, one.awaiting, one.returned) == (date(2024, 5, 20), 1, 0)
            assert two.readings == [["2024-06-20", None]]
            assert (two.last_submitted, two.awaiting, two.returned) == (date(2024, 6, 20), 0, 1)
            assert s.get(TargetReading, 3) is None  # no reports: reads as empty
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0009")
        assert current_revision(engine) == "0009"
        assert "target_readings" not in sa.inspect(engine).get_table_names()
        upgrade_database(engine)  # and up again: backfilled again
        with session_factory(engine)() as s:
            assert stale(s) == [] and s.get(TargetReading, 1) is not None
    finally:
        engine.dispose()


def test_two_writers_on_one_target_both_reach_the_read_model(db_url: str) -> None:
    """PostgreSQL: the second writer waits for the first, then counts its report too (SQLite
    serialises writers anyway)."""
    import threading

    from luoshi.tracking.services import add_update

    engine = create_engine_for(db_url)
    try:
        upgrade_database(engine)
        with engine.begin() as conn:
            _seed(conn)
            if conn.dialect.name == "postgresql":  # explicit ids: move the sequence past them
                conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('progress_updates', 'id'), 100)"))
        make = session_factory(engine)
        with make() as s, s.begin():
            rebuild(s)  # the seed went round the write services
        first = make()
        add_update(first, 3, period=date(2024, 6, 1), value=10.0, actor="a")
        first.flush()  # written, not committed
        done = threading.Event()

        def second() -> None:
            with make() as s, s.begin():
                add_update(s, 3, period=date(2024, 6, 2), value=20.0, actor="b")
            done.set()

        worker = threading.Thread(target=second)
        worker.start()
        done.wait(1.0)  # on PostgreSQL the second commit waits for the first's row lock
        first.commit()
        first.close()
        worker.join(30)
        assert done.is_set()
        with make() as s:
            assert stale(s) == []
            row = s.get(TargetReading, 3)
            assert row is not None and row.awaiting == 2
    finally:
        engine.dispose()
