"""A 复核 decision tells the office and followers at once; ``luoshi remind`` later adds no duplicate."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from luoshi.notify.remind import run_reminders
from luoshi.store.models import Notice, StatusLog

from .conftest import csrf_of, login


def test_accepted_progress_notifies_follower_and_office_at_once(web) -> None:  # noqa: ANN001
    app, ids = web
    reporter, admin, leader = (login(app, role) for role in ("reporter", "admin", "leader"))
    page = leader.get(f"/targets/{ids.public_target}").text
    r = leader.post(
        f"/targets/{ids.public_target}/follow", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "状态变化" not in leader.get("/notices").text

    token = csrf_of(reporter.get(f"/targets/{ids.public_target}").text)
    r = reporter.post(
        f"/targets/{ids.public_target}/updates",
        data={"period": "2024-07-01", "value": "5", "narrative": "七月进展", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    store = app.state.store
    with store.session() as s:
        before = [
            (x.previous, x.status)
            for x in s.scalars(
                select(StatusLog).where(StatusLog.target_id == ids.public_target).order_by(StatusLog.id)
            )
        ]
    assert len(before) == 1 and before[0][1] != "far_behind"  # not accepted yet: no change

    page = admin.get(f"/targets/{ids.public_target}").text
    update_id = int(re.search(r'action="/updates/(\d+)/check"', page).group(1))  # type: ignore[union-attr]
    r = admin.post(
        f"/updates/{update_id}/check",
        data={"decision": "accepted", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303

    # no `luoshi remind` in between: the notices are there already
    follower_page = leader.get("/notices").text
    assert "状态变化" in follower_page and "严重滞后" in follower_page
    office_page = admin.get("/notices").text
    assert "状态变化" in office_page and "严重滞后" in office_page
    with store.session() as s:
        logs = [
            (x.previous, x.status)
            for x in s.scalars(
                select(StatusLog).where(StatusLog.target_id == ids.public_target).order_by(StatusLog.id)
            )
        ]
        assert logs == before + [(before[0][1], "far_behind")]

    # the daily job the same day: no second notice, no second log row for this target
    summary = run_reminders(store, app.state.settings)
    assert ids.public_target not in [t for t, _b, _a in summary.refresh.changes]
    with store.session() as s:
        told = s.scalars(
            select(Notice).where(Notice.kind == "status_change", Notice.target_id == ids.public_target)
        ).all()
        assert len(told) == 2  # one to the office (role), one to the follower
        assert s.scalar(select(func.count(StatusLog.id)).where(StatusLog.target_id == ids.public_target)) == 2
