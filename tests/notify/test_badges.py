"""The menu's two badges (on every page): unread notices and 待办. Each reads a statement built once
with bound parameters; they must count exactly what the lists they stand for hold, per user."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from luoshi.notify.events import refresh_statuses
from luoshi.notify.inbox import nav_count
from luoshi.notify.notices import mark_read, notices_for, unread_count
from luoshi.store.models import ProgressCheck, ProgressUpdate, Target, TargetReading, User

DAY = date(2024, 6, 26)


def test_unread_badge_counts_each_users_unread_notices(store, settings, plan) -> None:  # noqa: ANN001
    with store.session() as s:
        refresh_statuses(s, settings, DAY)
    with store.session() as s:
        users = s.scalars(select(User)).all()
        counts = {u.username: unread_count(s, u) for u in users}
        for u in users:  # the same rule as the list (role, department, the user themself)
            assert counts[u.username] == len(notices_for(s, u, unread_only=True, limit=None)), u.username
        assert counts["office"] > 0 and counts["zhang"] > 0 and counts["li"] > 0
        zhang = s.get(User, plan.users["zhang"])
        assert mark_read(s, zhang) == counts["zhang"] and unread_count(s, zhang) == 0
        zhang.active = False
        office = s.get(User, plan.users["office"])
        assert unread_count(s, office) == counts["office"]  # another user's reading changes nothing


def test_todo_badge_office_and_department(store, settings, plan) -> None:  # noqa: ANN001
    with store.session() as s:
        office = s.get(User, plan.users["office"])
        zhang = s.get(User, plan.users["zhang"])
        before_office, before_zhang = nav_count(s, office), nav_count(s, zhang)
        target = s.get(Target, plan.a)
        assert target is not None and zhang.department_id == target.lead_department_id
        # a new report awaiting 复核: one more for the office
        u = ProgressUpdate(target_id=plan.a, period=date(2024, 6, 20), reported_value=10)
        s.add(u)
        s.flush()
        assert nav_count(s, office) == before_office + 1
        # returned by 复核: one more for the lead department, one fewer for the office
        s.add(ProgressCheck(update_id=u.id, decision="returned", comment="缺佐证"))
        s.flush()
        assert nav_count(s, office) == before_office
        assert nav_count(s, zhang) == before_zhang + 1
        expected = s.scalar(select(TargetReading.returned).where(TargetReading.target_id == plan.a))
        assert expected is not None and expected >= 1
        # a proposed target counts for the office
        target.review_state = "proposed"
        s.flush()
        assert nav_count(s, office) == before_office + 1 - _awaiting_of(s, plan.a)
        zhang.active = False
        assert nav_count(s, zhang) == 0


def _awaiting_of(s, target_id: int) -> int:  # noqa: ANN001
    return int(s.scalar(select(TargetReading.awaiting).where(TargetReading.target_id == target_id)) or 0)
