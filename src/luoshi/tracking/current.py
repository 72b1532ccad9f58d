"""The read side's three shared facts, each computed here and nowhere else.

- :func:`today` — the one clock: the day statuses are computed for (``Settings.today`` or the
  real date). Web pages, the API, notices, reminders and the CLI all ask this function;
  :func:`clock_now` is the moment on that clock at which a report or a 批示 is written (what 按时 /
  逾期报送 and the 通报's 批示 are judged by).
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
from datetime import date, datetime
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, contains_eager

from luoshi.errors import InputError, NotFoundError
from luoshi.settings import Settings
from luoshi.store.engine import chunked
from luoshi.store.models import Jurisdiction, ProgressCheck, ProgressUpdate, Report, utcnow

__all__ = [
    "CurrentUpdate",
    "accepted_readings",
    "clock_now",
    "current_updates",
    "find_report",
    "is_superseded",
    "latest_accepted",
    "today",
]


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


def clock_now(settings: Settings | None) -> datetime:
    """The moment of a write on the one clock (naive UTC, as ``store.models.utcnow``): the real
    moment, on the day of :func:`today` when the clock is set (``LUOSHI_TODAY``, the demo), so a
    report written while the clock says 2024-06-20 counts as submitted on 2024-06-20."""
    real = utcnow()
    if settings is None or not settings.today:
        return real
    return datetime.combine(today(settings), real.time())


class CurrentUpdate(NamedTuple):
    """The newest version of one progress report and its latest 复核 decision (None: not checked).

    A named tuple: a batch's commit makes thousands (a frozen dataclass costs several times more)."""

    update_id: int
    target_id: int
    period: date
    value: float | None
    decision: str | None

    @property
    def accepted(self) -> bool:
        return self.decision == "accepted"


_VERSIONS = (  # built once: this runs at the commit of every progress report
    select(
        ProgressUpdate.id,
        ProgressUpdate.target_id,
        ProgressUpdate.period,
        ProgressUpdate.reported_value,
        ProgressUpdate.supersedes_id,
        ProgressCheck.decision,
    )
    .outerjoin(ProgressCheck, ProgressCheck.update_id == ProgressUpdate.id)
    .where(ProgressUpdate.target_id.in_(bindparam("ids", expanding=True)))
    .order_by(ProgressUpdate.id, ProgressCheck.id)
)


def current_updates(session: Session, target_ids: Iterable[int]) -> dict[int, list[CurrentUpdate]]:
    """The current versions of every target's progress reports, by target id, oldest period first.

    One flat query per chunk of ids (updates joined with their checks, in id order; the latest
    check wins here) instead of two correlated subqueries per update."""
    ids = sorted({int(i) for i in target_ids})
    out: dict[int, list[CurrentUpdate]] = defaultdict(list)
    for part in chunked(ids):
        rows = session.execute(_VERSIONS, {"ids": part}).all()
        latest: dict[int, Any] = {}
        superseded: set[int] = set()
        for row in rows:
            latest[row[0]] = row  # rows come in check order: the last one wins
            if row[4] is not None:
                superseded.add(row[4])
        for uid, tid, period, value, _supersedes, decision in latest.values():
            if uid not in superseded:  # (decision None: outer join, an update nobody has checked)
                out[tid].append(CurrentUpdate(uid, tid, period, value, decision))
    for versions in out.values():
        versions.sort(key=_PERIOD)  # stable: within a period, in update id order as read
    return out


_PERIOD = attrgetter("period")


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
        .options(contains_eager(Report.jurisdiction))  # (the page names it: no second statement)
        .order_by(Report.id.desc())
        .limit(1)
    )
    if report is None:
        raise NotFoundError(f"没有{jurisdiction}{year}年的报告")
    return report
