"""Reading the plan: targets with their computed status, one target's detail, overview aggregates.

Statuses are computed in batches (one query per table for a whole page of targets); only the
current (not superseded) versions of updates that passed 复核 count, as the status rule requires.
All filters are bound parameters; nothing is spliced into SQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from luoshi.glossary import STATUS_LABELS
from luoshi.settings import Settings
from luoshi.store.models import (
    Area,
    Comment,
    Department,
    Milestone,
    ProgressUpdate,
    Report,
    Target,
    target_co_departments,
)
from luoshi.tracking.current import accepted_readings, current_updates, find_report
from luoshi.tracking.current import today as today_of
from luoshi.tracking.services import get_target, update_state
from luoshi.tracking.status import (
    STATUS_CODES,
    MilestoneState,
    Reading,
    StatusInput,
    StatusResult,
    compute_status,
)

__all__ = [
    "Overview",
    "TargetDetail",
    "TargetView",
    "as_of",
    "current_report",
    "find_report",
    "judge",
    "latest_report",
    "list_reports",
    "list_targets",
    "overview",
    "status_input",
    "status_inputs",
    "statuses_for",
    "target_detail",
]


def as_of(settings: Settings) -> date:
    """The day statuses are computed for (the one clock, :func:`luoshi.tracking.current.today`)."""
    return today_of(settings)


@dataclass
class TargetView:
    target: Target
    status: StatusResult

    @property
    def code(self) -> str:
        return self.status.code

    def to_dict(self, *, public: bool = False) -> dict[str, Any]:
        """JSON-ready: the target's fields and its computed status (public=True omits internal fields)."""
        t, s = self.target, self.status
        d: dict[str, Any] = {
            "id": t.id, "report_id": t.report_id, "area": t.area.heading if t.area else None,
            "area_id": t.area_id, "title": t.title, "indicator": t.indicator, "baseline": t.baseline,
            "target_value": t.target_value, "value_max": t.value_max, "unit": t.unit,
            "comparator": t.comparator, "direction": t.direction, "kind": t.kind,
            "deadline": t.deadline.isoformat() if t.deadline else None,
            "lead_department": t.lead_department.name if t.lead_department else None,
            "co_departments": [c.name for c in t.co_departments], "public": t.public,
            "span": [t.span_start, t.span_end] if t.span_start is not None else None,
            "status": s.code, "status_label": s.label, "time_progress": round(s.time_progress, 1),
            "achieved": None if s.achieved is None else round(s.achieved, 1),
            "latest_value": s.latest.value if s.latest else None,
            "latest_period": s.latest.period.isoformat() if s.latest else None,
            "status_reason": s.shown_reason if public else s.reason,
            "status_overridden": s.overridden,
        }
        if not public:
            d.update({"review_state": t.review_state, "cadence": t.cadence, "due_day": t.due_day,
                      "report_overdue": s.report_overdue})
        return d


def status_input(t: Target, year: int, settings: Settings, readings: Sequence[Reading] = (),
                 last_submitted: date | None = None, milestones: Sequence[MilestoneState] = ()) -> StatusInput:
    """The rule's input for one target (settings give the default thresholds and due day)."""
    return StatusInput(
        kind=t.kind or "count", comparator=t.comparator or ">=", direction=t.direction,
        target_value=t.target_value, baseline=t.baseline, start=date(year, 1, 1),
        deadline=t.deadline or date(year, 12, 31), readings=readings, last_submitted=last_submitted,
        milestones=milestones, cadence=t.cadence or "monthly", due_day=t.due_day or settings.report_due_day,
        amber_gap=t.amber_gap if t.amber_gap is not None else settings.amber_gap,
        red_gap=t.red_gap if t.red_gap is not None else settings.red_gap,
    )


def status_inputs(session: Session, settings: Settings, targets: Sequence[Any],
                  today: date) -> dict[int, StatusInput]:
    """The rule's input of each target (by id): its accepted current readings, latest submission
    and milestones, gathered in a few batch queries."""
    ids = [t.id for t in targets]
    readings: dict[int, list[Reading]] = defaultdict(list)
    submitted: dict[int, date] = {}
    for tid, rows in current_updates(session, ids).items():
        for r in rows:
            if r.accepted:
                readings[tid].append(Reading(r.period, r.value))
            if r.decision != "returned" and (tid not in submitted or r.period > submitted[tid]):
                submitted[tid] = r.period
    milestones: dict[int, list[MilestoneState]] = defaultdict(list)
    for i in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        for tid, due, done in session.execute(select(Milestone.target_id, Milestone.due_date, Milestone.done_date)
                                              .where(Milestone.target_id.in_(ids[i:i + 900]))):
            milestones[tid].append(MilestoneState(due, done))
    years = dict(session.execute(select(Report.id, Report.year)
                                 .where(Report.id.in_({t.report_id for t in targets}))).all())
    return {t.id: status_input(t, years.get(t.report_id, today.year), settings, tuple(readings[t.id]),
                               submitted.get(t.id), tuple(milestones[t.id])) for t in targets}


def judge(target: Any, inp: StatusInput, today: date) -> StatusResult:
    """The status of one target: the rule's result, or the office's override (人工认定) of it."""
    result = compute_status(inp, today)
    override = getattr(target, "status_override", None)
    if override in STATUS_CODES and override != result.code:
        note = getattr(target, "status_override_note", None)
        public = f"人工认定（计算结果：{result.label}）"
        result = replace(result, code=override, reason=public + (f"：{note}" if note else ""), overridden=True,
                         public_reason=public)
    return result


def statuses_for(session: Session, settings: Settings, targets: Sequence[Target],
                 today: date | None = None) -> dict[int, StatusResult]:
    """Computed status of each target (by id) as of ``today`` (default: :func:`as_of`), with the
    office's override applied — THE status every page, feed, notice and export shows.

    ``targets`` may also be plain rows with the columns the rule reads (see :func:`overview`)."""
    if not targets:
        return {}
    now = today or as_of(settings)
    inputs = status_inputs(session, settings, targets, now)
    return {t.id: judge(t, inputs[t.id], now) for t in targets}


def latest_report(session: Session) -> Report | None:
    return session.scalar(select(Report).order_by(Report.year.desc(), Report.id.desc()).limit(1))


def current_report(session: Session) -> Report | None:
    """The report being tracked by default: the latest one with accepted targets (a newly imported
    report whose targets are still proposed does not take over the dashboard), else the latest."""
    tracked = select(Target.report_id).where(Target.review_state == "accepted")
    return session.scalar(select(Report).where(Report.id.in_(tracked))
                          .order_by(Report.year.desc(), Report.id.desc()).limit(1)) or latest_report(session)


def list_reports(session: Session) -> list[Report]:
    """Every stored report, newest year first (with its jurisdiction loaded)."""
    return list(session.scalars(select(Report).options(selectinload(Report.jurisdiction))
                                .order_by(Report.year.desc(), Report.id.desc())))


def _status_code(status: str) -> str:
    if status in STATUS_CODES:
        return status
    for code, label in STATUS_LABELS.items():
        if label == status:
            return code
    return status


def list_targets(
    session: Session, settings: Settings, *, report_id: int | None = None, area: int | str | None = None,
    department: int | str | None = None, status: str | None = None, q: str | None = None,
    review_state: str | None = "accepted", public_only: bool = False, today: date | None = None,
) -> list[TargetView]:
    """Targets with their computed status, filtered. ``area``/``department`` take an id or a name
    (department matches lead or co-department); ``status`` a code or its Chinese label; ``q`` a text."""
    stmt = select(Target).options(selectinload(Target.area), selectinload(Target.lead_department),
                                  selectinload(Target.co_departments))
    if report_id is not None:
        stmt = stmt.where(Target.report_id == report_id)
    if review_state:
        stmt = stmt.where(Target.review_state == review_state)
    if public_only:
        stmt = stmt.where(Target.public.is_(True))
    if area not in (None, ""):
        if isinstance(area, int) or str(area).isdigit():
            stmt = stmt.where(Target.area_id == int(area))
        else:
            stmt = stmt.join(Area, Target.area_id == Area.id).where(Area.heading == str(area))
    if department not in (None, ""):
        if isinstance(department, int) or str(department).isdigit():
            dep_id = select(Department.id).where(Department.id == int(department)).scalar_subquery()
        else:
            dep_id = select(Department.id).where(Department.name == str(department)).scalar_subquery()
        co = select(target_co_departments.c.target_id).where(target_co_departments.c.department_id == dep_id)
        stmt = stmt.where(or_(Target.lead_department_id == dep_id, Target.id.in_(co)))
    if q:
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Target.title.like(pattern, escape="\\"), Target.indicator.like(pattern, escape="\\")))
    targets = list(session.scalars(stmt.order_by(Target.report_id, Target.position, Target.id)))
    results = statuses_for(session, settings, targets, today)
    views = [TargetView(t, results[t.id]) for t in targets]
    if status:
        code = _status_code(status)
        views = [v for v in views if v.code == code]
    return views


@dataclass
class UpdateView:
    update: ProgressUpdate
    state: str  # submitted|accepted|returned
    superseded_by: int | None
    check_comment: str = ""


@dataclass
class TargetDetail:
    view: TargetView
    updates: list[UpdateView]  # every version, newest first
    milestones: list[Milestone]
    comments: list[Comment]
    sentence: str
    figure: tuple[int, int] | None  # the figure's offsets inside ``sentence``
    history: list[tuple[date, float]]  # accepted current readings, by period
    pace: list[tuple[date, float]]  # the 序时进度 line in the target's units (start, end)


def target_detail(session: Session, settings: Settings, target: Target | int,
                  today: date | None = None) -> TargetDetail:
    """Everything a target page shows; raises NotFoundError."""
    t = get_target(session, target)
    status = statuses_for(session, settings, [t], today)[t.id]
    updates = list(session.scalars(select(ProgressUpdate).options(selectinload(ProgressUpdate.checks))
                                   .where(ProgressUpdate.target_id == t.id)
                                   .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())))
    superseded = {u.supersedes_id: u.id for u in updates if u.supersedes_id}
    views = [UpdateView(u, update_state(u), superseded.get(u.id), u.checks[-1].comment if u.checks else "")
             for u in updates]
    history = accepted_readings(session, [t.id])[t.id]
    comments = list(session.scalars(select(Comment).where(Comment.target_id == t.id).order_by(Comment.id)))
    text = t.report.text
    sentence, figure = "", None
    if t.sentence_start is not None and t.sentence_end is not None:
        sentence = text[t.sentence_start:t.sentence_end]
        if t.span_start is not None and t.span_end is not None:
            figure = (t.span_start - t.sentence_start, t.span_end - t.sentence_start)
    year = t.report.year
    start, end = date(year, 1, 1), t.deadline or date(year, 12, 31)
    goal = t.target_value
    pace: list[tuple[date, float]] = []
    if goal is not None and (t.kind == "count" or t.baseline is not None):
        pace = [(start, t.baseline or 0.0), (end, goal)]
    elif goal is not None:
        pace = [(start, goal), (end, goal)]
    return TargetDetail(TargetView(t, status), views, list(t.milestones), comments, sentence, figure,
                        history, pace)


@dataclass
class Group:
    name: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def fulfilment(self) -> float:
        """Share (percent) of targets done, ahead or on pace."""
        good = self.counts["done"] + self.counts["ahead"] + self.counts["on_pace"]
        return round(good / self.total * 100, 1) if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "total": self.total, "fulfilment": self.fulfilment,
                "counts": {c: self.counts.get(c, 0) for c in STATUS_CODES}}


@dataclass
class Overview:
    as_of: date
    total: Group
    by_area: list[Group]
    by_department: list[Group]
    report: Report | None

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "report_id": self.report.id if self.report else None,
                "total": self.total.to_dict(), "by_area": [g.to_dict() for g in self.by_area],
                "by_department": [g.to_dict() for g in self.by_department]}


_STATUS_COLUMNS = ("id", "report_id", "kind", "comparator", "direction", "target_value", "baseline", "deadline",
                   "cadence", "due_day", "amber_gap", "red_gap", "status_override", "status_override_note")


def _overview_rows(report_id: int, public_only: bool) -> Select[Any]:
    """Accepted targets of a report as rows with what :func:`statuses_for` reads, area and lead names."""
    stmt = (select(*(getattr(Target, c) for c in _STATUS_COLUMNS), Area.heading.label("area_heading"),
                   Department.name.label("lead_name"))
            .outerjoin(Area, Target.area_id == Area.id)
            .outerjoin(Department, Target.lead_department_id == Department.id)
            .where(Target.report_id == report_id, Target.review_state == "accepted"))
    if public_only:
        stmt = stmt.where(Target.public.is_(True))
    return stmt.order_by(Target.position, Target.id)


def overview(session: Session, settings: Settings, report_id: int | None = None, *, public_only: bool = False,
             today: date | None = None) -> Overview:
    """Counts by status (红黄绿灯), fulfilment by area and by (lead) department, of accepted targets."""
    report = session.get(Report, report_id) if report_id is not None else current_report(session)
    # Plain rows, not ORM objects: the dashboard needs only the status inputs and two names, and
    # thousands of short-lived objects per page make it slow (and wake the garbage collector).
    rows = list(session.execute(_overview_rows(report.id, public_only))) if report else []
    results = statuses_for(session, settings, rows, today)
    total = Group("合计")
    areas: dict[str, Group] = {}
    departments: dict[str, Group] = {}
    for row in rows:
        code = results[row.id].code
        total.counts[code] += 1
        area = row.area_heading if row.area_heading is not None else "未分领域"
        areas.setdefault(area, Group(area)).counts[code] += 1
        dep = row.lead_name if row.lead_name is not None else "未分配"
        departments.setdefault(dep, Group(dep)).counts[code] += 1
    return Overview(today or as_of(settings), total, list(areas.values()),
                    sorted(departments.values(), key=lambda g: (-g.total, g.name)), report)
