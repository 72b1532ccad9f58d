"""待办: where work waits, for the office (督查室) and for a department's 填报员.

Interface::

    office_inbox(session, settings, today=None) -> OfficeInbox
    department_inbox(session, settings, department_id, today=None) -> DepartmentInbox
    nav_count(session, user) -> int          # the navigation badge (cheap: maintained counts)
    awaiting_check(session) -> list[ProgressUpdate]    # current reports no 复核 has decided
    notify_submitted(session, update) -> int # the office is told a report came in
    notify_comment(session, comment) -> int  # the lead department is told of a 批示
    urge(session, target, day, actor) -> bool   # the office's one-click 催办 to the lead department
    digest(notices) -> list[Digest]          # one entry per cause per day, the list behind it

The office sees: reports awaiting 复核 (every report, every plan), proposals awaiting 审核
grouped by plan, overdue reports (逾期未报) and targets that turned 欠进度/严重滞后 in the last
``ALARM_DAYS`` days and still are. A department sees what it must report this cycle and by when,
what 复核 returned and why, and the 批示 on its targets.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import BindParameter, ColumnElement, bindparam, func, or_, select
from sqlalchemy.orm import Session, selectinload

from luoshi.notify.events import ALARM_CODES, OFFICE_ROLE, today_of
from luoshi.notify.notices import NoticeWriter
from luoshi.notify.statuses import TargetStatus, current_statuses
from luoshi.settings import Settings
from luoshi.store.engine import chunked
from luoshi.store.models import (
    Comment,
    Department,
    Notice,
    ProgressCheck,
    ProgressUpdate,
    Report,
    StatusLog,
    Target,
    TargetReading,
    User,
    target_co_departments,
)
from luoshi.tracking.current import current_updates
from luoshi.tracking.status import CADENCE_MONTHS, last_due
from luoshi.tracking.touched import settle

__all__ = [
    "ALARM_DAYS",
    "DepartmentInbox",
    "Digest",
    "DueItem",
    "OfficeInbox",
    "awaiting_check",
    "department_inbox",
    "digest",
    "nav_count",
    "notify_comment",
    "notify_submitted",
    "notify_submitted_all",
    "office_inbox",
    "urge",
]

ALARM_DAYS = 14
AWAITING = (None, "reopened")  # latest 复核 decision of a report awaiting 复核 (as the read model counts)


@dataclass
class DueItem:
    target: Target
    due: date
    overdue: bool
    status: TargetStatus


@dataclass
class Returned:
    update: ProgressUpdate
    check: ProgressCheck
    target: Target


@dataclass
class Remark:
    comment: Comment
    target: Target
    author: str


@dataclass
class OfficeInbox:
    day: date
    awaiting: list[ProgressUpdate] = field(default_factory=list)
    proposals: list[tuple[Report, int]] = field(default_factory=list)
    overdue: list[TargetStatus] = field(default_factory=list)
    alarms: list[tuple[TargetStatus, datetime]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.awaiting) + sum(n for _, n in self.proposals) + len(self.overdue) + len(self.alarms)


@dataclass
class DepartmentInbox:
    day: date
    department: Department | None
    due: list[DueItem] = field(default_factory=list)
    returned: list[Returned] = field(default_factory=list)
    comments: list[Remark] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.due) + len(self.returned)


def _with_reports(session: Session, column: Any, where: ColumnElement[bool]) -> list[int]:
    """Targets (matching ``where``) whose read model counts a current report in ``column``."""
    return list(
        session.scalars(
            select(TargetReading.target_id)
            .where(column > 0, _target_where(where))
            .order_by(TargetReading.target_id)
        )
    )


def _target_where(where: ColumnElement[bool]) -> ColumnElement[bool]:
    # EXISTS, not a join: the few rows with such a report are found from their index first (a join
    # lets SQLite start from the 20,000 accepted targets instead)
    return select(Target.id).where(Target.id == TargetReading.target_id, where).exists()


def _current_reports(session: Session, target_ids: list[int], decisions: tuple[str | None, ...]) -> list[int]:
    """Ids of the current reports of ``target_ids`` whose latest 复核 decision is one of ``decisions``."""
    return [
        r.update_id
        for versions in current_updates(session, target_ids).values()
        for r in versions
        if r.decision in decisions
    ]


def awaiting_check(session: Session) -> list[ProgressUpdate]:
    """Current (not superseded) progress reports on plan targets that no 复核 has decided, oldest first."""
    settle(session)
    ids = _with_reports(session, TargetReading.awaiting, Target.review_state == "accepted")
    updates = _current_reports(session, ids, AWAITING)
    return sorted(
        (
            u
            for part in chunked(updates)
            for u in session.scalars(select(ProgressUpdate).where(ProgressUpdate.id.in_(part)))
        ),
        key=lambda u: u.id,  # arrival order: ids only grow; created_at follows luoshi's clock
    )


def _proposals(session: Session) -> list[tuple[Report, int]]:
    rows = session.execute(
        select(Target.report_id, func.count(Target.id))
        .where(Target.review_state == "proposed")
        .group_by(Target.report_id)
    ).all()
    reports = {
        r.id: r
        for r in session.scalars(
            select(Report)
            .options(selectinload(Report.jurisdiction))
            .where(Report.id.in_([rid for rid, _ in rows]))
        )
    }
    return sorted(((reports[rid], int(n)) for rid, n in rows), key=lambda p: (-p[0].year, p[0].id))


def office_inbox(session: Session, settings: Settings, today: date | None = None) -> OfficeInbox:
    day = today or today_of(settings)
    out = OfficeInbox(day=day, awaiting=awaiting_check(session), proposals=_proposals(session))
    statuses = current_statuses(session, settings, day)
    out.overdue = sorted(
        (ts for ts in statuses.values() if ts.result.report_overdue),
        key=lambda ts: (ts.result.report_due or day, ts.target.id),
    )
    since = datetime.combine(day - timedelta(days=ALARM_DAYS), datetime.min.time())
    latest = select(func.max(StatusLog.id)).group_by(StatusLog.target_id)
    for tid, status, at in session.execute(
        select(StatusLog.target_id, StatusLog.status, StatusLog.at)
        .where(StatusLog.id.in_(latest), StatusLog.at >= since, StatusLog.status.in_(ALARM_CODES))
        .order_by(StatusLog.at.desc())
    ):
        ts = statuses.get(tid)
        if ts is not None and ts.result.code == status:
            out.alarms.append((ts, at))
    return out


def _of_department(department_id: int | BindParameter[int]) -> ColumnElement[bool]:
    co = select(target_co_departments.c.target_id).where(
        target_co_departments.c.department_id == department_id
    )
    return or_(Target.lead_department_id == department_id, Target.id.in_(co))


def department_inbox(
    session: Session, settings: Settings, department_id: int | None, today: date | None = None
) -> DepartmentInbox:
    day = today or today_of(settings)
    dept = session.get(Department, department_id) if department_id is not None else None
    out = DepartmentInbox(day=day, department=dept)
    if dept is None:
        return out
    ids = list(
        session.scalars(
            select(Target.id).where(Target.review_state == "accepted", Target.lead_department_id == dept.id)
        )
    )
    for ts in current_statuses(session, settings, day, ids).values():
        inp, result = ts.input, ts.result
        if result.code == "done":
            continue
        if result.report_overdue and result.report_due is not None:
            out.due.append(DueItem(ts.target, result.report_due, True, ts))
            continue
        if day > inp.deadline:
            continue
        horizon = timedelta(days=31 * CADENCE_MONTHS.get(inp.cadence, 1))
        # a report due TODAY first (not yet late), else the next one within a cycle
        for upcoming in (
            last_due(day, inp.start, inp.deadline, inp.cadence, inp.due_day),
            last_due(day + horizon, inp.start, inp.deadline, inp.cadence, inp.due_day),
        ):
            if upcoming is None:
                continue
            due, covers = upcoming
            delivered = inp.last_submitted is not None and inp.last_submitted >= covers
            if due >= day and not delivered:
                out.due.append(DueItem(ts.target, due, False, ts))
                break
    out.due.sort(key=lambda item: (not item.overdue, item.due, item.target.id))
    settle(session)
    returned = _current_reports(
        session, _with_reports(session, TargetReading.returned, _of_department(dept.id)), ("returned",)
    )
    for part in chunked(returned):
        for u in session.scalars(
            select(ProgressUpdate)
            .options(selectinload(ProgressUpdate.checks))
            .where(ProgressUpdate.id.in_(part))
        ):
            out.returned.append(Returned(u, u.checks[-1], session.get_one(Target, u.target_id)))
    out.returned.sort(key=lambda r: r.update.id, reverse=True)
    since = datetime.combine(day - timedelta(days=90), datetime.min.time())
    for c, author in session.execute(
        select(Comment, User.username)
        .join(Target, Target.id == Comment.target_id)
        .outerjoin(User, User.id == Comment.user_id)
        .where(_of_department(dept.id), Comment.created_at >= since)
        .order_by(Comment.id.desc())
        .limit(30)
    ):
        out.comments.append(Remark(c, session.get_one(Target, c.target_id), author or ""))
    return out


def nav_count(session: Session, user: User | None) -> int:
    """The 待办 badge: reports awaiting 复核 + proposals (office), returned reports (a department).

    On every page, so read from the maintained counts (luoshi.tracking.readmodel, indexed: only
    targets with such a report are visited), exact at once whichever process wrote."""
    if user is None or not user.active:
        return 0
    settle(session)
    office, department = _nav_statements()
    if user.role == OFFICE_ROLE:
        return int(session.scalar(office) or 0)
    if user.department_id is None:
        return 0
    return int(session.scalar(department, {"department_id": user.department_id}) or 0)


@functools.cache
def _nav_statements() -> tuple[Any, Any]:
    """The badge's two statements, built once: on every page, building a statement and its cache
    key cost more CPU than running it."""
    awaiting = (
        select(func.coalesce(func.sum(TargetReading.awaiting), 0))
        .where(TargetReading.awaiting > 0, _target_where(Target.review_state == "accepted"))
        .scalar_subquery()
    )
    proposed = select(func.count(Target.id)).where(Target.review_state == "proposed").scalar_subquery()
    office = select(awaiting + proposed)
    department = select(func.sum(TargetReading.returned)).where(
        TargetReading.returned > 0, _target_where(_of_department(bindparam("department_id")))
    )
    return office, department


def _name(target: Target) -> str:
    text = (target.indicator or target.title or f"目标{target.id}").strip().replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def notify_submitted(session: Session, update: ProgressUpdate) -> int:
    """Tell the office a progress report came in (awaiting 复核). Returns notices added."""
    target = session.get(Target, update.target_id)
    return notify_submitted_all(session, [update], {target.id: target} if target is not None else {})


class Submitted(Protocol):
    """What the office's notice names of a report: a ProgressUpdate, or a batch's record of one."""

    @property
    def id(self) -> int: ...
    @property
    def target_id(self) -> int: ...
    @property
    def period(self) -> date: ...
    @property
    def supersedes_id(self) -> int | None: ...
    @property
    def author_name(self) -> str | None: ...


def notify_submitted_all(
    session: Session, updates: Iterable[Submitted], targets: Mapping[int, Target]
) -> int:
    """:func:`notify_submitted` for many reports at once (``targets``: theirs, by id), in one
    statement. Each notice names its report by number, so none can repeat one sent before."""
    notices = []
    for update in updates:
        target = targets.get(update.target_id)
        if target is None or target.review_state != "accepted":
            continue
        who = update.author_name or "填报员"
        verb = "更正了" if update.supersedes_id else "报送了"
        notices.append(
            {
                "message": f"{who}{verb}「{_name(target)}」{update.period.isoformat()}的进展，待复核（进展#{update.id}）",
                "role": OFFICE_ROLE,
                "target_id": target.id,
                "link": f"/targets/{target.id}",
            }
        )
    return NoticeWriter(session, window=timedelta(days=1)).add_new("submitted", notices)


def notify_comment(session: Session, comment: Comment) -> int:
    """Tell the lead department of a leader's 批示 on its target. Returns notices added."""
    target = session.get(Target, comment.target_id)
    if target is None or target.lead_department_id is None:
        return 0
    author = session.get(User, comment.user_id) if comment.user_id is not None else None
    who = (author.display_name or author.username) if author else "领导"
    body = comment.body if len(comment.body) <= 60 else comment.body[:59] + "…"
    out = NoticeWriter(session, window=timedelta(days=1))
    out.add(
        "comment",
        f"{who}对「{_name(target)}」作出批示：{body}（批示#{comment.id}）",
        department_id=target.lead_department_id,
        target_id=target.id,
        link=f"/targets/{target.id}",
    )
    return out.added


@dataclass
class Digest:
    """One cause on one day: the newest notice's time, how many, how many unread, and the list."""

    kind: str
    day: date
    notices: list[Notice]

    @property
    def unread(self) -> int:
        return sum(1 for n in self.notices if n.read_at is None)

    @property
    def latest(self) -> datetime:
        return max(n.created_at for n in self.notices)


def digest(notices: Iterable[Notice]) -> list[Digest]:
    """Group notices into one digest per (kind, day), newest day first."""
    groups: dict[tuple[date, str], list[Notice]] = {}
    for n in notices:
        groups.setdefault((n.created_at.date(), n.kind), []).append(n)
    out = [
        Digest(kind, day, sorted(rows, key=lambda n: n.id, reverse=True))
        for (day, kind), rows in groups.items()
    ]
    out.sort(key=lambda d: (d.day, d.latest), reverse=True)
    return out


def urge(session: Session, target: Target, day: date, actor: User | str | None = None) -> bool:
    """催办 now: a notice to the target's lead department (once a day per target), audited.

    Returns False when it was already urged today. Raises InputError for a target with no lead."""
    from luoshi.errors import InputError
    from luoshi.store.audit import actor_fields, record_audit

    if target.lead_department_id is None:
        raise InputError("该目标尚未分配牵头单位，无法催办")
    _, who = actor_fields(actor)
    message = f"催办：请尽快报送「{_name(target)}」的进展（督查室 {day.isoformat()}）。"
    out = NoticeWriter(session, window=timedelta(days=2))
    if not out.add(
        "overdue",
        message,
        department_id=target.lead_department_id,
        target_id=target.id,
        link=f"/targets/{target.id}",
    ):
        return False
    record_audit(
        session,
        actor,
        "urge",
        "target",
        target.id,
        None,
        {"department_id": target.lead_department_id, "by": who, "day": day},
    )
    return True
