"""One current version per correction chain, enforced by the database (migration 0009): two
simultaneous corrections of the same progress report cannot both be stored (issue 9)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from tests.tracking.conftest import SAMPLE_TEXT, make_plan

from luoshi.errors import InputError
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import ProgressUpdate, Target
from luoshi.tracking import services
from luoshi.tracking.importer import import_report


@pytest.fixture
def first_update(db_url: str):  # noqa: ANN201
    store = open_store(Settings(database_url=db_url, today="2024-09-30"))
    with store.session() as s:
        import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
        target = s.scalars(select(Target).order_by(Target.position)).all()[1]
        services.accept_target(s, target)
        uid = services.add_update(s, target, period=date(2024, 9, 25), value=120).id
    yield store, uid
    store.dispose()


def test_the_database_refuses_a_second_correction_of_one_version(first_update) -> None:  # noqa: ANN001
    store, uid = first_update
    with store.session() as s:
        old = s.get(ProgressUpdate, uid)
        s.add(
            ProgressUpdate(target_id=old.target_id, period=old.period, reported_value=130, supersedes_id=uid)
        )
    with pytest.raises(IntegrityError), store.session() as s:  # past the service's check: the index itself
        s.add(
            ProgressUpdate(target_id=old.target_id, period=old.period, reported_value=140, supersedes_id=uid)
        )


def test_simultaneous_corrections_one_wins(first_update) -> None:  # noqa: ANN001
    store, uid = first_update
    n = 6
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def correct(value: int) -> None:
        barrier.wait()
        try:
            with store.session() as s:
                services.correct_update(s, uid, value=value)
            result = "ok"
        except InputError as exc:
            result = f"refused: {exc}"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=correct, args=(130 + i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == n
    assert outcomes.count("ok") == 1, outcomes
    assert all("更正" in o for o in outcomes if o != "ok")
    with store.session() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(ProgressUpdate).where(ProgressUpdate.supersedes_id == uid)
            )
            == 1
        )
        newest = s.scalar(select(ProgressUpdate).where(ProgressUpdate.supersedes_id == uid))
        with pytest.raises(InputError, match="只能更正最新的版本"):
            services.correct_update(s, uid, value=999)
        assert services.correct_update(s, newest, value=150).supersedes_id == newest.id
