"""Batch bridge from the store to luoshi.tracking.status (the rule itself is not here).

One query per table for a whole page of targets (readings, submissions, milestones), then
:func:`luoshi.tracking.status.compute_status` per target. Only accepted (复核 passed), current
(not superseded by a correction) progress counts, as the rule requires.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from luoshi.settings import Settings
from luoshi.store.models import Milestone, ProgressCheck, ProgressUpdate, Report, Target
from luoshi.tracking.status import MilestoneState, Reading, StatusInput, StatusResult, compute_status
from luoshi.web.charts import STATUS_COLOURS

__all__ = ["colour", "current_updates", "statuses", "today"]


def today(settings: Settings) -> date:
    return date.fromisoformat(settings.today) if settings.today else date.today()


def colour(code: str) -> str:
    return STATUS_COLOURS.get(code, "#999")


def current_updates(ids: Sequence[int]):  # noqa: ANN201 - a SQLAlchemy select
    """Select (update id, target id, period, value, decision) of current versions of ``ids``' updates."""
    newer = aliased(ProgressUpdate)
    superseded = select(newer.id).where(newer.supersedes_id == ProgressUpdate.id).exists()
    last_check = (
        select(ProgressCheck.decision)
        .where(ProgressCheck.update_id == ProgressUpdate.id)
        .order_by(ProgressCheck.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(ProgressUpdate.id, ProgressUpdate.target_id, ProgressUpdate.period,
               ProgressUpdate.reported_value, last_check.label("decision"))
        .where(ProgressUpdate.target_id.in_(ids), ~superseded)
    )


def statuses(db: Session, settings: Settings, targets: Sequence[Target]) -> dict[int, StatusResult]:
    """Computed status of each target (by id) as of ``settings.today``."""
    if not targets:
        return {}
    ids = [t.id for t in targets]
    readings: dict[int, list[Reading]] = defaultdict(list)
    submitted: dict[int, date] = {}
    for chunk in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
        part = ids[chunk:chunk + 900]
        for _uid, tid, period, value, decision in db.execute(current_updates(part)):
            if decision == "accepted":
                readings[tid].append(Reading(period, value))
            if decision != "returned" and (tid not in submitted or period > submitted[tid]):
                submitted[tid] = period
    milestones: dict[int, list[MilestoneState]] = defaultdict(list)
    for tid, due, done in db.execute(
        select(Milestone.target_id, Milestone.due_date, Milestone.done_date).where(Milestone.target_id.in_(ids))
    ):
        milestones[tid].append(MilestoneState(due, done))
    years = dict(db.execute(select(Report.id, Report.year).where(
        Report.id.in_({t.report_id for t in targets}))).all())
    now = today(settings)
    out: dict[int, StatusResult] = {}
    for t in targets:
        year = int(years.get(t.report_id) or now.year)
        out[t.id] = compute_status(
            StatusInput(
                kind=t.kind or "count",
                comparator=t.comparator or ">=",
                direction=t.direction,
                target_value=t.target_value,
                baseline=t.baseline,
                start=date(year, 1, 1),
                deadline=t.deadline or date(year, 12, 31),
                readings=readings.get(t.id, ()),
                last_submitted=submitted.get(t.id),
                milestones=milestones.get(t.id, ()),
                cadence=t.cadence or "monthly",
                due_day=t.due_day or settings.report_due_day,
                amber_gap=t.amber_gap if t.amber_gap is not None else settings.amber_gap,
                red_gap=t.red_gap if t.red_gap is not None else settings.red_gap,
            ),
            now,
        )
    return out


def count_by_status(results: dict[int, StatusResult]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for r in results.values():
        counts[r.code] += 1
    return dict(counts)


