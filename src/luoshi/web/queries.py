"""Read-only queries the pages and the API share (filters, pagination, look-ups).

Status and roll-up rules are NOT here: they come from :mod:`luoshi.tracking` through
:mod:`luoshi.web.status`. This module only selects rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from luoshi.errors import NotFoundError
from luoshi.store.models import Area, Department, Jurisdiction, Report, Target, target_co_departments

__all__ = ["TargetFilter", "get_report", "get_target", "latest_report", "list_reports", "select_targets"]

LISTED_STATES = ("accepted",)


@dataclass(frozen=True)
class TargetFilter:
    report_id: int | None = None
    area_id: int | None = None
    department_id: int | None = None
    q: str = ""
    public_only: bool = False


def list_reports(db: Session, public_only: bool = False) -> list[Report]:
    query = select(Report).join(Jurisdiction).order_by(Report.year.desc(), Jurisdiction.name)
    if public_only:
        has_public = select(Target.id).where(Target.report_id == Report.id, Target.public.is_(True)).exists()
        query = query.where(has_public)
    return list(db.scalars(query))


def latest_report(db: Session) -> Report | None:
    return db.scalars(select(Report).order_by(Report.year.desc(), Report.id.desc()).limit(1)).first()


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


def _like(q: str) -> str:
    # Search text is data, never SQL: bound parameter, with LIKE wildcards escaped.
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def select_targets(db: Session, f: TargetFilter) -> list[Target]:
    """Listed targets (accepted ones) matching the filter, in report order."""
    query = (
        select(Target)
        .where(Target.review_state.in_(LISTED_STATES))
        .options(selectinload(Target.lead_department), selectinload(Target.co_departments),
                 selectinload(Target.area))
        .order_by(Target.report_id, Target.position, Target.id)
    )
    if f.report_id is not None:
        query = query.where(Target.report_id == f.report_id)
    if f.area_id is not None:
        query = query.where(Target.area_id == f.area_id)
    if f.department_id is not None:
        co = select(target_co_departments.c.target_id).where(
            target_co_departments.c.department_id == f.department_id
        )
        query = query.where(or_(Target.lead_department_id == f.department_id, Target.id.in_(co)))
    if f.public_only:
        query = query.where(Target.public.is_(True))
    q = f.q.strip()[:200]
    if q:
        pattern = _like(q)
        query = query.where(
            or_(Target.title.like(pattern, escape="\\"), Target.indicator.like(pattern, escape="\\"),
                Target.surface.like(pattern, escape="\\"))
        )
    return list(db.scalars(query))


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
