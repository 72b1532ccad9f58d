"""The read side's three shared facts, each computed here and nowhere else.

- :func:`today` — the one clock: the day statuses are computed for (``Settings.today`` or the
  real date). Web pages, the API, notices, reminders and the CLI all ask this function.
- :func:`current_updates` / :func:`accepted_readings` / :func:`latest_accepted` — the current
  reading of a target: the newest version of each progress report (not superseded by a
  correction) whose latest 复核 decision is ``accepted``. Status, public history, the sheet and
  the year-end review read it from here.
- :func:`find_report` — a report by jurisdiction name and year (the newest import of it).

No web or notify imports: this module is what those layers call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from luoshi.errors import InputError, NotFoundError
from luoshi.settings import Settings
from luoshi.store.models import Jurisdiction, ProgressCheck, ProgressUpdate, Report

__all__ = [
    "CurrentUpdate",
    "accepted_readings",
    "current_updates",
    "current_updates_query",
    "find_report",
    "is_superseded",
    "latest_accepted",
    "today",
]

_CHUNK = 900  # below SQLite's bound-parameter limit


def today(settings: Settings) -> date:
    """The day statuses are computed for: ``Settings.today`` (YYYY-MM-DD) or the real date."""
    if not settings.today:
        return date.today()
    try:
        return date.fromisoformat(settings.today.strip())
    except ValueError:
        raise InputError(
            f"today 设置须为 YYYY-MM-DD 格式的日期（LUOSHI_TODAY）：{settings.today!r}"
        ) from None


@dataclass(frozen=True, slots=True)
class CurrentUpdate:
    """The newest version of one progress report and its latest 复核 decision (None: not checked)."""

    update_id: int
    target_id: int
    period: date
    value: float | None
    decision: str | None

    @property
    def accepted(self) -> bool:
        return self.decision == "accepted"


def current_updates_query(ids: Iterable[int]) -> Select[Any]:
    """Rows (update id, target id, period, value, latest decision) of the not-superseded versions
    of the progress reports of targets ``ids``."""
    newer = aliased(ProgressUpdate)
    superseded = select(newer.id).where(newer.supersedes_id == ProgressUpdate.id).exists()
    decision = (
        select(ProgressCheck.decision)
        .where(ProgressCheck.update_id == ProgressUpdate.id)
        .order_by(ProgressCheck.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            ProgressUpdate.id,
            ProgressUpdate.target_id,
            ProgressUpdate.period,
            ProgressUpdate.reported_value,
            decision.label("decision"),
        )
        .where(ProgressUpdate.target_id.in_(list(ids)), ~superseded)
        .order_by(ProgressUpdate.period, ProgressUpdate.id)
    )


def current_updates(session: Session, target_ids: Iterable[int]) -> dict[int, list[CurrentUpdate]]:
    """The current versions of every target's progress reports, by target id, oldest period first."""
    ids = sorted({int(i) for i in target_ids})
    out: dict[int, list[CurrentUpdate]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        for uid, tid, period, value, decision in session.execute(
            current_updates_query(ids[start : start + _CHUNK])
        ):
            out[tid].append(CurrentUpdate(uid, tid, period, value, decision))
    return out


def accepted_readings(session: Session, target_ids: Iterable[int]) -> dict[int, list[tuple[date, float]]]:
    """(period, value) of every accepted, current reading with a value, by target, oldest first."""
    out: dict[int, list[tuple[date, float]]] = {int(i): [] for i in target_ids}
    for tid, rows in current_updates(session, out).items():
        out[tid] = [(r.period, float(r.value)) for r in rows if r.accepted and r.value is not None]
    return out


def latest_accepted(session: Session, target_id: int) -> tuple[float, date] | None:
    """(value, period) of a target's newest accepted, current reading with a value; None if none."""
    readings = accepted_readings(session, [target_id])[target_id]
    if not readings:
        return None
    period, value = readings[-1]
    return value, period


def is_superseded(session: Session, update_id: int) -> int | None:
    """The id of the version that corrects ``update_id``, or None while it is current."""
    return session.scalar(
        select(ProgressUpdate.id)
        .where(ProgressUpdate.supersedes_id == update_id)
        .order_by(ProgressUpdate.id)
        .limit(1)
    )


def find_report(session: Session, jurisdiction: str, year: int) -> Report:
    """The newest report stored for a jurisdiction (by name) and year; raises NotFoundError."""
    report = session.scalar(
        select(Report)
        .join(Jurisdiction, Report.jurisdiction_id == Jurisdiction.id)
        .where(Jurisdiction.name == jurisdiction.strip(), Report.year == int(year))
        .order_by(Report.id.desc())
        .limit(1)
    )
    if report is None:
        raise NotFoundError(f"没有{jurisdiction}{year}年的报告")
    return report
