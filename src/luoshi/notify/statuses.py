"""Computed status of every accepted target, read from the store in a few batch queries.

The rule itself is :func:`luoshi.tracking.status.compute_status` and its input is built by
:func:`luoshi.tracking.queries.status_input`; like ``tracking.queries.statuses_for``, this gathers
accepted, current readings, the latest submission and milestones in batches, but also returns
the rule's input (reminders need the last submission and the reporting cycle).

    current_statuses(session, settings, today, target_ids=None) -> dict[int, TargetStatus]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from luoshi.settings import Settings
from luoshi.store.models import Milestone, ProgressCheck, ProgressUpdate, Report, Target
from luoshi.tracking.queries import status_input
from luoshi.tracking.status import MilestoneState, Reading, StatusInput, StatusResult, compute_status

__all__ = ["TargetStatus", "current_statuses"]

_CHUNK = 900  # below SQLite's bound-parameter limit


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    input: StatusInput
    result: StatusResult


def _current_updates(ids: list[int]) -> Select[Any]:
    newer = aliased(ProgressUpdate)
    superseded = select(newer.id).where(newer.supersedes_id == ProgressUpdate.id).exists()
    last_check = (
        select(ProgressCheck.decision)
        .where(ProgressCheck.update_id == ProgressUpdate.id)
        .order_by(ProgressCheck.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(
        ProgressUpdate.target_id, ProgressUpdate.period, ProgressUpdate.reported_value, last_check
    ).where(ProgressUpdate.target_id.in_(ids), ~superseded)


def current_statuses(
    session: Session, settings: Settings, today: date, target_ids: Iterable[int] | None = None
) -> dict[int, TargetStatus]:
    """Status as of ``today`` of every accepted target (or of ``target_ids``), by target id."""
    query = select(Target).where(Target.review_state == "accepted").order_by(Target.id)
    if target_ids is not None:
        query = query.where(Target.id.in_(list(target_ids)))
    targets = list(session.scalars(query))
    ids = [t.id for t in targets]
    readings: dict[int, list[Reading]] = defaultdict(list)
    submitted: dict[int, date] = {}
    milestones: dict[int, list[MilestoneState]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        part = ids[start:start + _CHUNK]
        for tid, period, value, decision in session.execute(_current_updates(part)):
            if decision == "accepted":
                readings[tid].append(Reading(period, value))
            if decision != "returned" and (tid not in submitted or period > submitted[tid]):
                submitted[tid] = period
        for tid, due, done in session.execute(
            select(Milestone.target_id, Milestone.due_date, Milestone.done_date).where(Milestone.target_id.in_(part))
        ):
            milestones[tid].append(MilestoneState(due, done))
    years = dict(session.execute(select(Report.id, Report.year)).all())
    out: dict[int, TargetStatus] = {}
    for t in targets:
        inp = status_input(t, int(years.get(t.report_id) or today.year), settings, tuple(readings.get(t.id, ())),
                           submitted.get(t.id), tuple(milestones.get(t.id, ())))
        out[t.id] = TargetStatus(t, inp, compute_status(inp, today))
    return out
