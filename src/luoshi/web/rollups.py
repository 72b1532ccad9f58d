"""Aggregates for the overview and the public scorecard: status counts by area and department.

Built on the per-target statuses of :mod:`luoshi.web.status`; project investment totals come
from the latest (cumulative) project_progress row of each project.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.store.models import KeyProject, ProjectProgress, Target
from luoshi.tracking.status import StatusResult, time_progress

__all__ = ["Group", "by_area", "by_department", "investment", "status_counts"]

ON_TRACK = ("done", "ahead", "on_pace")


@dataclass
class Group:
    name: str
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    achieved: list[float] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_track_pct(self) -> float:
        return 100.0 * sum(self.counts.get(k, 0) for k in ON_TRACK) / self.total if self.total else 0.0

    @property
    def mean_achieved(self) -> float:
        return sum(min(a, 100.0) for a in self.achieved) / len(self.achieved) if self.achieved else 0.0


def _add(group: Group, r: StatusResult) -> None:
    group.counts[r.code] += 1
    if r.achieved is not None:
        group.achieved.append(max(r.achieved, 0.0))


def status_counts(results: dict[int, StatusResult]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for r in results.values():
        counts[r.code] += 1
    return dict(counts)


def by_area(targets: list[Target], results: dict[int, StatusResult]) -> list[Group]:
    groups: dict[str, Group] = {}
    order: dict[str, int] = {}
    for t in targets:
        name = t.area.heading if t.area else "其他"
        groups.setdefault(name, Group(name))
        order.setdefault(name, t.area.position if t.area else 10**6)
        _add(groups[name], results[t.id])
    return sorted(groups.values(), key=lambda g: order[g.name])


def by_department(targets: list[Target], results: dict[int, StatusResult]) -> list[Group]:
    groups: dict[str, Group] = {}
    for t in targets:
        name = t.lead_department.name if t.lead_department else "未分配"
        groups.setdefault(name, Group(name))
        _add(groups[name], results[t.id])
    return sorted(groups.values(), key=lambda g: (-g.total, g.name))


@dataclass(frozen=True)
class Investment:
    projects: int
    planned: float  # 元
    completed: float  # 元
    pace: float  # 序时进度 %
    by_category: list[tuple[str, float, float]]  # (category, planned, completed)

    @property
    def rate(self) -> float:
        return 100.0 * self.completed / self.planned if self.planned else 0.0


def investment(db: Session, report_id: int, year: int, today: date) -> Investment:
    latest = (
        select(ProjectProgress.project_id, func.max(ProjectProgress.id).label("pid"))
        .group_by(ProjectProgress.project_id).subquery()
    )
    rows = db.execute(
        select(KeyProject.category, KeyProject.planned_investment, ProjectProgress.completed_investment)
        .where(KeyProject.report_id == report_id)
        .outerjoin(latest, latest.c.project_id == KeyProject.id)
        .outerjoin(ProjectProgress, ProjectProgress.id == latest.c.pid)
    ).all()
    cats: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for category, planned, completed in rows:
        c = cats[category or "其他"]
        c[0] += planned or 0.0
        c[1] += completed or 0.0
    return Investment(
        projects=len(rows),
        planned=sum(c[0] for c in cats.values()),
        completed=sum(c[1] for c in cats.values()),
        pace=time_progress(today, date(year, 1, 1), date(year, 12, 31)),
        by_category=sorted(((k, v[0], v[1]) for k, v in cats.items()), key=lambda x: -x[1]),
    )
