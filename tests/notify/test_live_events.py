"""refresh_target_statuses: the status change of one target is logged and told at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from luoshi.notify.events import refresh_statuses, refresh_target_statuses
from luoshi.notify.notices import notices_for
from luoshi.store.models import Notice, ProgressCheck, ProgressUpdate, StatusLog, User

DAY = date(2024, 6, 26)


def _status_notices(s, user_id: int) -> list[Notice]:
    return [n for n in notices_for(s, s.get(User, user_id)) if n.kind == "status_change"]


def test_only_the_named_targets_are_refreshed(store, settings, plan):
    with store.session() as s:
        result = refresh_target_statuses(s, settings, [plan.a, plan.d], DAY)
        # D is only proposed: skipped; B and C are not touched at all
        assert result.changes == [(plan.a, None, "behind")]
        assert {t for (t,) in s.execute(select(StatusLog.target_id))} == {plan.a}
        office = _status_notices(s, plan.users["office"])
        assert [n.target_id for n in office] == [plan.a]
        assert s.scalar(select(Notice.id).where(Notice.target_id.in_([plan.b, plan.c]))) is None
        s.commit()
    # the daily job then logs the others, and adds nothing more for A
    with store.session() as s:
        daily = refresh_statuses(s, settings, DAY)
        assert sorted(t for t, _b, _a in daily.changes) == [plan.b, plan.c]
        assert [n.target_id for n in _status_notices(s, plan.users["office"])] == [plan.a]
        assert len(s.scalars(select(Notice).where(Notice.target_id == plan.a)).all()) == 2  # + A due soon


def test_accepted_progress_is_told_at_once_and_remind_adds_no_duplicate(store, settings, plan):
    with store.session() as s:
        refresh_statuses(s, settings, DAY)
        s.commit()
    with store.session() as s:
        u = ProgressUpdate(target_id=plan.a, period=date(2024, 6, 26), reported_value=10)
        s.add(u)
        s.flush()
        s.add(ProgressCheck(update_id=u.id, decision="accepted"))
        # 60 -> 10 of 300 at 48% of the year: 严重滞后 — the office and the follower hear now
        result = refresh_target_statuses(s, settings, [plan.a], DAY)
        assert result.changes == [(plan.a, "behind", "far_behind")]
        s.commit()
    with store.session() as s:
        [boss] = _status_notices(s, plan.users["boss"])
        assert "欠进度变为严重滞后" in boss.message and boss.link == f"/targets/{plan.a}"
        office = [n for n in _status_notices(s, plan.users["office"]) if "严重滞后" in n.message]
        assert len(office) == 1
        count = s.scalar(select(Notice.id).order_by(Notice.id.desc()))
    with store.session() as s:
        again = refresh_statuses(s, settings, DAY)
        assert again.changes == [] and again.notices == 0
        assert s.scalar(select(Notice.id).order_by(Notice.id.desc())) == count


def test_rollback_takes_the_log_and_notices_with_it(store, settings, plan):
    with store.session() as s:
        refresh_target_statuses(s, settings, [plan.a, plan.b], DAY)
        s.rollback()
    with store.session() as s:
        assert s.scalars(select(StatusLog)).all() == [] and s.scalars(select(Notice)).all() == []
        assert refresh_target_statuses(s, settings, [], DAY).changes == []
