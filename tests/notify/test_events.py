from __future__ import annotations

from datetime import date

from sqlalchemy import select

from luoshi.notify.events import refresh_statuses
from luoshi.notify.follows import follow, followers, is_following, unfollow
from luoshi.notify.notices import mark_read, notices_for, unread_count
from luoshi.store.models import Notice, ProgressCheck, ProgressUpdate, StatusLog, User

DAY = date(2024, 6, 26)


def kinds(notices):
    return sorted((n.kind, n.target_id) for n in notices)


def test_refresh_logs_changes_and_notifies(store, settings, plan):
    with store.session() as s:
        result = refresh_statuses(s, settings, DAY)
    assert sorted(result.changes) == [
        (plan.a, None, "behind"),
        (plan.b, None, "overdue"),
        (plan.c, None, "ahead"),
    ]
    with store.session() as s:
        office = s.get(User, plan.users["office"])
        zhang = s.get(User, plan.users["zhang"])
        boss = s.get(User, plan.users["boss"])
        li = s.scalars(select(User).where(User.username == "li")).one()
        # office: A turned 欠进度, B's report is overdue
        assert kinds(notices_for(s, office)) == [("overdue_report", plan.b), ("status_change", plan.a)]
        # 发改局: A due soon, C returned by 复核 (the author is in the department: told once)
        assert kinds(notices_for(s, zhang)) == [("due_soon", plan.a), ("returned", plan.c)]
        returned = [n for n in notices_for(s, zhang) if n.kind == "returned"][0]
        assert "数据无佐证" in returned.message and returned.link == f"/targets/{plan.c}"
        # 工信局: B 催办 and June's report due
        assert kinds(notices_for(s, li)) == [("due_soon", plan.b), ("overdue", plan.b)]
        overdue = [n for n in notices_for(s, li) if n.kind == "overdue"][0]
        assert overdue.message.startswith("催办") and "2024-05-28" in overdue.message
        # followers hear of changes only, not of the first computation
        assert notices_for(s, boss) == []
        assert s.scalar(select(Notice.id).where(Notice.target_id == plan.d)) is None
        assert len(s.scalars(select(StatusLog)).all()) == 3

    # same day again: nothing new
    with store.session() as s:
        again = refresh_statuses(s, settings, DAY)
    assert again.changes == [] and again.notices == 0

    # A gets to 290 (accepted): behind -> ahead; followers (boss) are told, the office is not
    with store.session() as s:
        u = ProgressUpdate(target_id=plan.a, period=date(2024, 6, 26), reported_value=290)
        s.add(u)
        s.flush()
        s.add(ProgressCheck(update_id=u.id, decision="accepted"))
    with store.session() as s:
        later = refresh_statuses(s, settings, date(2024, 6, 27))
        assert later.changes == [(plan.a, "behind", "ahead")]
        boss = s.get(User, plan.users["boss"])
        [n] = notices_for(s, boss)
        assert n.kind == "status_change" and "欠进度变为超进度" in n.message
        assert unread_count(s, boss) == 1
        assert mark_read(s, boss) == 1 and unread_count(s, boss) == 0
        office = s.get(User, plan.users["office"])
        assert len(notices_for(s, office)) == 2
        logs = s.scalars(select(StatusLog).where(StatusLog.target_id == plan.a).order_by(StatusLog.id)).all()
        assert [(x.previous, x.status) for x in logs] == [(None, "behind"), ("behind", "ahead")]


def test_office_told_of_far_behind_and_returned_author_outside_department(store, settings, plan):
    with store.session() as s:
        refresh_statuses(s, settings, DAY)
        # B (工信局) gets a report by 张三 of 发改局 that 复核 returns; then an accepted tiny value
        u = ProgressUpdate(
            target_id=plan.b, period=date(2024, 6, 1), reported_value=5, author_id=plan.users["zhang"]
        )
        s.add(u)
        s.flush()
        s.add(ProgressCheck(update_id=u.id, decision="returned", comment="请补充材料"))
        fix = ProgressUpdate(target_id=plan.b, period=date(2024, 6, 2), reported_value=6, supersedes_id=None)
        s.add(fix)
        s.flush()
        s.add(ProgressCheck(update_id=fix.id, decision="accepted"))
    with store.session() as s:
        result = refresh_statuses(s, settings, DAY)
        assert (plan.b, "overdue", "far_behind") in result.changes
        zhang = s.get(User, plan.users["zhang"])
        direct = [n for n in notices_for(s, zhang) if n.recipient_user_id == zhang.id]
        assert [n.kind for n in direct] == ["returned"] and "请补充材料" in direct[0].message
        office = s.get(User, plan.users["office"])
        far = [n for n in notices_for(s, office) if n.kind == "status_change" and n.target_id == plan.b]
        assert far and "严重滞后" in far[0].message
        boss = s.get(User, plan.users["boss"])
        assert [n.target_id for n in notices_for(s, boss)] == [plan.b]


def test_follow_unfollow(store, plan):
    with store.session() as s:
        zhang = s.get(User, plan.users["zhang"])
        assert follow(s, zhang, plan.c) is True
        assert follow(s, zhang, plan.c) is False
        assert is_following(s, zhang, plan.c)
        assert [u.username for u in followers(s, plan.c)] == ["zhang"]
        assert unfollow(s, zhang, plan.c) is True and not is_following(s, zhang, plan.c)
        assert unfollow(s, zhang, plan.c) is False


def test_statuses_agree_with_the_tracking_queries(store, settings, plan):
    """The reminders' batch status is the one the dashboard shows (tracking.queries.statuses_for)."""
    from luoshi.notify.statuses import current_statuses
    from luoshi.store.models import Target
    from luoshi.tracking.queries import statuses_for

    with store.session() as s:
        mine = current_statuses(s, settings, DAY)
        targets = list(s.scalars(select(Target).where(Target.review_state == "accepted")))
        theirs = statuses_for(s, settings, targets, DAY)
    assert {tid: ts.result for tid, ts in mine.items()} == theirs
    assert {r.code for r in theirs.values()} == {"behind", "overdue", "ahead"}
