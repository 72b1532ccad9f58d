"""The status rule: pure functions, no database (tested case by case in tests/tracking/test_status.py).

A target's status is computed "as of" a day (``Settings.today``, or the real date) from its
**accepted** progress readings (复核 passed), its deadline, its milestones and its reporting cadence.

Yardstick — 序时进度 (time progress): the share of the period elapsed,
``(today - period start) / (deadline - period start)``, as a percentage (0-100). The period starts
on 1 January of the report's year and ends on the target's deadline (31 December by default).

Achievement — the share of the target reached, in percent, by kind:

- ``count`` (cumulative, e.g. 新建5G基站300座): the latest reported value is the running total since
  the period start; share = value / target (or (value - baseline) / (target - baseline) when a baseline
  is set). Compared with 序时进度.
- ``rate`` (growth, e.g. 增长6%): the latest reported year-on-year rate against the target rate;
  share = reported / target. A rate should hold all year, so the yardstick is 100, not 序时进度.
  A ``down`` rate (能耗下降3%) is reported as the size of the fall (3.2 = fell 3.2%).
- ``level`` (e.g. 完成率达到80%): with a baseline, share = progress from the baseline towards the target,
  compared with 序时进度; without one, share = value / target against a yardstick of 100.
- ceilings (comparator ``<=``, e.g. 失业率控制在5.5%以内; or ``down`` levels with no baseline): within the
  ceiling counts as on pace (done once the deadline has passed); above it, the excess in percent
  of the ceiling is the gap.
- ``milestone``: share = milestones done / all milestones, against the share of milestones due by
  today (or 序时进度 when they have no due dates).
- ``binary`` (a thing to be done once): done when a reading of 1 or more (or all milestones) is in.

Gap = yardstick - share, in percentage points. Thresholds ``amber_gap`` (default 10) and ``red_gap``
(default 30) come from Settings and may be overridden per target.

Statuses, first matching rule wins:

1. 已完成 ``done``: share >= 100 (rates and ceilings: only once a reading at or after the deadline is in).
2. 逾期 ``overdue``: the deadline has passed and the target is not done; or a progress report is
   missing past its due date (催办): with a monthly cadence and due day 28, the report for a month is
   due on the 28th of that month (quarterly: of the quarter's last month; yearly: of the deadline's
   month). A submitted report counts as delivered even before 复核.
3. 未填报 ``no_report``: no accepted reading yet (and none due).
4. 严重滞后 ``far_behind``: gap > red_gap.
5. 欠进度 ``behind``: amber_gap <= gap <= red_gap.
6. 超进度 ``ahead``: share >= yardstick + amber_gap.
7. 达进度 ``on_pace``: otherwise (at most amber_gap behind, less than amber_gap ahead).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from luoshi.glossary import STATUS_LABELS

__all__ = [
    "STATUS_CODES",
    "MilestoneState",
    "Reading",
    "StatusBrief",
    "StatusInput",
    "StatusResult",
    "compute_status",
    "last_due",
    "time_progress",
]

STATUS_CODES = ("done", "ahead", "on_pace", "behind", "far_behind", "overdue", "no_report")
CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


@dataclass(frozen=True, slots=True)
class Reading:
    period: date
    value: float | None


@dataclass(frozen=True, slots=True)
class MilestoneState:
    due: date | None
    done: date | None


@dataclass(frozen=True, slots=True)
class StatusInput:
    kind: str = "count"
    comparator: str = ">="
    direction: str | None = None
    target_value: float | None = None
    baseline: float | None = None
    start: date = date(2024, 1, 1)
    deadline: date = date(2024, 12, 31)
    readings: Sequence[Reading] = ()  # accepted readings
    last_submitted: date | None = None  # latest period of any submitted report, accepted or not
    milestones: Sequence[MilestoneState] = ()
    cadence: str = "monthly"
    due_day: int = 28
    amber_gap: float = 10.0
    red_gap: float = 30.0


@dataclass(frozen=True, slots=True)
class StatusResult:
    code: str
    time_progress: float
    yardstick: float
    achieved: float | None
    gap: float | None
    reason: str
    report_overdue: bool = False
    deadline_passed: bool = False
    report_due: date | None = None  # the latest due date that has passed
    latest: Reading | None = None
    extra: dict[str, float] = field(default_factory=dict)
    overridden: bool = False  # set by hand by the office (see queries.statuses_for)
    public_reason: str | None = None  # the reason without the office's internal note (anonymous pages)

    @property
    def shown_reason(self) -> str:
        """What anonymous readers see: the reason, minus an override's internal note."""
        return self.reason if self.public_reason is None else self.public_reason

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]

    @property
    def brief(self) -> StatusBrief:
        return StatusBrief(self.code, self.latest)


@dataclass(frozen=True, slots=True)
class StatusBrief:
    """What a list of targets shows of a status (:class:`StatusResult`): its code and the latest
    reading. Read from the kept status in SQL, without decoding the rest, for hundreds of targets."""

    code: str
    latest: Reading | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


def time_progress(today: date, start: date, deadline: date) -> float:
    """序时进度 in percent, clamped to 0..100."""
    total = (deadline - start).days
    if total <= 0:
        return 100.0 if today >= deadline else 0.0
    return max(0.0, min(100.0, (today - start).days / total * 100.0))


def _due_in_month(year: int, month: int, due_day: int) -> date:
    return date(year, month, min(max(due_day, 1), calendar.monthrange(year, month)[1]))


def _cycle(year: int, month: int, step: int, due_day: int) -> tuple[date, date]:
    """(due date, first day covered) of the reporting cycle that contains ``year-month``."""
    index = year * 12 + month - 1
    first = index - (index % 12) % step
    last = first + step - 1
    return _due_in_month(last // 12, last % 12 + 1, due_day), date(first // 12, first % 12 + 1, 1)


def last_due(
    today: date, start: date, deadline: date, cadence: str, due_day: int
) -> tuple[date, date] | None:
    """(due date, first day of the period it covers) of the latest report due on or before ``today``."""
    step = CADENCE_MONTHS.get(cadence, 1)
    if step == 12:
        due = _due_in_month(deadline.year, deadline.month, due_day)
        return (due, start) if due <= today else None
    final_due, _ = _cycle(deadline.year, deadline.month, step, due_day)
    day = min(today, final_due)  # after the deadline's cycle no further report falls due
    due, covers = _cycle(day.year, day.month, step, due_day)
    if due > day:  # this cycle's report is not due yet: the previous cycle's is
        prev = date(covers.year, covers.month, 1)
        prev_month = prev.year * 12 + prev.month - 2
        due, covers = _cycle(prev_month // 12, prev_month % 12 + 1, step, due_day)
    if due < start or due > today:
        return None
    return due, max(start, covers)


def _share(inp: StatusInput, value: float, tp: float) -> tuple[float, float, bool]:
    """(achieved share, yardstick, is_ceiling) for a measurable kind."""
    target = inp.target_value
    ceiling = inp.comparator == "<=" or (
        inp.direction == "down" and inp.kind == "level" and inp.baseline is None
    )
    if target is None:
        return (100.0 if value >= 1 else 0.0), tp, False
    if ceiling:
        if value <= target:
            return 100.0, 100.0, True
        excess = (value - target) / abs(target) * 100.0 if target else 100.0
        return 100.0 - excess, 100.0, True
    if inp.kind == "rate":
        if target == 0:
            return (100.0 if value >= 0 else 0.0), 100.0, False
        return value / target * 100.0, 100.0, False
    if inp.baseline is not None and inp.baseline != target:
        return (value - inp.baseline) / (target - inp.baseline) * 100.0, tp, False
    if target == 0:
        return (100.0 if value >= 0 else 0.0), tp, False
    yardstick = 100.0 if inp.kind == "level" else tp
    return value / target * 100.0, yardstick, False


def compute_status(inp: StatusInput, today: date) -> StatusResult:
    """Status of one target as of ``today`` (see the module docstring for the rule)."""
    tp = time_progress(today, inp.start, inp.deadline)
    deadline_passed = today > inp.deadline
    # missing only PAST its due date: on the due day itself the report is due, not yet late
    due = last_due(today - timedelta(days=1), inp.start, inp.deadline, inp.cadence, inp.due_day)
    report_overdue = due is not None and (inp.last_submitted is None or inp.last_submitted < due[1])
    readings = sorted(
        (r for r in inp.readings if r.period <= today and r.value is not None), key=lambda r: r.period
    )
    latest = readings[-1] if readings else None
    achieved: float | None = None
    yardstick = tp
    final = False  # a reading for the whole period is in
    if inp.kind == "milestone" or (inp.milestones and latest is None):
        if inp.milestones:
            n = len(inp.milestones)
            done_n = sum(1 for m in inp.milestones if m.done is not None and m.done <= today)
            achieved = done_n / n * 100.0
            if all(m.due is not None for m in inp.milestones):
                yardstick = sum(1 for m in inp.milestones if m.due is not None and m.due <= today) / n * 100
            final = True
    elif latest is not None:
        achieved, yardstick, ceiling = _share(inp, float(latest.value or 0.0), tp)
        final = not (ceiling or inp.kind == "rate") or latest.period >= inp.deadline

    gap = None if achieved is None else yardstick - achieved
    what = f"完成{achieved or 0:.0f}%，序时进度{yardstick:.0f}%"
    if achieved is not None and gap is not None and achieved >= 100.0 and final:
        code, reason = "done", f"已达到目标（完成{achieved:.0f}%）"
    elif deadline_passed:
        code, reason = "overdue", f"已过完成时限（{inp.deadline.isoformat()}）仍未完成"
    elif report_overdue and due:
        code, reason = "overdue", f"应于{due[0].isoformat()}前报送进展，尚未报送（催办）"
    elif achieved is None or gap is None:
        code, reason = "no_report", "尚未填报经复核的进展"
    elif gap > inp.red_gap:
        code, reason = "far_behind", f"{what}，落后{gap:.0f}个百分点"
    elif gap >= inp.amber_gap:
        code, reason = "behind", f"{what}，落后{gap:.0f}个百分点"
    elif -gap >= inp.amber_gap:
        code, reason = "ahead", f"{what}，超前{-gap:.0f}个百分点"
    else:
        code, reason = "on_pace", what
    return StatusResult(
        code,
        time_progress=round(tp, 1),
        yardstick=yardstick,
        achieved=achieved,
        gap=gap,
        reason=reason,
        report_overdue=report_overdue,
        deadline_passed=deadline_passed,
        report_due=due[0] if due else None,
        latest=latest,
    )
