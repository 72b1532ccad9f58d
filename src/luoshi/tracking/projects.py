"""Key projects: progress (append-only) and the roll-up of planned vs. completed investment
(per project, per category, in total) against 序时进度; plus the 催办 list per department."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.settings import Settings
from luoshi.store.audit import Actor, actor_fields, record_audit
from luoshi.store.engine import chunked
from luoshi.store.models import KeyProject, ProjectProgress
from luoshi.tracking.queries import TargetView, as_of, chosen_report, list_targets
from luoshi.tracking.status import time_progress

__all__ = [
    "ProjectLine",
    "ProjectRollup",
    "add_project_progress",
    "get_project",
    "overdue_by_department",
    "project_rollup",
    "projects_of",
]


def add_project_progress(
    session: Session,
    project: KeyProject | int,
    period: date,
    completed_investment: float,
    stage: str | None = None,
    note: str | None = None,
    actor: Actor = None,
) -> ProjectProgress:
    """Append the cumulative investment completed (元) of a key project as of ``period``."""
    p = project if isinstance(project, KeyProject) else session.get(KeyProject, int(project))
    if p is None:
        raise NotFoundError(f"没有编号为 {project} 的重点项目")
    if completed_investment < 0:
        raise InputError("完成投资不能为负数")
    user_id, _ = actor_fields(actor)
    row = ProjectProgress(
        project_id=p.id,
        period=period,
        completed_investment=float(completed_investment),
        stage=stage,
        note=note,
        author_id=user_id,
    )
    session.add(row)
    if stage:
        p.stage = stage
    session.flush()
    record_audit(
        session,
        actor,
        "add",
        "project_progress",
        row.id,
        None,
        {"project_id": p.id, "period": period, "completed_investment": completed_investment, "stage": stage},
    )
    return row


@dataclass
class ProjectLine:
    name: str
    category: str
    planned: float  # 元
    completed: float  # 元, latest cumulative figure
    projects: int = 1
    stage: str | None = None
    id: int | None = None

    @property
    def rate(self) -> float | None:
        """投资完成率 in percent."""
        return round(self.completed / self.planned * 100, 1) if self.planned else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "projects": self.projects,
            "planned_investment": self.planned,
            "completed_investment": self.completed,
            "completion_rate": self.rate,
            "stage": self.stage,
        }


@dataclass
class ProjectRollup:
    as_of: date
    time_progress: float  # 序时进度, percent
    projects: list[ProjectLine] = field(default_factory=list)
    categories: list[ProjectLine] = field(default_factory=list)
    total: ProjectLine | None = None
    stated_projects: int | None = None  # as the report states them (e.g. 222)
    stated_investment: float | None = None  # 元 (e.g. 312.4亿元)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "time_progress": round(self.time_progress, 1),
            "projects": [p.to_dict() for p in self.projects],
            "categories": [c.to_dict() for c in self.categories],
            "total": self.total.to_dict() if self.total else None,
            "stated_projects": self.stated_projects,
            "stated_investment": self.stated_investment,
        }


def project_rollup(
    session: Session, settings: Settings, report_id: int | None = None, today: date | None = None
) -> ProjectRollup:
    """Planned vs. completed investment per project, per category and in total, with 序时进度."""
    report = chosen_report(session, report_id)
    now = today or as_of(settings)
    if report is None:
        return ProjectRollup(now, 0.0)
    tp = time_progress(now, date(report.year, 1, 1), date(report.year, 12, 31))
    projects = list(
        session.scalars(select(KeyProject).where(KeyProject.report_id == report.id).order_by(KeyProject.id))
    )
    latest: dict[int, float] = {}
    ids = [p.id for p in projects]
    for part in chunked(ids):
        rows = session.execute(
            select(
                ProjectProgress.project_id,
                ProjectProgress.period,
                ProjectProgress.completed_investment,
                ProjectProgress.id,
            )
            .where(ProjectProgress.project_id.in_(part), ProjectProgress.period <= now)
            .order_by(ProjectProgress.period, ProjectProgress.id)
        )
        for pid, _period, value, _id in rows:
            latest[pid] = value  # ordered: the last one wins
    lines = [
        ProjectLine(
            p.name,
            p.category or "其他",
            p.planned_investment or 0.0,
            latest.get(p.id, 0.0),
            p.project_count or 1,
            p.stage,
            p.id,
        )
        for p in projects
    ]
    cats: dict[str, ProjectLine] = {}
    for line in lines:
        c = cats.setdefault(line.category, ProjectLine(line.category, line.category, 0.0, 0.0, 0))
        c.planned += line.planned
        c.completed += line.completed
        c.projects += line.projects
    total = ProjectLine(
        "合计",
        "合计",
        sum(c.planned for c in cats.values()),
        sum(c.completed for c in cats.values()),
        sum(c.projects for c in cats.values()),
    )
    return ProjectRollup(
        now,
        tp,
        lines,
        sorted(cats.values(), key=lambda c: -c.planned),
        total,
        report.planned_projects,
        report.planned_investment,
    )


def overdue_by_department(
    session: Session, settings: Settings, report_id: int | None = None, today: date | None = None
) -> dict[str, list[TargetView]]:
    """催办: targets whose progress report is missing past its due date, by lead department."""
    report = chosen_report(session, report_id)
    if report is None:
        return {}
    out: dict[str, list[TargetView]] = defaultdict(list)
    for v in list_targets(session, settings, report_id=report.id, today=today):
        if v.status.report_overdue and v.code == "overdue":
            out[v.target.lead_department.name if v.target.lead_department else "未分配"].append(v)
    return dict(sorted(out.items()))


def get_project(session: Session, project_id: int) -> KeyProject:
    project = session.get(KeyProject, project_id)
    if project is None:
        raise NotFoundError(f"没有编号为 {project_id} 的重点项目")
    return project


def projects_of(session: Session, report_id: int) -> list[KeyProject]:
    """A report's key projects (in no set order)."""
    return list(session.scalars(select(KeyProject).where(KeyProject.report_id == report_id)))
