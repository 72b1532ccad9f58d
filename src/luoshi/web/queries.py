"""Small read-only look-ups for pages and the API (reports, areas, departments, ids).

Target lists, statuses and roll-ups come from :mod:`luoshi.tracking.queries` and
:mod:`luoshi.tracking.projects`; nothing here computes a status.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from luoshi.errors import NotFoundError
from luoshi.store.models import Area, Department, Jurisdiction, Report, Target

__all__ = ["areas_of", "as_int", "count_proposed", "departments", "get_report", "get_target", "latest_report",
           "get_targets", "list_reports"]


def list_reports(db: Session, public_only: bool = False) -> list[Report]:
    query = (select(Report).join(Jurisdiction).options(selectinload(Report.jurisdiction), defer(Report.text))
             .order_by(Report.year.desc(), Jurisdiction.name))
    if public_only:
        has_public = select(Target.id).where(Target.report_id == Report.id, Target.public.is_(True)).exists()
        query = query.where(has_public)
    return list(db.scalars(query))


def latest_report(db: Session) -> Report | None:
    """The report shown by default (luoshi.tracking's choice: the latest one being tracked)."""
    from luoshi.tracking.queries import current_report

    return current_report(db)


def get_report(db: Session, report_id: int) -> Report:
    report = db.get(Report, report_id)
    if report is None:
        raise NotFoundError(f"没有编号为 {report_id} 的报告")
    return report


def get_target(db: Session, target_id: int) -> Target:
    target = db.get(Target, target_id)
    if target is None:
        raise NotFoundError(f"没有编号为 {target_id} 的目标")
    return target


def areas_of(db: Session, report_id: int | None) -> list[Area]:
    if report_id is None:
        return []
    return list(db.scalars(select(Area).where(Area.report_id == report_id).order_by(Area.position)))


def departments(db: Session) -> list[Department]:
    return list(db.scalars(select(Department).order_by(Department.name)))


def as_int(value: Any) -> int | None:
    """A query-string id, or None for anything that is not a plain integer (no errors, no SQL)."""
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None


def count_proposed(db: Session, report_id: int) -> int:
    from sqlalchemy import func

    return int(db.scalar(select(func.count(Target.id)).where(
        Target.report_id == report_id, Target.review_state == "proposed")) or 0)



def get_targets(db: Session, ids: set[int]) -> list[Target]:
    """Targets by id, with their departments loaded (for permission checks), in chunks."""
    from sqlalchemy.orm import selectinload

    from luoshi.store.engine import chunked

    out: list[Target] = []
    for part in chunked(sorted(ids)):
        out += db.scalars(select(Target).options(selectinload(Target.co_departments)).where(Target.id.in_(part)))
    return out
