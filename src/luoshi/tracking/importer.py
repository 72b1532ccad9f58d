"""Import a report into the store: extract its plan and save it in ONE transaction.

Re-importing the same text for the same jurisdiction (same sha256) returns the existing report.
Extracted targets start ``proposed``; sections become areas, projects become key projects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError
from luoshi.extraction.model import Item, Plan
from luoshi.sources.limits import DEFAULT_LIMITS, InputLimits
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import Area, Jurisdiction, KeyProject, Outcome, Report, Target
from luoshi.tracking.kinds import infer_kind

__all__ = [
    "ImportResult",
    "YearMismatch",
    "check_year",
    "get_or_create_jurisdiction",
    "import_plan",
    "import_report",
    "imported_targets",
    "read_report",
    "stated_year",
]

TITLE_MAX = 300
TOTAL_CATEGORIES = ("", "重点项目", "项目", "合计", "总计", "全部")


@dataclass
class ImportResult:
    report: Report
    created: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        if not self.created:
            return (
                f"该报告已导入（报告ID {self.report.id}，sha256 {self.report.sha256[:12]}…），未重复导入"
                " / already imported"
            )
        c = self.counts
        return (
            f"已导入报告ID {self.report.id}：{c.get('areas', 0)}个领域，{c.get('targets', 0)}项目标（待确认），"
            f"{c.get('outcomes', 0)}项成效，{c.get('projects', 0)}个重点项目"
        )


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_report(report: Path | str, limits: InputLimits | None = None) -> tuple[str, str | None]:
    """(text, source name): a :class:`Path` is a file read via luoshi.sources, a ``str`` is the
    report's text (never guessed from the string: see :func:`luoshi.reading.read_text`). Either
    way the text must fit ``limits`` (default: the settings' defaults)."""
    from luoshi.reading import read_text

    limits = limits or DEFAULT_LIMITS
    read = (
        read_text(path=report, limits=limits)
        if isinstance(report, Path)
        else read_text(text=report, limits=limits)
    )
    return read.text, read.name


def get_or_create_jurisdiction(session: Session, name: str, parent: str | None = None) -> Jurisdiction:
    name = name.strip()
    if not name:
        raise InputError("地区名称不能为空")
    found = session.scalar(select(Jurisdiction).where(Jurisdiction.name == name))
    parent_row = get_or_create_jurisdiction(session, parent) if parent else None
    if found is None:
        found = Jurisdiction(name=name, parent=parent_row)
        session.add(found)
        session.flush()
    elif parent_row is not None and found.parent_id is None:
        found.parent = parent_row
    return found


CLAUSE_BREAKS = "，；,;：:。！？!?\n"


_NAMES_A_REPORT = ("报告", "规划", "纲要", "计划", "实事")


def report_title(found: str | None, place: str, year: int) -> str:
    """The report's name as the office cites it (督办依据, 通报): the document's own title when it
    names a report; a news write-up's headline ("谱写强富美优新篇章") is no report's name, so
    then "张店区2024年政府工作报告"."""
    if found and any(word in found for word in _NAMES_A_REPORT):
        return found
    return f"{place}{year}年政府工作报告"


def _title(text: str, item: Item) -> str:
    """工作任务: the clause holding the figure (with the clause before it when it is very short)."""
    s, e = item.sentence
    if not (0 <= s <= item.span[0] < item.span[1] <= max(e, item.span[1]) <= len(text)):
        return item.surface[:TITLE_MAX]
    start = max((text.rfind(ch, s, item.span[0]) for ch in CLAUSE_BREAKS), default=-1)
    start = s if start < s else start + 1
    ends = [i for i in (text.find(ch, item.span[1], e) for ch in CLAUSE_BREAKS) if i != -1]
    end = min(ends) if ends else e
    clause = text[start:end].strip()
    if len(clause) < 10 and start > s:
        prev = max((text.rfind(ch, s, start - 1) for ch in CLAUSE_BREAKS), default=-1)
        prev = s if prev < s else prev + 1
        clause = text[prev:end].strip()
    clause = clause or item.surface
    return clause if len(clause) <= TITLE_MAX else clause[: TITLE_MAX - 1] + "…"


def _area_for(item: Item, areas: list[Area]) -> Area | None:
    if item.section is not None and 0 <= item.section < len(areas):
        return areas[item.section]
    for area in areas:
        if area.span_start <= item.span[0] < area.span_end:
            return area
    return None


class YearMismatch(InputError):
    """The report states another year than the one it is imported as."""

    def __init__(self, message: str, stated: int, given: int) -> None:
        super().__init__(message)
        self.stated, self.given = stated, given


def stated_year(plan: Plan) -> int | None:
    """The plan year the report itself states (its 'YYYY年主要预期目标', or the year it is delivered)."""
    return plan.document.plan_year or plan.document.report_year


def check_year(plan: Plan, year: int, *, force: bool = False, source: str | None = None) -> None:
    """Refuse to store a report as ``year`` when it states another year (unless ``force``)."""
    stated = stated_year(plan)
    if force or stated is None or stated == int(year):
        return
    name = f"{source}：" if source else ""
    raise YearMismatch(
        f"{name}报告写明的是 {stated} 年的计划，却要作为 {year} 年的报告导入；"
        "请核对年份（确认无误时可强制导入）",
        stated,
        int(year),
    )


def import_plan(
    session: Session,
    plan: Plan,
    jurisdiction: str,
    year: int,
    *,
    parent: str | None = None,
    actor: Actor = None,
    source_name: str | None = None,
    limits: InputLimits | None = None,
    force: bool = False,
) -> ImportResult:
    """Store an extracted plan (caller's transaction). Returns the existing report for a repeated text.

    The year the report states must be ``year`` (YearMismatch otherwise) unless ``force``. A plan
    with more targets + outcomes than ``limits.report_max_items`` is refused, nothing stored."""
    check_year(plan, year, force=force, source=source_name or plan.document.source)
    limits = limits or DEFAULT_LIMITS
    items = len(plan.targets) + len(plan.outcomes)
    if items > limits.report_max_items:
        name = source_name or plan.document.source or "报告"
        raise InputError(
            f"{name}: 提取出 {items:,} 项目标和成效，超过每份报告上限 {limits.report_max_items:,} 项"
            f"（这不像一份政府工作报告；设置 LUOSHI_REPORT_MAX_ITEMS） "
            f"(too many items for one report; nothing stored)"
        )
    sha = sha256_text(plan.text)
    place = get_or_create_jurisdiction(session, jurisdiction, parent)
    existing = session.scalar(select(Report).where(Report.jurisdiction_id == place.id, Report.sha256 == sha))
    if existing is not None:
        return ImportResult(existing, created=False)
    text = plan.text
    report = Report(
        jurisdiction=place,
        year=year,
        source_name=source_name or plan.document.source,
        title=report_title(plan.document.title, place.name, year),
        text=text,
        sha256=sha,
    )
    session.add(report)
    areas = [
        Area(
            report=report,
            heading=s.heading[:500],
            part=s.part,
            span_start=s.span[0],
            span_end=s.span[1],
            position=i,
        )
        for i, s in enumerate(plan.sections)
    ]
    session.add_all(areas)
    for i, item in enumerate(plan.targets):
        session.add(
            Target(
                report=report,
                area=_area_for(item, areas),
                review_state="proposed",
                origin="extracted",
                position=i,
                title=_title(text, item),
                indicator=item.indicator[:500],
                surface=item.surface[:500],
                target_value=item.value,
                value_max=item.value_max,
                unit=item.unit,
                comparator=item.comparator,
                direction=item.direction,
                kind=infer_kind(item.value, item.unit, item.comparator, item.indicator, item.surface),
                deadline=date(item.deadline, 12, 31) if item.deadline else None,
                aspirational=item.aspirational,
                span_start=item.span[0],
                span_end=item.span[1],
                sentence_start=item.sentence[0],
                sentence_end=item.sentence[1],
            )
        )
    for i, item in enumerate(plan.outcomes):
        session.add(
            Outcome(
                report=report,
                area=_area_for(item, areas),
                position=i,
                indicator=item.indicator[:500],
                surface=item.surface[:500],
                value=item.value,
                value_max=item.value_max,
                unit=item.unit,
                comparator=item.comparator,
                direction=item.direction,
                deadline=item.deadline,
                kind=infer_kind(item.value, item.unit, item.comparator, item.indicator, item.surface),
                span_start=item.span[0],
                span_end=item.span[1],
                sentence_start=item.sentence[0],
                sentence_end=item.sentence[1],
            )
        )
    for project in plan.projects:
        session.add(
            KeyProject(
                report=report,
                name=project.name[:500],
                category=project.category,
                planned_investment=project.investment,
                span_start=project.span[0],
                span_end=project.span[1],
            )
        )
    for pc in plan.project_counts:
        if pc.category.strip() in TOTAL_CATEGORIES or pc.category.strip().endswith("重点项目"):
            report.planned_projects = pc.count
            report.planned_investment = pc.investment
            continue
        category = pc.category.strip().removesuffix("项目") or pc.category.strip()
        session.add(
            KeyProject(
                report=report,
                name=f"{pc.category}（{pc.count}个）",
                category=category,
                planned_investment=pc.investment,
                project_count=pc.count,
                span_start=pc.span[0],
                span_end=pc.span[1],
            )
        )
    session.flush()
    counts = {
        "areas": len(areas),
        "targets": len(plan.targets),
        "outcomes": len(plan.outcomes),
        "projects": len(plan.projects) + len(plan.project_counts),
    }
    record_audit(
        session,
        actor,
        "import",
        "report",
        report.id,
        None,
        {"jurisdiction": place.name, "year": year, "sha256": sha, "source": report.source_name, **counts},
    )
    return ImportResult(report, created=True, counts=counts)


def import_report(
    session: Session,
    report: Path | str,
    jurisdiction: str,
    year: int,
    parent: str | None = None,
    actor: Actor = None,
    *,
    plan: Plan | None = None,
    limits: InputLimits | None = None,
    force: bool = False,
) -> ImportResult:
    """Read (a :class:`Path` is a file, a ``str`` the report's text), extract and store a report in the
    caller's session, all in one transaction.

    The session's transaction is committed by the caller (e.g. ``with store.session() as s``); any
    error leaves the database as it was. ``plan`` skips extraction (for tests and re-use).
    ``limits`` caps the file, its text and the items extracted (``luoshi.sources.limits``).
    """
    from luoshi.extraction import extract_text

    text, source = read_report(report, limits)
    if not text.strip():
        raise InputError(f"{source or '报告文字'}：报告是空的")
    if plan is None:  # the text is read (and checked) once; only the extraction is skippable
        plan = extract_text(text, source=source)
    return import_plan(
        session,
        plan,
        jurisdiction,
        year,
        parent=parent,
        actor=actor,
        source_name=source,
        limits=limits,
        force=force,
    )


def imported_targets(session: Session, report_id: int, limit: int) -> list[Target]:
    """The first ``limit`` targets of a report in the report's order (the preview after an import)."""
    return list(
        session.scalars(
            select(Target)
            .where(Target.report_id == report_id)
            .order_by(Target.position, Target.id)
            .limit(limit)
        )
    )
