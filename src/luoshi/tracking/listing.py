"""Look-ups and lists the office's pages and the API show: reports, areas, departments, targets
by id, the 审核 queue, progress versions, the spans the 原文 page highlights.

Moved out of the web layer (routes no longer query the ORM): statuses, current readings and
roll-ups are :mod:`luoshi.tracking.queries`, :mod:`luoshi.tracking.current` and
:mod:`luoshi.tracking.projects`; nothing here computes a status. What anonymous readers may see
is :mod:`luoshi.tracking.public`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session, defer, selectinload

from luoshi.errors import NotFoundError
from luoshi.store.engine import chunked
from luoshi.store.models import (
    Area,
    Department,
    Jurisdiction,
    Milestone,
    Outcome,
    ProgressUpdate,
    Report,
    Target,
    target_co_departments,
)
from luoshi.tracking.current import current_updates
from luoshi.tracking.public import published_clause
from luoshi.tracking.queries import chosen_report, get_report

__all__ = [
    "accepted_targets",
    "areas_of",
    "chosen_report",
    "co_department_names",
    "ReportChoice",
    "count_proposed",
    "department_names",
    "departments",
    "get_milestone",
    "get_report",
    "get_targets",
    "outcome_spans",
    "progress_updates",
    "proposed_ids",
    "proposed_page",
    "report_choices",
    "reports",
    "target_ids_of_updates",
    "target_spans",
]


# -- reports ----------------------------------------------------------------------------------


def _listed(*columns: Any, public_only: bool) -> Select[Any]:
    """``columns`` of reports joined to their jurisdiction, in the listing's order: newest year
    first, then by jurisdiction name; ``public_only``: only reports with a published target."""
    query = select(*columns).join(Jurisdiction, Report.jurisdiction_id == Jurisdiction.id)
    if public_only:
        has_public = select(Target.id).where(Target.report_id == Report.id, published_clause()).exists()
        query = query.where(has_public)
    return query.order_by(Report.year.desc(), Jurisdiction.name)


def reports(session: Session, public_only: bool = False) -> list[Report]:
    """Reports for the report lists and ``/api/reports``: newest year first, then by
    jurisdiction name; ``public_only``: only reports with at least one published target."""
    query = _listed(Report, public_only=public_only)
    return list(session.scalars(query.options(selectinload(Report.jurisdiction), defer(Report.text))))


@dataclass(frozen=True, slots=True)
class ReportChoice:
    """One entry of a report chooser (a ``<select>`` on most pages)."""

    id: int
    year: int
    jurisdiction_name: str


def report_choices(session: Session, public_only: bool = False) -> list[ReportChoice]:
    """The reports of :func:`reports`, in its order, as the three values a chooser shows: one
    small query, where loading every report as an object cost ~1 ms on each page with a chooser."""
    query = _listed(Report.id, Report.year, Jurisdiction.name, public_only=public_only)
    return [ReportChoice(rid, year, name) for rid, year, name in session.execute(query)]


def areas_of(session: Session, report_id: int | None) -> list[Area]:
    if report_id is None:
        return []
    return list(session.scalars(select(Area).where(Area.report_id == report_id).order_by(Area.position)))


# -- departments ------------------------------------------------------------------------------


def departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.name)))


def co_department_names(session: Session, target_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of each target's co-departments (责任单位), in the order of
    ``Target.co_departments``; targets without any are left out."""
    out: dict[int, list[str]] = {}
    link = target_co_departments.c
    for part in chunked(sorted(set(target_ids))):
        for tid, name in session.execute(
            select(link.target_id, Department.name)
            .join(Department, Department.id == link.department_id)
            .where(link.target_id.in_(part))
            .order_by(link.target_id, Department.name)
        ):
            out.setdefault(tid, []).append(name)
    return out


def department_names(session: Session) -> dict[int, str]:
    """Every department's name by id (for showing the ids a bulk change records)."""
    return dict(session.execute(select(Department.id, Department.name)).all())


# -- targets ----------------------------------------------------------------------------------


def get_targets(session: Session, ids: set[int]) -> list[Target]:
    """Targets by id, with their departments loaded (for permission checks), in chunks."""
    out: list[Target] = []
    for part in chunked(sorted(ids)):
        out += session.scalars(
            select(Target).options(selectinload(Target.co_departments)).where(Target.id.in_(part))
        )
    return out


def count_proposed(session: Session, report_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Target.id)).where(
                Target.report_id == report_id, Target.review_state == "proposed"
            )
        )
        or 0
    )


def proposed_ids(session: Session, report_id: int) -> list[int]:
    """Every still-proposed target of a report (what 全部采纳 would accept); raises NotFoundError."""
    get_report(session, report_id)
    return list(
        session.scalars(
            select(Target.id)
            .where(Target.report_id == report_id, Target.review_state == "proposed")
            .order_by(Target.position, Target.id)
        )
    )


def proposed_page(session: Session, report_id: int, page: int, size: int) -> list[Target]:
    """One page (1-based) of a report's proposed targets, in report order, area and report loaded."""
    return list(
        session.scalars(
            select(Target)
            .options(selectinload(Target.area), selectinload(Target.report))
            .where(Target.report_id == report_id, Target.review_state == "proposed")
            .order_by(Target.position, Target.id)
            .offset((page - 1) * size)
            .limit(size)
        )
    )


def accepted_targets(session: Session, report_id: int) -> list[Target]:
    """A report's accepted targets in report order (what a proposed item may be merged into)."""
    return list(
        session.scalars(
            select(Target)
            .where(Target.report_id == report_id, Target.review_state == "accepted")
            .order_by(Target.position, Target.id)
        )
    )


def target_spans(session: Session, report_id: int) -> Sequence[Row[int, int | None, int | None, str, str]]:
    """(id, span_start, span_end, title, review_state) of a report's targets that have a span."""
    return session.execute(
        select(Target.id, Target.span_start, Target.span_end, Target.title, Target.review_state).where(
            Target.report_id == report_id, Target.span_start.is_not(None)
        )
    ).all()


def outcome_spans(session: Session, report_id: int) -> Sequence[Row[int | None, int | None, str]]:
    """(span_start, span_end, indicator) of a report's outcomes (成果) that have a span."""
    return session.execute(
        select(Outcome.span_start, Outcome.span_end, Outcome.indicator).where(
            Outcome.report_id == report_id, Outcome.span_start.is_not(None)
        )
    ).all()


# -- progress and milestones ------------------------------------------------------------------


def progress_updates(session: Session, target_id: int, *, current_only: bool = False) -> list[ProgressUpdate]:
    """A target's progress reports by period; ``current_only``: only the current readings
    (accepted, not superseded: :func:`luoshi.tracking.current.current_updates`), what the public sees."""
    rows = list(
        session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.target_id == target_id)
            .order_by(ProgressUpdate.period, ProgressUpdate.id)
        )
    )
    if current_only:
        live = {r.update_id for r in current_updates(session, [target_id])[target_id] if r.accepted}
        rows = [u for u in rows if u.id in live]
    return rows


def target_ids_of_updates(session: Session, update_ids: Iterable[int]) -> list[int]:
    """The target of each progress report in ``update_ids`` (one id per report, in no set order)."""
    ids = list(update_ids)
    if not ids:
        return []
    return list(session.scalars(select(ProgressUpdate.target_id).where(ProgressUpdate.id.in_(ids))))


def get_milestone(session: Session, milestone_id: int) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFoundError(f"没有编号为 {milestone_id} 的节点")
    return milestone
