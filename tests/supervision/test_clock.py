"""按时 / 逾期报送 are judged on luoshi's one clock (``LUOSHI_TODAY``, the demo's day), not the
machine's: a report written while the clock says 2024-06-20 was submitted on 2024-06-20.

Reports are written through the one write service (``tracking.services.add_update``, which the
form, the API and the sheet call) by stores opened with the clock set, as ``LUOSHI_TODAY`` does.
"""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import Department, Jurisdiction, Report, Target
from luoshi.supervision.bulletin import build_bulletin
from luoshi.supervision.scoring import score_period
from luoshi.tracking import services


def _write_on(settings: Settings, day: str, target_id: int, period: date, value: float) -> None:
    """Submit one report (and accept it in 复核) in a process whose clock says ``day``."""
    store = open_store(settings.with_(today=day))
    try:
        with store.session() as s:
            u = services.add_update(s, target_id, period=period, value=value, narrative="进展", actor="zhang")
            services.check_update(s, u, "accepted", actor="office")
    finally:
        store.dispose()


@pytest.mark.xfail(
    strict=True,
    reason="reports are still stamped by the machine's clock: stamping them by "
    "tracking.current.clock_now (commit aac8797) needs the target page to order versions by id, "
    "not created_at (tracking/queries.py, another helper's file)",
)
def test_on_time_and_late_follow_the_clock(db_url: str) -> None:
    settings = Settings(database_url=db_url, today="2024-07-10", report_due_day=28)
    store = open_store(settings)
    try:
        with store.session() as s:
            report = Report(
                jurisdiction=Jurisdiction(name="张店区"),
                year=2024,
                title="2024年张店区政府工作报告",
                text="新建5G基站100座。改造老旧小区100个。",
                sha256="c" * 64,
            )
            dept = Department(name="区发改局")
            s.add_all([report, dept])
            s.flush()
            ids = []
            for title in ("新建5G基站100座", "改造老旧小区100个"):
                t = Target(
                    report=report,
                    title=title,
                    indicator=title,
                    target_value=100,
                    unit="个",
                    kind="count",
                    review_state="accepted",
                    lead_department_id=dept.id,
                    public=True,
                )
                s.add(t)
                s.flush()
                ids.append(t.id)
    finally:
        store.dispose()
    early, late = ids
    # June's report is due on 2024-06-28
    _write_on(settings, "2024-06-20", early, date(2024, 6, 20), 50)  # before the due date: 按时
    _write_on(settings, "2024-07-02", late, date(2024, 6, 30), 40)  # after it: 逾期报送

    store = open_store(settings)
    try:
        with store.session() as s:
            [record] = build_bulletin(s, settings, "张店区", 2024, "2024-06").record.departments
            board = score_period(s, settings, "张店区", 2024, "2024-06")
    finally:
        store.dispose()
    assert (record.name, record.due, record.on_time, record.late, record.missing) == ("区发改局", 2, 1, 1, 0)
    [row] = board.rows
    assert row.items[0].data == "应报2次，按时1次（逾期1，未报0），50%"
    assert row.items[0].points == 20.0  # 按时报送率 1/2 of 40


@pytest.mark.xfail(
    strict=True,
    reason="reports are still stamped by the machine's clock: stamping them by "
    "tracking.current.clock_now (commit aac8797) needs the target page to order versions by id, "
    "not created_at (tracking/queries.py, another helper's file)",
)
def test_the_demo_reports_were_submitted_on_the_demo_calendar(tmp_path) -> None:  # noqa: ANN001
    """The demo's monthly reports are written on their own day (the 25th, before the 28th's due
    date): the demo's 通报 shows them 按时, not all 逾期 because the machine's date is later."""
    from luoshi.tracking.demo import DEMO_AS_OF, prepare_demo

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    store = open_store(settings)
    try:
        served, _users = prepare_demo(store, settings)
        assert served.today == DEMO_AS_OF.isoformat()
        with store.session() as s:
            record = build_bulletin(s, served, "张店区", 2024, "2024-09").record
    finally:
        store.dispose()
    on_time = sum(d.on_time for d in record.departments)
    late = sum(d.late for d in record.departments)
    assert on_time > 0 and late == 0, (on_time, late)
