"""Reading the plan: targets with their computed status, one target's detail, overview aggregates.

Statuses are computed in batches (one query per table for a whole page of targets); only the
current (not superseded) versions of updates that passed 复核 count, as the status rule requires.
All filters are bound parameters; nothing is spliced into SQL.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Row, Select, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload, selectinload

from luoshi.errors import InputError, NotFoundError
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
    TargetReading,
    target_co_departments,
)
from luoshi.tracking.current import find_report
from luoshi.tracking.current import today as today_of
from luoshi.tracking.readings import status_input, status_inputs
from luoshi.tracking.readmodel import brief_columns, kept_brief, status_key, summaries
from luoshi.tracking.services import get_target, update_state
from luoshi.tracking.status import (
    STATUS_CODES,
    Reading,
    StatusBrief,
    StatusInput,
    StatusResult,
    compute_status,
)
from luoshi.tracking.touched import settle

__all__ = [
    "DEFAULT_PAGE",
    "MAX_PAGE",
    "InvalidCursor",
    "Overview",
    "TargetDetail",
    "TargetPage",
    "TargetLine",
    "TargetView",
    "as_of",
    "chosen_report",
    "current_report",
    "get_report",
    "find_report",
    "judge",
    "latest_report",
    "list_targets",
    "overview",
    "overview_of",
    "overview_of_lines",
    "page_targets",
    "status_input",
    "status_inputs",
    "statuses_for",
    "target_detail",
    "target_lines",
]


def as_of(settings: Settings) -> date:
    """The day statuses are computed for (the one clock, :func:`luoshi.tracking.current.today`)."""
    return today_of(settings)


@dataclass
class TargetView:
    target: Target
    status: StatusResult
    readings: Sequence[Reading] = ()  # accepted, current readings by period (what the status counted)

    @property
    def code(self) -> str:
        return self.status.code

    def to_dict(self, *, public: bool = False) -> dict[str, Any]:
        """JSON-ready: the target's fields and its computed status (public=True omits internal fields)."""
        t, s = self.target, self.status
        d: dict[str, Any] = {
            "id": t.id,
            "report_id": t.report_id,
            "area": t.area.heading if t.area else None,
            "area_id": t.area_id,
            "title": t.title,
            "indicator": t.indicator,
            "baseline": t.baseline,
            "target_value": t.target_value,
            "value_max": t.value_max,
            "unit": t.unit,
            "comparator": t.comparator,
            "direction": t.direction,
            "kind": t.kind,
            "deadline": t.deadline.isoformat() if t.deadline else None,
            "lead_department": t.lead_department.name if t.lead_department else None,
            "co_departments": [c.name for c in t.co_departments],
            "public": t.public,
            "span": [t.span_start, t.span_end] if t.span_start is not None else None,
            "status": s.code,
            "status_label": s.label,
            "time_progress": round(s.time_progress, 1),
            "achieved": None if s.achieved is None else round(s.achieved, 1),
            "latest_value": s.latest.value if s.latest else None,
            "latest_period": s.latest.period.isoformat() if s.latest else None,
            "status_reason": s.shown_reason if public else s.reason,
            "status_overridden": s.overridden,
        }
        if not public:
            d.update(
                {
                    "review_state": t.review_state,
                    "cadence": t.cadence,
                    "due_day": t.due_day,
                    "report_overdue": s.report_overdue,
                }
            )
        return d


def judge(target: Any, inp: StatusInput, today: date) -> StatusResult:
    """The status of one target: the rule's result, or the office's override (人工认定) of it."""
    result = compute_status(inp, today)
    override = getattr(target, "status_override", None)
    if override in STATUS_CODES and override != result.code:
        note = getattr(target, "status_override_note", None)
        public = f"人工认定（计算结果：{result.label}）"
        result = replace(
            result,
            code=override,
            reason=public + (f"：{note}" if note else ""),
            overridden=True,
            public_reason=public,
        )
    return result


def _statuses(
    session: Session, settings: Settings, targets: Sequence[Any], today: date | None, readings: bool = True
) -> tuple[dict[int, StatusResult], dict[int, tuple[Reading, ...]]]:
    """Statuses and (``readings``) accepted readings by target id: the status kept by the read model
    when it was computed for this day and these thresholds (so once per change), else computed here."""
    if not targets:
        return {}, {}
    now = today or as_of(settings)
    rows = summaries(session, [t.id for t in targets], settings, now, readings=readings)
    missing = [t for t in targets if rows[t.id].status is None]
    inputs = status_inputs(session, settings, missing, now.year, rows)
    results = {t.id: rows[t.id].status or judge(t, inputs[t.id], now) for t in targets}
    return results, {t.id: rows[t.id].readings for t in targets}


def statuses_for(
    session: Session, settings: Settings, targets: Sequence[Any], today: date | None = None
) -> dict[int, StatusResult]:
    """Computed status of each target (by id) as of ``today`` (default: :func:`as_of`), with the
    office's override applied — THE status every page, feed, notice and export shows.

    ``targets`` may also be plain rows with the columns the rule reads (see :func:`overview`)."""
    return _statuses(session, settings, targets, today, readings=False)[0]


# a page that picks a report names its place: loaded with it, not by a statement of its own
# (not on the relationship itself: pages that load reports otherwise would pay for the join)
_WITH_PLACE = joinedload(Report.jurisdiction)


def latest_report(session: Session) -> Report | None:
    return session.scalar(
        select(Report).options(_WITH_PLACE).order_by(Report.year.desc(), Report.id.desc()).limit(1)
    )


def current_report(session: Session) -> Report | None:
    """The report being tracked by default: the latest one with accepted targets (a newly imported
    report whose targets are still proposed does not take over the dashboard), else the latest."""
    tracked = select(Target.report_id).where(Target.review_state == "accepted")
    return session.scalar(
        select(Report)
        .options(_WITH_PLACE)
        .where(Report.id.in_(tracked))
        .order_by(Report.year.desc(), Report.id.desc())
        .limit(1)
    ) or latest_report(session)


def get_report(session: Session, report_id: int) -> Report:
    report = session.get(Report, report_id, options=[_WITH_PLACE])
    if report is None:
        raise NotFoundError(f"没有编号为 {report_id} 的报告")
    return report


def chosen_report(session: Session, report_id: int | None) -> Report | None:
    """The report a page asks for (``?report=``), else the one being tracked
    (:func:`current_report`); None while nothing is imported."""
    return get_report(session, report_id) if report_id else current_report(session)


def _status_code(status: str) -> str:
    if status in STATUS_CODES:
        return status
    for code, label in STATUS_LABELS.items():
        if label == status:
            return code
    return status


def _targets_query(
    *,
    report_id: int | None = None,
    area: int | str | None = None,
    department: int | str | None = None,
    q: str | None = None,
    review_state: str | None = "accepted",
    public_only: bool = False,
) -> Select[Target]:
    stmt = select(Target).options(
        selectinload(Target.area), selectinload(Target.lead_department), selectinload(Target.co_departments)
    )
    return _filtered(
        stmt,
        report_id=report_id,
        area=area,
        department=department,
        q=q,
        review_state=review_state,
        public_only=public_only,
    )


_S = TypeVar("_S", bound="Select[Any]")


def _filtered(
    stmt: _S,
    *,
    report_id: int | None,
    area: int | str | None,
    department: int | str | None,
    q: str | None,
    review_state: str | None,
    public_only: bool,
) -> _S:
    """The filters of a target list (:func:`list_targets`) added to a select over targets."""
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
            stmt = stmt.where(Target.area_id.in_(select(Area.id).where(Area.heading == str(area))))
    if department not in (None, ""):
        if isinstance(department, int) or str(department).isdigit():
            dep_id = select(Department.id).where(Department.id == int(department)).scalar_subquery()
        else:
            dep_id = select(Department.id).where(Department.name == str(department)).scalar_subquery()
        co = select(target_co_departments.c.target_id).where(target_co_departments.c.department_id == dep_id)
        stmt = stmt.where(or_(Target.lead_department_id == dep_id, Target.id.in_(co)))
    if q:
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(Target.title.like(pattern, escape="\\"), Target.indicator.like(pattern, escape="\\"))
        )
    return stmt


_ORDER = (Target.report_id, Target.position, Target.id)  # the one order of target lists


def list_targets(
    session: Session,
    settings: Settings,
    *,
    report_id: int | None = None,
    area: int | str | None = None,
    department: int | str | None = None,
    status: str | None = None,
    q: str | None = None,
    review_state: str | None = "accepted",
    public_only: bool = False,
    today: date | None = None,
) -> list[TargetView]:
    """Targets with their computed status, filtered. ``area``/``department`` take an id or a name
    (department matches lead or co-department); ``status`` a code or its Chinese label; ``q`` a text."""
    stmt = _targets_query(
        report_id=report_id,
        area=area,
        department=department,
        q=q,
        review_state=review_state,
        public_only=public_only,
    )
    targets = list(session.scalars(stmt.order_by(*_ORDER)))
    results, readings = _statuses(session, settings, targets, today)
    views = [TargetView(t, results[t.id], readings[t.id]) for t in targets]
    if status:
        code = _status_code(status)
        views = [v for v in views if v.code == code]
    return views


DEFAULT_PAGE = 100
MAX_PAGE = 1000


class InvalidCursor(InputError):
    """A ``cursor`` that no page of a target list handed out."""


@dataclass
class TargetPage:
    items: list[TargetView]
    next_cursor: str | None  # None on the last page


def _cursor_of(t: Target) -> str:
    raw = f"{t.report_id}.{t.position}.{t.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _key_of(cursor: str) -> tuple[int, int, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        report_id, position, target_id = (int(x) for x in raw.split("."))
        return report_id, position, target_id
    except (ValueError, UnicodeDecodeError):
        raise InvalidCursor(f"cursor 无效：{cursor[:40]!r}（请使用上一页返回的 next_cursor）") from None


def page_targets(
    session: Session,
    settings: Settings,
    *,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
    report_id: int | None = None,
    area: int | str | None = None,
    department: int | str | None = None,
    status: str | None = None,
    q: str | None = None,
    review_state: str | None = "accepted",
    public_only: bool = False,
    today: date | None = None,
) -> TargetPage:
    """One page of :func:`list_targets` (same filters, same order), after ``cursor``.

    Keyset paging: each page reads only its own targets (and, with a ``status`` filter, those it
    skips), so a page costs the same whether the store holds 200 targets or 200,000."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit 须在 1 到 {MAX_PAGE} 之间（{limit}）")
    stmt = _targets_query(
        report_id=report_id,
        area=area,
        department=department,
        q=q,
        review_state=review_state,
        public_only=public_only,
    )
    after = _key_of(cursor) if cursor else None
    code = _status_code(status) if status else None
    batch = limit + 1 if code is None else max(limit + 1, 200)
    items: list[TargetView] = []
    while True:
        page = stmt if after is None else stmt.where(tuple_(*_ORDER) > tuple_(*after))
        targets = list(session.scalars(page.order_by(*_ORDER).limit(batch)))
        results, readings = _statuses(session, settings, targets, today)
        for t in targets:
            view = TargetView(t, results[t.id], readings[t.id])
            after = (t.report_id, t.position, t.id)
            if code is not None and view.code != code:
                continue
            if len(items) == limit:  # one more exists: this page ends at the last item taken
                return TargetPage(items, _cursor_of(items[-1].target))
            items.append(view)
        if len(targets) < batch:
            return TargetPage(items, None)


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


def target_detail(
    session: Session, settings: Settings, target: Target | int, today: date | None = None
) -> TargetDetail:
    """Everything a target page shows; raises NotFoundError."""
    t = get_target(session, target)
    # what a target page shows of its relations, in two queries instead of a lazy load of each
    session.execute(
        select(Target)
        .where(Target.id == t.id)
        .options(
            joinedload(Target.report).joinedload(Report.jurisdiction),
            joinedload(Target.area),
            joinedload(Target.lead_department),
            selectinload(Target.co_departments),
        )
    ).unique().all()
    results, readings = _statuses(session, settings, [t], today)
    status = results[t.id]
    # Newest first by id: ids only grow (append-only), while created_at follows luoshi's clock.
    updates = list(
        session.scalars(
            select(ProgressUpdate)
            .options(selectinload(ProgressUpdate.checks))
            .where(ProgressUpdate.target_id == t.id)
            .order_by(ProgressUpdate.id.desc())
        )
    )
    superseded = {u.supersedes_id: u.id for u in updates if u.supersedes_id}
    views = [
        UpdateView(u, update_state(u), superseded.get(u.id), u.checks[-1].comment if u.checks else "")
        for u in updates
    ]
    history = [(r.period, float(r.value)) for r in readings[t.id] if r.value is not None]
    comments = list(session.scalars(select(Comment).where(Comment.target_id == t.id).order_by(Comment.id)))
    text = t.report.text
    sentence, figure = "", None
    if t.sentence_start is not None and t.sentence_end is not None:
        sentence = text[t.sentence_start : t.sentence_end]
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
    return TargetDetail(
        TargetView(t, status), views, list(t.milestones), comments, sentence, figure, history, pace
    )


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
        return {
            "name": self.name,
            "total": self.total,
            "fulfilment": self.fulfilment,
            "counts": {c: self.counts.get(c, 0) for c in STATUS_CODES},
        }


@dataclass
class Overview:
    as_of: date
    total: Group
    by_area: list[Group]
    by_department: list[Group]
    report: Report | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "report_id": self.report.id if self.report else None,
            "total": self.total.to_dict(),
            "by_area": [g.to_dict() for g in self.by_area],
            "by_department": [g.to_dict() for g in self.by_department],
        }


_STATUS_COLUMNS = (
    "id",
    "report_id",
    "kind",
    "comparator",
    "direction",
    "target_value",
    "baseline",
    "deadline",
    "cadence",
    "due_day",
    "amber_gap",
    "red_gap",
    "status_override",
    "status_override_note",
)
# what a display-only list shows besides the status inputs (see TargetLine)
_LINE_COLUMNS = (
    "title",
    "indicator",
    "unit",
    "value_max",
    "public",
    "sentence_start",
    "sentence_end",
    "span_start",
    "span_end",
)


def _line_rows() -> Select[Any]:
    """Targets as rows: what :func:`statuses_for` reads, what a line shows, the area's heading
    and position and the lead department's name."""
    return (
        select(
            *(getattr(Target, c) for c in _STATUS_COLUMNS + _LINE_COLUMNS),
            Area.heading.label("area_heading"),
            Area.position.label("area_position"),
            Department.name.label("lead_name"),
        )
        .outerjoin(Area, Target.area_id == Area.id)
        .outerjoin(Department, Target.lead_department_id == Department.id)
    )


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A target as a page that only displays it reads it: ``row`` has the target's columns of
    :data:`_STATUS_COLUMNS` and :data:`_LINE_COLUMNS`, ``area_heading``, ``area_position`` and
    ``lead_name``."""

    row: Row[Any]
    status: StatusBrief  # of the status statuses_for gives

    @property
    def code(self) -> str:
        return self.status.code


def target_lines(
    session: Session,
    settings: Settings,
    report_id: int | None = None,
    *,
    area: int | str | None = None,
    department: int | str | None = None,
    status: str | None = None,
    q: str | None = None,
    review_state: str | None = "accepted",
    public_only: bool = False,
    today: date | None = None,
) -> list[TargetLine]:
    """The targets of :func:`list_targets` (same filters, same order) as lines: plain rows with
    the status' code and latest reading. Not ORM objects: a dashboard, a scorecard or a list
    page needs only the columns it shows, and thousands of short-lived objects per page made it
    slow (and woke the garbage collector)."""
    stmt = _filtered(
        _line_rows(),
        report_id=report_id,
        area=area,
        department=department,
        q=q,
        review_state=review_state,
        public_only=public_only,
    )
    # the kept status' brief in the same query (readmodel.brief_columns); the others computed
    now, key = today or as_of(settings), status_key(settings)
    settle(session)  # what this transaction wrote so far counts
    rows = list(
        session.execute(
            stmt.add_columns(*brief_columns())
            .outerjoin(TargetReading, TargetReading.target_id == Target.id)
            .order_by(*_ORDER)
        )
    )
    n = -len(brief_columns())  # the row ends with them
    briefs = {row.id: brief for row in rows if (brief := kept_brief(row[n:], key, now)) is not None}
    if missing := [row for row in rows if row.id not in briefs]:
        briefs.update((tid, r.brief) for tid, r in statuses_for(session, settings, missing, now).items())
    lines = [TargetLine(row, briefs[row.id]) for row in rows]
    if status:
        code = _status_code(status)
        lines = [x for x in lines if x.code == code]
    return lines


def _group(
    as_of_day: date, report: Report | None, entries: Iterable[tuple[str, str | None, str | None]]
) -> Overview:
    """Counts by status, by area and by lead department, from (status code, area, lead) triples."""
    total = Group("合计")
    areas: dict[str, Group] = {}
    departments: dict[str, Group] = {}
    for code, area_name, lead in entries:
        total.counts[code] += 1
        area = area_name if area_name is not None else "未分领域"
        group = areas.get(area)
        if group is None:
            group = areas[area] = Group(area)
        group.counts[code] += 1
        dep = lead if lead is not None else "未分配"
        group = departments.get(dep)
        if group is None:
            group = departments[dep] = Group(dep)
        group.counts[code] += 1
    return Overview(
        as_of_day,
        total,
        list(areas.values()),
        sorted(departments.values(), key=lambda g: (-g.total, g.name)),
        report,
    )


def overview(
    session: Session,
    settings: Settings,
    report_id: int | None = None,
    *,
    public_only: bool = False,
    today: date | None = None,
) -> Overview:
    """Counts by status (红黄绿灯), fulfilment by area and by (lead) department, of accepted targets."""
    report = chosen_report(session, report_id)
    lines = target_lines(session, settings, report.id, public_only=public_only, today=today) if report else []
    return overview_of_lines(lines, settings, report, today)


def overview_of_lines(
    lines: Sequence[TargetLine], settings: Settings, report: Report | None, today: date | None = None
) -> Overview:
    """The counts of :func:`overview`, from lines already read (:func:`target_lines`)."""
    return _group(
        today or as_of(settings), report, ((x.code, x.row.area_heading, x.row.lead_name) for x in lines)
    )


def overview_of(
    views: Sequence[TargetView], settings: Settings, report: Report | None, today: date | None = None
) -> Overview:
    """The same counts as :func:`overview`, from target views already computed (no second pass)."""
    return _group(
        today or as_of(settings),
        report,
        [
            (
                v.code,
                v.target.area.heading if v.target.area else None,
                v.target.lead_department.name if v.target.lead_department else None,
            )
            for v in views
        ],
    )
