"""Many writers at once: every progress update lands, none lost or doubled (SQLite WAL + BEGIN IMMEDIATE,
PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import AuditLog, Jurisdiction, ProgressUpdate, Report, Target
from luoshi.tracking import services
from luoshi.tracking.importer import get_or_create_jurisdiction

WRITERS, EACH = 6, 15


def test_concurrent_updates_all_land(db_url: str) -> None:
    store = open_store(Settings(database_url=db_url))
    try:
        with store.session() as s:
            place = get_or_create_jurisdiction(s, "张店区")
            report = Report(jurisdiction=place, year=2024, text="…", sha256="0" * 64)
            s.add(report)
            s.flush()
            target_id = services.create_target(
                s, report, {"title": "新建5G基站300座", "target_value": 300.0}
            ).id
        errors: list[BaseException] = []

        def writer(n: int) -> None:
            try:
                for i in range(EACH):
                    with store.session() as s:
                        # read, then write: the pattern that fails on SQLite without BEGIN IMMEDIATE
                        assert s.get(Target, target_id) is not None
                        services.add_update(
                            s,
                            target_id,
                            period=date(2024, 9, 1),
                            value=float(n * 100 + i),
                            actor=f"writer{n}",
                        )
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with store.session() as s:
            values = s.scalars(select(ProgressUpdate.reported_value)).all()
            assert sorted(values) == sorted(float(n * 100 + i) for n in range(WRITERS) for i in range(EACH))
            audits = s.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.object_type == "progress_update")
            )
            assert audits == WRITERS * EACH
    finally:
        store.dispose()


def test_read_sessions_do_not_wait_for_a_writer(tmp_path) -> None:  # noqa: ANN001
    import time

    store = open_store(Settings(database_url=str(tmp_path / "r.db")))
    try:
        with store.session() as s:
            get_or_create_jurisdiction(s, "张店区")
        with store.session() as writer:  # holds the write lock (BEGIN IMMEDIATE) ...
            get_or_create_jurisdiction(writer, "淄川区")
            started = time.perf_counter()
            with store.read_session() as reader:  # ... yet a reader goes straight through
                names = reader.scalars(select(Jurisdiction.name)).all()
            assert time.perf_counter() - started < 2
            assert names == ["张店区"]  # the writer's row is not visible before its commit
        with store.read_session() as reader:
            assert len(reader.scalars(select(Jurisdiction.name)).all()) == 2
    finally:
        store.dispose()
