"""Current readings of targets: what the status rule reads from the store, in one place.

A target's *current* readings are its progress updates that no later version supersedes; the
status counts those whose latest 复核 decision is ``accepted``, and a report counts as delivered
unless its latest decision is ``returned``. :func:`current_readings` reads them for many targets
in one flat query per chunk of ids (updates joined with their checks, in id order; the latest
check wins in Python) — no correlated subqueries per update. Every caller (target lists, the
overview, public scorecards, reminders and notices) goes through :func:`status_inputs`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.engine import chunked
from luoshi.store.models import Milestone, ProgressCheck, ProgressUpdate, Report
from luoshi.tracking.status import MilestoneState, Reading, StatusInput

__all__ = ["TargetReadings", "current_readings", "status_input", "status_inputs"]


@dataclass
class TargetReadings:
    accepted: list[Reading] = field(default_factory=list)  # accepted, current; by period
    last_submitted: date | None = None  # latest period of a current report not returned


def current_readings(session: Session, target_ids: Iterable[int]) -> dict[int, TargetReadings]:
    """Accepted current readings and the latest submission of each target (every id gets an entry)."""
    ids = sorted(set(target_ids))
    out: dict[int, TargetReadings] = {i: TargetReadings() for i in ids}
    for part in chunked(ids):
        rows = session.execute(
            select(
                ProgressUpdate.id,
                ProgressUpdate.target_id,
                ProgressUpdate.period,
                ProgressUpdate.reported_value,
                ProgressUpdate.supersedes_id,
                ProgressCheck.decision,
            )
            .outerjoin(ProgressCheck, ProgressCheck.update_id == ProgressUpdate.id)
            .where(ProgressUpdate.target_id.in_(part))
            .order_by(ProgressUpdate.id, ProgressCheck.id)
        ).all()
        latest: dict[int, tuple[int, date, float | None, str | None]] = {}
        superseded: set[int] = set()
        for uid, tid, period, value, supersedes, decision in rows:
            latest[uid] = (tid, period, value, decision)  # rows come in check order: the last one wins
            if supersedes is not None:
                superseded.add(supersedes)
        for uid, (target_id, when, reported, last) in latest.items():
            if uid in superseded:
                continue
            entry = out[target_id]
            if last == "accepted":
                entry.accepted.append(Reading(when, reported))
            if last != "returned" and (entry.last_submitted is None or when > entry.last_submitted):
                entry.last_submitted = when
    for entry in out.values():
        entry.accepted.sort(key=lambda r: r.period)
    return out


def status_input(
    t: Any,
    year: int,
    settings: Settings,
    readings: Sequence[Reading] = (),
    last_submitted: date | None = None,
    milestones: Sequence[MilestoneState] = (),
) -> StatusInput:
    """The rule's input for one target (settings give the default thresholds and due day)."""
    return StatusInput(
        kind=t.kind or "count",
        comparator=t.comparator or ">=",
        direction=t.direction,
        target_value=t.target_value,
        baseline=t.baseline,
        start=date(year, 1, 1),
        deadline=t.deadline or date(year, 12, 31),
        readings=readings,
        last_submitted=last_submitted,
        milestones=milestones,
        cadence=t.cadence or "monthly",
        due_day=t.due_day or settings.report_due_day,
        amber_gap=t.amber_gap if t.amber_gap is not None else settings.amber_gap,
        red_gap=t.red_gap if t.red_gap is not None else settings.red_gap,
    )


def status_inputs(
    session: Session, settings: Settings, targets: Sequence[Any], default_year: int
) -> dict[int, StatusInput]:
    """The rule's input for each target (by id), read in a few batch queries.

    ``targets`` are Target objects or plain rows with the columns the rule reads."""
    if not targets:
        return {}
    ids = [t.id for t in targets]
    readings = current_readings(session, ids)
    milestones: dict[int, list[MilestoneState]] = defaultdict(list)
    for part in chunked(sorted(set(ids))):
        for tid, due, done in session.execute(
            select(Milestone.target_id, Milestone.due_date, Milestone.done_date)
            .where(Milestone.target_id.in_(part))
            .order_by(Milestone.target_id, Milestone.id)
        ):
            milestones[tid].append(MilestoneState(due, done))
    years: dict[int, int] = {}
    for part in chunked(sorted({t.report_id for t in targets})):
        years.update(
            session.execute(select(Report.id, Report.year).where(Report.id.in_(part))).tuples().all()
        )
    return {
        t.id: status_input(
            t,
            int(years.get(t.report_id) or default_year),
            settings,
            tuple(readings[t.id].accepted),
            readings[t.id].last_submitted,
            tuple(milestones.get(t.id, ())),
        )
        for t in targets
    }
