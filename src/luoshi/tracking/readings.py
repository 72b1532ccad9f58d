"""The status rule's input, read from the store in one place.

A target's *current* readings (:func:`luoshi.tracking.current.current_updates`) are its progress
updates that no later version supersedes; the status counts those whose latest 复核 decision is
``accepted``, and a report counts as delivered unless its latest decision is ``returned``. They are
read from the maintained read model (:mod:`luoshi.tracking.readmodel`), rewritten from those
definitions at every change. Every caller (target lists, the overview, public scorecards,
reminders and notices) goes through :func:`status_inputs`; the status itself is
:func:`luoshi.tracking.queries.judge`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, SessionTransaction

from luoshi.settings import Settings
from luoshi.store.engine import chunked
from luoshi.store.models import Milestone, Report
from luoshi.tracking.readmodel import Summary, summaries
from luoshi.tracking.status import MilestoneState, Reading, StatusInput

__all__ = ["plan_years", "status_input", "status_inputs"]

_YEARS = "luoshi.plan_years"  # session.info: plan year by report id, read this transaction
_YEARS_OF = select(Report.id, Report.year).where(Report.id.in_(bindparam("ids", expanding=True)))
_MILESTONES_OF = (
    select(Milestone.target_id, Milestone.due_date, Milestone.done_date)
    .where(Milestone.target_id.in_(bindparam("ids", expanding=True)))
    .order_by(Milestone.target_id, Milestone.id)
)


def plan_years(session: Session, report_ids: Iterable[int]) -> dict[int, int]:
    """The plan year of each report (by id; missing ids left out), read once per transaction: a
    progress report checks its date against it and the status refresh at commit reads it again."""
    asked = {int(i) for i in report_ids}
    known: dict[int, int] = session.info.setdefault(_YEARS, {})
    wanted = sorted(asked - known.keys())
    for part in chunked(wanted):
        known.update((rid, year) for rid, year in session.execute(_YEARS_OF, {"ids": part}))
    return {i: known[i] for i in asked if i in known}


@event.listens_for(Session, "after_transaction_end")
def _forget_years(session: Session, transaction: SessionTransaction) -> None:
    # a report's year never changes, but a report rolled back may leave its id to another
    if transaction.nested or transaction.parent is None:
        session.info.pop(_YEARS, None)


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
    session: Session,
    settings: Settings,
    targets: Sequence[Any],
    default_year: int,
    rows: Mapping[int, Summary] | None = None,
) -> dict[int, StatusInput]:
    """The rule's input for each target (by id), read in a few batch queries.

    ``targets`` are Target objects or plain rows with the columns the rule reads; ``rows`` their
    read-model rows when the caller has them already (those missing are read)."""
    if not targets:
        return {}
    ids = [t.id for t in targets]
    if rows is None:
        rows = summaries(session, ids)
    elif missing := [i for i in ids if i not in rows]:
        rows = {**rows, **summaries(session, missing)}
    milestones: dict[int, list[MilestoneState]] = defaultdict(list)
    for part in chunked(sorted(set(ids))):
        for tid, due, done in session.execute(_MILESTONES_OF, {"ids": part}):
            milestones[tid].append(MilestoneState(due, done))
    years = plan_years(session, {t.report_id for t in targets})
    return {
        t.id: status_input(
            t,
            int(years.get(t.report_id) or default_year),
            settings,
            rows[t.id].readings,
            rows[t.id].last_submitted,
            tuple(milestones.get(t.id, ())),
        )
        for t in targets
    }
