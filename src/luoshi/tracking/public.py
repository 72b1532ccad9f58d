"""What anonymous readers may see: published (public, accepted) targets, the reports that have
some, and their status changes for the Atom feeds.

Moved out of the web layer (luoshi.web.public_routes and public_feed build pages from these).
Nothing here returns narratives, evidence, user names or override notes.

    public_report(session, jurisdiction, year) -> Report
    status_changes(session, report_id=None, target_id=None, limit=200) -> list[Change]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from luoshi.errors import NotFoundError
from luoshi.store.models import Report, StatusLog, Target
from luoshi.tracking.current import find_report

__all__ = [
    "Change",
    "published_clause",
    "public_counts",
    "public_report",
    "public_target",
    "status_changes",
]


def published_clause() -> ColumnElement[bool]:
    """The one rule for "an anonymous reader may see this target": public and accepted in 审核.

    Every public page, feed, the public API and the public scorecards filter by this.
    """
    return and_(Target.public.is_(True), Target.review_state == "accepted")


def public_report(session: Session, jurisdiction: str, year: int) -> Report:
    """A report with at least one published target; any other answers 404, as if absent."""
    try:
        report = find_report(session, jurisdiction, year)
    except NotFoundError:
        report = None
    if report is None or not session.scalar(
        select(func.count(Target.id)).where(Target.report_id == report.id, published_clause())
    ):
        raise NotFoundError(f"没有 {jurisdiction} {year} 年的公开数据")
    return report


def public_counts(session: Session) -> dict[int, int]:
    """The number of published targets of each report that has some, by report id."""
    return dict(
        session.execute(
            select(Target.report_id, func.count(Target.id))
            .where(published_clause())
            .group_by(Target.report_id)
        ).all()
    )


def public_target(session: Session, target_id: int) -> Target:
    """A published target; any other (absent, internal, not accepted) raises the same NotFoundError."""
    target = session.get(Target, target_id)
    if target is None or not target.public or target.review_state != "accepted":
        raise NotFoundError(f"没有编号为 {target_id} 的公开目标")  # the same answer for everyone
    return target


@dataclass(frozen=True)
class Change:
    log_id: int
    target_id: int
    title: str
    previous: str | None
    status: str
    at: datetime


def status_changes(
    session: Session, *, report_id: int | None = None, target_id: int | None = None, limit: int = 200
) -> list[Change]:
    """The latest status changes (newest first) of public, accepted targets, from ``status_log``
    (written by luoshi.notify.events)."""
    query = (
        select(
            StatusLog.id,
            Target.id,
            Target.title,
            Target.indicator,
            StatusLog.previous,
            StatusLog.status,
            StatusLog.at,
        )
        .join(Target, Target.id == StatusLog.target_id)
        .where(published_clause())
        .order_by(StatusLog.id.desc())
        .limit(limit)
    )
    if report_id is not None:
        query = query.where(Target.report_id == report_id)
    if target_id is not None:
        query = query.where(Target.id == target_id)
    return [
        Change(log_id, tid, (title or indicator or f"目标{tid}").strip(), previous, status, at)
        for log_id, tid, title, indicator, previous, status, at in session.execute(query)
    ]
