"""Status changes and reminders as notices: ``refresh_statuses`` (run by ``luoshi remind``, and
callable by the web app after a change, e.g. once a 复核 decision is saved).

Interface::

    refresh_statuses(session, settings, today=None) -> RefreshResult
    refresh_target_statuses(session, settings, target_ids, today=None) -> RefreshResult  # at once, web
    notify_returned(session, check) -> int    # notices for one 复核 "returned" decision

``refresh_statuses`` computes every accepted target's status as of ``today`` (default
``settings.today`` or the real date), appends a ``status_log`` row for each target whose status
differs from its last logged one, and adds notices (the caller commits):

- the office (role ``admin``): every change to 欠进度 ``behind`` / 严重滞后 ``far_behind``, and
  every overdue progress report (``overdue_report``);
- followers of the target: every change (not the first observation of a target);
- the lead department: a report due within ``settings.remind_days_before`` days (``due_soon``),
  a missing report past its due date (催办, ``overdue``), and progress returned by 复核
  (``returned``; the author is told too).

Running it again on the same day adds nothing: status_log keeps the last status, and reminder
notices are de-duplicated by their text (which names the due date or the 复核 decision).
The public has no accounts: they follow public targets through the Atom feeds of status_log
(luoshi.web.public_feed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.orm import Session, aliased

from luoshi.glossary import STATUS_LABELS
from luoshi.notify.notices import NoticeWriter
from luoshi.notify.statuses import TargetStatus, current_statuses
from luoshi.settings import Settings
from luoshi.store.models import Follow, ProgressCheck, ProgressUpdate, StatusLog, Target, User, utcnow
from luoshi.tracking.current import today
from luoshi.tracking.status import last_due

if TYPE_CHECKING:
    from luoshi.tracking.readmodel import Pending, Summary

__all__ = [
    "OFFICE_ROLE",
    "RefreshResult",
    "notify_returned",
    "refresh_statuses",
    "refresh_target_statuses",
    "today_of",
]

OFFICE_ROLE = "admin"
ALARM_CODES = ("behind", "far_behind")


@dataclass
class RefreshResult:
    day: date
    targets: int = 0
    changes: list[tuple[int, str | None, str]] = field(default_factory=list)  # (target id, before, after)
    notices: int = 0


def today_of(settings: Settings) -> date:
    """The one clock (:func:`luoshi.tracking.current.today`)."""
    return today(settings)


def _name(target: Target) -> str:
    text = (target.title or target.indicator or f"目标{target.id}").strip().replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def _link(target_id: int) -> str:
    return f"/targets/{target_id}"


_LATEST_IDS = select(func.max(StatusLog.id)).group_by(StatusLog.target_id)
_LAST_LOGGED_ALL = select(StatusLog.target_id, StatusLog.status).where(StatusLog.id.in_(_LATEST_IDS))
_LAST_LOGGED = select(StatusLog.target_id, StatusLog.status).where(
    StatusLog.id.in_(_LATEST_IDS.where(StatusLog.target_id.in_(bindparam("ids", expanding=True))))
)
_FOLLOWERS_ALL = (
    select(Follow.target_id, Follow.user_id)
    .join(User, User.id == Follow.user_id)
    .where(User.active.is_(True))
    .order_by(Follow.user_id)
)
_FOLLOWERS = _FOLLOWERS_ALL.where(Follow.target_id.in_(bindparam("ids", expanding=True)))


def _last_logged(session: Session, ids: list[int] | None = None) -> dict[int, str]:
    # Core statements built once (this runs at the commit of every progress report)
    session.flush()
    conn = session.connection()
    if ids is None:
        return {tid: status for tid, status in conn.execute(_LAST_LOGGED_ALL)}
    return {tid: status for tid, status in conn.execute(_LAST_LOGGED, {"ids": ids})} if ids else {}


def _followers(session: Session, ids: list[int] | None = None) -> dict[int, list[int]]:
    """Active followers' user ids by target id (of ``ids``, or of every target)."""
    out: dict[int, list[int]] = defaultdict(list)
    if ids == []:
        return out
    session.flush()
    conn = session.connection()
    rows = conn.execute(_FOLLOWERS_ALL) if ids is None else conn.execute(_FOLLOWERS, {"ids": ids})
    for target_id, user_id in rows:
        out[target_id].append(user_id)
    return out


def _status_change(out: NoticeWriter, ts: TargetStatus, previous: str | None, fans: list[int]) -> None:
    t, result = ts.target, ts.result
    before = STATUS_LABELS.get(previous or "", "（首次计算）")
    message = f"「{_name(t)}」状态由{before}变为{result.label}：{result.reason}"
    # no de-duplication: status_log already makes each change happen once, and a status may
    # legitimately go A -> B -> A -> B
    if result.code in ALARM_CODES:
        out.add("status_change", message, role=OFFICE_ROLE, target_id=t.id, link=_link(t.id), dedupe=False)
    if previous is not None:
        for user_id in fans:
            out.add("status_change", message, user=user_id, target_id=t.id, link=_link(t.id), dedupe=False)


def _report_reminders(out: NoticeWriter, ts: TargetStatus, today: date, days_before: int) -> None:
    t, inp, result = ts.target, ts.input, ts.result
    if result.report_overdue and result.report_due is not None:
        text = f"「{_name(t)}」应于{result.report_due.isoformat()}前报送进展，至今未报送"
        if t.lead_department_id is not None:
            out.add(
                "overdue",
                f"催办：{text}，请尽快填报。",
                department_id=t.lead_department_id,
                target_id=t.id,
                link=_link(t.id),
            )
        out.add("overdue_report", f"逾期未报：{text}。", role=OFFICE_ROLE, target_id=t.id, link=_link(t.id))
    if t.lead_department_id is not None and today <= inp.deadline:
        upcoming = last_due(
            today + timedelta(days=days_before), inp.start, inp.deadline, inp.cadence, inp.due_day
        )
        if upcoming is not None:
            due, covers = upcoming
            delivered = inp.last_submitted is not None and inp.last_submitted >= covers
            if today <= due and not delivered:
                out.add(
                    "due_soon",
                    f"「{_name(t)}」的进展应于{due.isoformat()}前报送，请按时填报。",
                    department_id=t.lead_department_id,
                    target_id=t.id,
                    link=_link(t.id),
                )


def _returned(out: NoticeWriter, check: ProgressCheck) -> None:
    session = out.session
    update = session.get(ProgressUpdate, check.update_id)
    target = session.get(Target, update.target_id) if update else None
    if update is None or target is None:
        return
    comment = f"：{check.comment}" if check.comment else ""
    message = f"「{_name(target)}」{update.period.isoformat()}的进展被复核退回{comment}（复核#{check.id}）"
    if target.lead_department_id is not None:
        out.add(
            "returned",
            message,
            department_id=target.lead_department_id,
            target_id=target.id,
            link=_link(target.id),
        )
    author = session.get(User, update.author_id) if update.author_id is not None else None
    if (
        author is not None and author.department_id != target.lead_department_id
    ):  # else told via the department
        out.add("returned", message, user=author.id, target_id=target.id, link=_link(target.id))


def notify_returned(session: Session, check: ProgressCheck) -> int:
    """Tell the lead department (and an author outside it) that 复核 returned a progress report.

    The web app may call this right after saving a "returned" decision; ``refresh_statuses``
    also picks up any it has not told yet. Returns the number of notices added.
    """
    if check.decision != "returned":
        return 0
    out = NoticeWriter(session)
    _returned(out, check)
    return out.added


def _returned_checks(session: Session) -> list[ProgressCheck]:
    newer_version = aliased(ProgressUpdate)
    later_check = aliased(ProgressCheck)
    return list(
        session.scalars(
            select(ProgressCheck)
            .where(
                ProgressCheck.decision == "returned",
                ~select(newer_version.id)
                .where(newer_version.supersedes_id == ProgressCheck.update_id)
                .exists(),
                ~select(later_check.id)
                .where(later_check.update_id == ProgressCheck.update_id, later_check.id > ProgressCheck.id)
                .exists(),
            )
            .order_by(ProgressCheck.id)
        )
    )


def _refresh(
    session: Session,
    settings: Settings,
    day: date,
    ids: list[int] | None,
    writer: NoticeWriter,
    rows: Mapping[int, Summary] | None = None,
    pending: Pending | None = None,
) -> RefreshResult:
    """The one place the status rule meets status_log and notices: every accepted target
    (``ids`` None) or just ``ids``; status changes, then due/overdue reminders."""
    statuses = current_statuses(session, settings, day, ids, rows=rows)
    last = _last_logged(session, ids)
    changed = [tid for tid, ts in statuses.items() if last.get(tid) != ts.result.code]
    # followers hear of changes only: none read when no status changed (most progress reports)
    fans = _followers(session, changed if ids is not None else None) if changed else {}
    out = RefreshResult(day=day, targets=len(statuses))
    logged: list[dict[str, object]] = []
    for tid, ts in statuses.items():
        previous = last.get(tid)
        if previous != ts.result.code:
            logged.append({"target_id": tid, "status": ts.result.code, "previous": previous, "at": utcnow()})
            out.changes.append((tid, previous, ts.result.code))
            _status_change(writer, ts, previous, fans.get(tid, []))
        _report_reminders(writer, ts, day, settings.remind_days_before)
    writer.write()  # (a deferred writer's notices, in one statement)
    if logged:  # one executemany: a batch of reports changes many statuses (no ORM object is read back)
        session.connection().execute(insert(cast(Table, StatusLog.__table__)), logged)
    from luoshi.supervision.orders import close_answered  # (imports this module's neighbours)

    close_answered(session, statuses, day)  # a report now in closes its 督办单 (办结)
    from luoshi.tracking.readmodel import keep_statuses, write

    # pages read today's statuses from the read model: computed once per change (and per day)
    results = {tid: ts.result for tid, ts in statuses.items()}
    if pending is not None:  # rows recomputed by this commit: written once, with their statuses
        write(session, pending, settings, day, results)
        results = {tid: r for tid, r in results.items() if tid not in pending}
    keep_statuses(session, settings, day, results, present=rows or ())
    return out


def refresh_statuses(session: Session, settings: Settings, today: date | None = None) -> RefreshResult:
    """Log status changes and add notices (see the module docstring); the caller commits."""
    writer = NoticeWriter(session, everything=True)  # it may write about every target
    out = _refresh(session, settings, today or today_of(settings), None, writer)
    for check in _returned_checks(session):
        _returned(writer, check)
    out.notices = writer.added
    session.flush()
    return out


def refresh_target_statuses(
    session: Session,
    settings: Settings,
    target_ids: Iterable[int],
    today: date | None = None,
    *,
    rows: Mapping[int, Summary] | None = None,
    pending: Pending | None = None,
) -> RefreshResult:
    """``refresh_statuses`` for a few targets, at once after a change to them (a 复核 decision,
    an override, an edit, an acceptance), in the caller's transaction; the caller commits.

    Same rule and same notices, so ``luoshi remind`` later that day adds no duplicate.
    Targets that are not accepted are skipped. ``rows``: read-model rows this transaction has
    just written (:func:`luoshi.tracking.readmodel.refresh`), used instead of reading them back;
    ``pending``: rows recomputed and not yet written (:func:`luoshi.tracking.readmodel.compute`),
    written here with the statuses computed from them.
    """
    day = today or today_of(settings)
    ids = sorted({int(i) for i in target_ids})
    if not ids:
        if pending is not None:
            from luoshi.tracking.readmodel import write

            write(session, pending)
        return RefreshResult(day=day)
    session.flush()  # the change just made must be visible to the status queries
    writer = NoticeWriter(session, targets=ids, deferred=True)  # their notices, read in one query
    out = _refresh(session, settings, day, ids, writer, rows, pending)
    writer.write()
    out.notices = writer.added
    session.flush()
    return out
