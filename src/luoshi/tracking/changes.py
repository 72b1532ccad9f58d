"""Status changes over time: append to ``status_log`` when a target's computed status differs from
the last one logged (for notices to departments, the office and followers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.models import StatusLog, Target
from luoshi.tracking.queries import TargetView, list_targets

__all__ = ["StatusChange", "last_logged_statuses", "record_status_changes", "targets_changed_to"]


@dataclass(frozen=True)
class StatusChange:
    target_id: int
    previous: str | None  # None: first time the target's status is logged
    status: str
    view: TargetView


def last_logged_statuses(session: Session, target_ids: list[int] | None = None) -> dict[int, str]:
    """The latest logged status of each target (by id)."""
    latest = select(StatusLog.target_id, func.max(StatusLog.id).label("id")).group_by(StatusLog.target_id)
    if target_ids is not None:
        latest = latest.where(StatusLog.target_id.in_(target_ids))
    sub = latest.subquery()
    rows = session.execute(select(StatusLog.target_id, StatusLog.status).join(sub, StatusLog.id == sub.c.id))
    return {tid: status for tid, status in rows}


def record_status_changes(session: Session, settings: Settings, report_id: int | None = None,
                          today: date | None = None) -> list[StatusChange]:
    """Log every accepted target whose status changed since it was last logged; returns the changes.

    Safe to call repeatedly (after each update, from ``luoshi remind``, on a schedule): an unchanged
    status adds nothing.
    """
    views = list_targets(session, settings, report_id=report_id, today=today)
    before = last_logged_statuses(session)
    changes: list[StatusChange] = []
    for v in views:
        old = before.get(v.target.id)
        if old != v.code:
            session.add(StatusLog(target_id=v.target.id, status=v.code, previous=old))
            changes.append(StatusChange(v.target.id, old, v.code, v))
    session.flush()
    return changes


def targets_changed_to(changes: list[StatusChange], *codes: str) -> list[Target]:
    """The targets whose new status is one of ``codes`` (e.g. behind, far_behind)."""
    return [c.view.target for c in changes if c.status in codes]
