"""Each department's record for a period: the one computation behind the monthly 通报 and 考核打分.

Interface::

    period_bounds(year, month=None) -> (start, end)          # "2024-06" -> 2024-06-01..2024-06-30
    period_record(session, settings, report, start, end) -> PeriodRecord

Definitions (stated on the pages and in the documents):
- 应报 (due): every progress report of the department's accepted targets whose due date (the
  target's cadence and due day, see luoshi.tracking.status.last_due) falls in the period, up to the
  day the record is computed for (数据截至: the period's end, or today if that is earlier).
- 按时 (on time): the first report covering that cycle was submitted on or before the due date;
  逾期报送 (late): submitted after it; 未报 (missing): not submitted at all ("submitted": the day
  the report was stored, ``created_at``); 数据截至 is luoshi's one clock (``tracking.current.today``).
- 退回 (returned): 复核 decisions "returned" on reports for periods within the period.
- 复核一次通过 (first-time pass): reports for periods within the period whose FIRST 复核 decision was
  "accepted", out of those with any decision.
- 督办单未办结 (open): orders of the department open at the 数据截至 day.
- 状态: each target's status as of the 数据截至 day (luoshi.tracking.status.compute_status).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError
from luoshi.notify.statuses import TargetStatus, current_statuses
from luoshi.settings import Settings
from luoshi.store.models import (
    Department,
    Jurisdiction,
    ProgressCheck,
    ProgressUpdate,
    Report,
    SupervisionOrder,
    Target,
)
from luoshi.supervision.orders import open_at
from luoshi.tracking.current import today
from luoshi.tracking.status import last_due

__all__ = [
    "ON_PACE_CODES",
    "DepartmentRecord",
    "PeriodRecord",
    "parse_month",
    "period_bounds",
    "period_record",
]

ON_PACE_CODES = ("done", "ahead", "on_pace")
UNASSIGNED = "（未指定牵头单位）"


def parse_month(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"月份 {text!r} 无效：应为 YYYY-MM，例如 2024-06")
    return int(m.group(1)), int(m.group(2))


def period_bounds(year: int, month: str | None = None) -> tuple[date, date]:
    """(first, last day) of ``month`` (YYYY-MM, which must lie in ``year``), else of the whole year."""
    if not month:
        return date(year, 1, 1), date(year, 12, 31)
    y, m = parse_month(month)
    if y != year:
        raise InputError(f"月份 {month} 不在 {year} 年内")
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


@dataclass
class DepartmentRecord:
    department_id: int | None
    name: str
    targets: int = 0
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0
    checked: int = 0
    first_pass: int = 0
    open_orders: int = 0
    on_pace: int = 0  # targets done, ahead or on pace
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def on_pace_rate(self) -> float | None:
        return self.on_pace / self.targets if self.targets else None

    @property
    def first_pass_rate(self) -> float | None:
        return self.first_pass / self.checked if self.checked else None


@dataclass
class PeriodRecord:
    report_id: int
    jurisdiction: str
    year: int
    title: str
    start: date
    end: date
    as_of: date
    statuses: dict[int, TargetStatus]
    departments: list[DepartmentRecord]
    totals: Counter[str]
    orders: list[SupervisionOrder]  # every order of the report's targets opened by as_of


def _month_ends(start: date, end: date) -> list[date]:
    out, y, m = [], start.year, start.month
    while date(y, m, 1) <= end:
        out.append(min(end, date(y, m, calendar.monthrange(y, m)[1])))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def period_record(
    session: Session, settings: Settings, report: Report, start: date, end: date
) -> PeriodRecord:
    as_of = min(end, today(settings))
    ids = list(
        session.scalars(
            select(Target.id).where(Target.report_id == report.id, Target.review_state == "accepted")
        )
    )
    statuses = current_statuses(session, settings, as_of, ids) if ids else {}
    names = dict(session.execute(select(Department.id, Department.name)).all())
    records: dict[int | None, DepartmentRecord] = {}

    def rec(dept_id: int | None) -> DepartmentRecord:
        if dept_id not in records:
            records[dept_id] = DepartmentRecord(
                dept_id, names.get(dept_id, UNASSIGNED) if dept_id else UNASSIGNED
            )
        return records[dept_id]

    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    first_checks: dict[int, ProgressCheck] = {}
    returned: Counter[int] = Counter()
    if ids:
        for u in session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.target_id.in_(ids)).order_by(ProgressUpdate.id)
        ):
            updates[u.target_id].append(u)
        update_target = {u.id: u for us in updates.values() for u in us}
        for c in session.scalars(
            select(ProgressCheck)
            .where(ProgressCheck.update_id.in_(list(update_target)))
            .order_by(ProgressCheck.id)
        ):
            first_checks.setdefault(c.update_id, c)
            u = update_target[c.update_id]
            if c.decision == "returned" and start <= u.period <= end:
                returned[u.target_id] += 1
    totals: Counter[str] = Counter()
    for tid, ts in statuses.items():
        t, inp = ts.target, ts.input
        r = rec(t.lead_department_id)
        r.targets += 1
        r.statuses[ts.result.code] += 1
        totals[ts.result.code] += 1
        r.on_pace += ts.result.code in ON_PACE_CODES
        r.returned += returned[tid]
        cycles = set()
        for month_end in _month_ends(start, as_of):
            found = last_due(month_end, inp.start, inp.deadline, inp.cadence, inp.due_day)
            if found and start <= found[0] <= as_of:
                cycles.add(found)
        for due, covers in cycles:
            r.due += 1
            firsts = [u.created_at.date() for u in updates[tid] if u.period >= covers]
            first = min(firsts) if firsts else None
            if first is None:
                r.missing += 1
            elif first <= due:
                r.on_time += 1
            else:
                r.late += 1
        for u in updates[tid]:
            check = first_checks.get(u.id)
            if check is not None and start <= u.period <= end:
                r.checked += 1
                r.first_pass += check.decision == "accepted"
    orders = (
        list(
            session.scalars(
                select(SupervisionOrder)
                .where(SupervisionOrder.target_id.in_(ids), SupervisionOrder.opened_on <= as_of)
                .order_by(SupervisionOrder.id)
            )
        )
        if ids
        else []
    )
    for o in orders:
        if open_at(o, as_of):
            rec(o.department_id).open_orders += 1
    place = session.get(Jurisdiction, report.jurisdiction_id)
    departments = sorted(records.values(), key=lambda d: (d.department_id is None, d.name))
    return PeriodRecord(
        report_id=report.id,
        jurisdiction=place.name if place else "",
        year=report.year,
        title=report.title or f"{report.year}年政府工作报告",
        start=start,
        end=end,
        as_of=as_of,
        statuses=statuses,
        departments=departments,
        totals=totals,
        orders=orders,
    )
