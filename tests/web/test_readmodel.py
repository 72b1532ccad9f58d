"""The maintained read model (target_readings) stays equal to a from-scratch computation after a
write by every path: the web form, 复核 (accept and return), the JSON API, the sheet upload, the
CLI's sheet import, a correction, a milestone, an override and a target edit."""

from __future__ import annotations

import re

from sqlalchemy import select

from luoshi.store.models import ProgressUpdate, TargetReading
from luoshi.tracking.readmodel import stale, status_key

from .conftest import csrf_of, login
from .test_one_status import _apply, _page_status


def _row(app, target_id: int) -> TargetReading:  # noqa: ANN001
    with app.state.store.session() as s:
        row = s.get(TargetReading, target_id)
        assert row is not None
        return row


def _reports(app, target_id: int) -> int:  # noqa: ANN001
    with app.state.store.session() as s:
        return len(s.scalars(select(ProgressUpdate.id).where(ProgressUpdate.target_id == target_id)).all())


def _exact(app) -> None:  # noqa: ANN001
    with app.state.store.session() as s:
        assert stale(s, app.state.settings) == []


def test_every_write_path_keeps_the_read_model_exact(web, tmp_path) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    target = ids.public_target
    _exact(app)
    steps = [
        ("form", 150, 3),
        ("form_return", 160, 4),
        ("api", 170, 5),
        ("sheet", 180, 6),
        ("cli", 190, 6),
        ("override", 1, 6),
        ("clear_override", 0, 6),
    ]
    for step in steps:
        reports = _reports(app, target)
        _apply(app, admin, step, target, tmp_path)
        _exact(app)
        row = _row(app, target)
        if step[0] in ("form", "api"):  # reported, then accepted by 复核: a new reading is in the row
            assert [f"2024-{step[2]:02d}-20", float(step[1])] in row.readings, step
        if step[0] in ("sheet", "cli"):  # a new report (or a correction) is stored, and the row is exact
            assert _reports(app, target) > reports, step
        if step[0] == "form_return":
            assert row.returned >= 1
        # the write's commit kept today's status, and the page shows exactly that one
        assert row.status_day is not None and row.status_key == status_key(app.state.settings)
        assert row.status is not None and _page_status(admin, target) == row.status["code"], step


def test_a_correction_a_milestone_and_an_edit_are_seen_at_once(web) -> None:  # noqa: ANN001
    from luoshi.tracking.services import add_milestone, correct_update, edit_target

    app, ids = web
    admin = login(app, "admin")
    reporter = login(app, "reporter")
    target = ids.public_target
    token = csrf_of(reporter.get(f"/targets/{target}").text)
    r = reporter.post(
        f"/targets/{target}/updates",
        data={"period": "2024-06-20", "value": "210", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert _row(app, target).awaiting >= 1  # not yet decided by 复核
    waiting = _row(app, target).awaiting
    update_id = max(
        int(u) for u in re.findall(r'action="/updates/(\d+)/check"', admin.get(f"/targets/{target}").text)
    )
    with app.state.store.session() as s:  # a correction supersedes it: still one awaiting, new value
        correct_update(s, update_id, actor="admin", value=215.0)
    assert _row(app, target).awaiting == waiting
    _exact(app)
    with app.state.store.session() as s:
        add_milestone(s, target, "完成选址")
        edit_target(s, target, {"target_value": 999.0}, actor="admin")
    _exact(app)
    with app.state.store.session() as s:  # a session without settings (no status kept) still keeps the rows
        s.info.pop("settings", None)
        edit_target(s, target, {"target_value": 998.0}, actor="admin")
    _exact(app)
    with app.state.store.session() as s:
        assert s.scalar(select(TargetReading.status).where(TargetReading.target_id == target)) is None
