"""Status of every accepted target for notices and reminders, with the rule's input.

Not a second status rule: the input comes from :func:`luoshi.tracking.readings.status_inputs`
and the status from :func:`luoshi.tracking.queries.judge` (so a manual override 人工认定 counts here
exactly as on the target page); reminders also need the input (last submission, reporting cycle).

    current_statuses(session, settings, today, target_ids=None) -> dict[int, TargetStatus]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.engine import held_or_read
from luoshi.store.models import Target
from luoshi.tracking.queries import judge
from luoshi.tracking.readings import status_inputs
from luoshi.tracking.readmodel import Summary
from luoshi.tracking.status import StatusInput, StatusResult

__all__ = ["TargetStatus", "current_statuses"]


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    input: StatusInput
    result: StatusResult


def current_statuses(
    session: Session,
    settings: Settings,
    today: date,
    target_ids: Iterable[int] | None = None,
    *,
    rows: Mapping[int, Summary] | None = None,
) -> dict[int, TargetStatus]:
    """Status as of ``today`` of every accepted target (or of ``target_ids``), by target id.

    ``rows``: read-model rows the caller has already (of some or all of the targets)."""
    if target_ids is None:
        query = select(Target).where(Target.review_state == "accepted").order_by(Target.id)
        targets = list(session.scalars(query))
    else:  # the targets a write just touched are mostly in the session already: not read again
        found = held_or_read(session, Target, target_ids)
        targets = [t for _id, t in sorted(found.items()) if t.review_state == "accepted"]
    inputs = status_inputs(session, settings, targets, today.year, rows)
    return {t.id: TargetStatus(t, inputs[t.id], judge(t, inputs[t.id], today)) for t in targets}
