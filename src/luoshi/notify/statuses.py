"""Computed status of every accepted target, read from the store in a few batch queries.

The rule itself is :func:`luoshi.tracking.status.compute_status` and its input is built by
:func:`luoshi.tracking.readings.status_input`; like ``tracking.queries.statuses_for``, this gathers
accepted, current readings, the latest submission and milestones in batches, but also returns
the rule's input (reminders need the last submission and the reporting cycle). Both read the
store through :func:`luoshi.tracking.readings.status_inputs`.

    current_statuses(session, settings, today, target_ids=None) -> dict[int, TargetStatus]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.engine import chunked
from luoshi.store.models import Target
from luoshi.tracking.readings import status_inputs
from luoshi.tracking.status import StatusInput, StatusResult, compute_status

__all__ = ["TargetStatus", "current_statuses"]

@dataclass(frozen=True)
class TargetStatus:
    target: Target
    input: StatusInput
    result: StatusResult


def current_statuses(
    session: Session, settings: Settings, today: date, target_ids: Iterable[int] | None = None
) -> dict[int, TargetStatus]:
    """Status as of ``today`` of every accepted target (or of ``target_ids``), by target id."""
    query = select(Target).where(Target.review_state == "accepted").order_by(Target.id)
    if target_ids is None:
        targets = list(session.scalars(query))
    else:
        targets = sorted((t for part in chunked(sorted(set(target_ids)))
                          for t in session.scalars(query.where(Target.id.in_(part)))), key=lambda t: t.id)
    inputs = status_inputs(session, settings, targets, today.year)
    out: dict[int, TargetStatus] = {}
    for t in targets:
        inp = inputs[t.id]
        out[t.id] = TargetStatus(t, inp, compute_status(inp, today))
    return out
