"""Demo data (示例数据): the bundled Zhangdian 2024 report with sample progress through September.

``load_demo`` imports the report for 张店区 under 淄博市, accepts and publishes its targets, assigns
departments by keyword rules (demo_rules), and generates deterministic monthly progress so that
every status appears as of :data:`DEMO_AS_OF` (set ``Settings.today`` to ``DemoInfo.as_of``).
Running it again changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.models import KeyProject, ProgressUpdate, ProjectProgress, Report, Target
from luoshi.tracking import services
from luoshi.tracking.demo_rules import departments_for
from luoshi.tracking.importer import import_report
from luoshi.tracking.projects import add_project_progress
from luoshi.tracking.status import time_progress

if TYPE_CHECKING:
    from luoshi.store.database import Store

__all__ = ["DEMO_AS_OF", "DEMO_JURISDICTION", "DemoInfo", "demo_report_path", "load_demo", "prepare_demo"]

DEMO_JURISDICTION = "张店区"
DEMO_PARENT = "淄博市"
DEMO_YEAR = 2024
DEMO_AS_OF = date(2024, 9, 30)
ACTOR = "示例数据"
SEED = 2024
MONTHS = range(1, 10)  # January .. September
# Scenario -> share of the target reached by 30 September (count kinds) or factor of the target (rates).
SCENARIOS = ("done", "ahead", "on_pace", "behind", "far_behind", "overdue", "no_report")
WEIGHTS = (5, 6, 10, 7, 4, 5, 3)


@dataclass(frozen=True)
class DemoInfo:
    report_id: int
    as_of: date
    created: bool
    targets: int
    sample: bool = True
    label: str = "示例数据"


def demo_report_path() -> Path:
    return Path(str(files("luoshi") / "data" / "zhangdian-2024.txt"))


def _plan_scenarios(targets: list[Target], rng: random.Random) -> tuple[dict[int, str], set[int]]:
    """A scenario per target: one of each first (on count targets where possible), then weighted draws."""
    order = list(targets)
    rng.shuffle(order)
    counts = [
        t
        for t in order
        if t.kind == "count"
        and t.target_value
        and t.comparator != "<="
        and (t.deadline is None or t.deadline.year == DEMO_YEAR)
    ]
    out: dict[int, str] = {}
    for scenario, t in zip(SCENARIOS, counts, strict=False):
        out[t.id] = scenario
    for t in order:
        if t.id not in out:
            s = rng.choices(SCENARIOS, WEIGHTS)[0]
            if s == "done" and t.kind in ("rate",):
                s = "on_pace"
            out[t.id] = s
    return out, {t.id for t in counts[: len(SCENARIOS)]}


def _share_at_september(scenario: str, rng: random.Random, tp: float) -> float:
    """Share of the target (0..1+) reached by 30 September for a cumulative target; tp is 序时进度 (0..1)."""
    return {
        "done": 1.0 + rng.uniform(0.0, 0.08),
        "ahead": tp + rng.uniform(0.13, 0.2),
        "on_pace": tp + rng.uniform(-0.05, 0.05),
        "behind": tp - rng.uniform(0.13, 0.25),
        "far_behind": tp - rng.uniform(0.35, 0.5),
        "overdue": tp - rng.uniform(0.0, 0.1),
    }.get(scenario, tp)


def _factor(scenario: str, rng: random.Random) -> float:
    """Reported level or rate as a factor of the target (yardstick 100%)."""
    return {
        "done": 1.0 + rng.uniform(0.0, 0.05),
        "ahead": rng.uniform(1.15, 1.3),
        "on_pace": rng.uniform(0.95, 1.04),
        "behind": rng.uniform(0.75, 0.86),
        "far_behind": rng.uniform(0.3, 0.6),
        "overdue": rng.uniform(0.92, 1.0),
    }.get(scenario, 1.0)


def _value(t: Target, scenario: str, month: int, rng: random.Random) -> float | None:
    goal = t.target_value
    if goal is None:
        return 1.0 if scenario == "done" and month == 9 else None
    if t.comparator == "<=":  # a ceiling: below is good, above is bad
        factor = {"behind": 1.15, "far_behind": 1.5}.get(scenario, 0.95)
        return round(goal * factor * rng.uniform(0.99, 1.01), 2)
    if t.kind == "count":
        deadline = t.deadline or date(DEMO_YEAR, 12, 31)
        tp = time_progress(DEMO_AS_OF, date(DEMO_YEAR, 1, 1), deadline) / 100
        share = _share_at_september(scenario, rng, tp) * month / 9
        return round(goal * share, 2 if goal < 100 else 0)
    ramp = 1.0 if t.kind == "rate" else 0.9 + 0.1 * month / 9
    return round(goal * _factor(scenario, rng) * ramp, 2)


def _narrative(t: Target, month: int, value: float | None) -> str:
    shown = "" if value is None else f"{value:g}{t.unit or ''}"
    return f"【示例数据】截至{month}月底，{t.indicator or '该项工作'}累计完成{shown}，按计划推进。"


@contextmanager
def _clock_on(session: Session, day: date) -> Iterator[None]:
    """Write as if luoshi's clock said ``day``: each sample report is submitted on its own day (the
    25th, before the 28th's due date), so the 通报 judges it 按时 whatever the machine's date."""
    before = session.info.get("settings")
    session.info["settings"] = (before or Settings()).with_(today=day.isoformat())
    try:
        yield
    finally:
        if before is None:
            session.info.pop("settings", None)
        else:
            session.info["settings"] = before


def _progress(session: Session, targets: list[Target], rng: random.Random) -> None:
    scenarios, guaranteed = _plan_scenarios(targets, rng)
    returned = pending = False
    for t in targets:
        scenario = scenarios[t.id]
        if scenario == "no_report":
            # Reports are due once a year: none is due yet on 30 September.
            services.edit_target(session, t, {"cadence": "yearly"}, actor=ACTOR)
            continue
        last_month = 7 if scenario == "overdue" else 9
        for month in MONTHS:
            value = _value(t, scenario, month, rng)
            if value is None and month < 9:
                continue
            if month > last_month:
                if scenario == "overdue" and not returned:  # a September report sent back in 复核
                    with _clock_on(session, date(DEMO_YEAR, month, 25)):
                        u = services.add_update(
                            session,
                            t,
                            period=date(DEMO_YEAR, month, 25),
                            value=value,
                            narrative=_narrative(t, month, value),
                            actor=ACTOR,
                        )
                    services.check_update(session, u, "returned", "请补充佐证材料后重新报送", actor=ACTOR)
                    returned = True
                break
            with _clock_on(session, date(DEMO_YEAR, month, 25)):
                u = services.add_update(
                    session,
                    t,
                    period=date(DEMO_YEAR, month, 25),
                    value=value,
                    narrative=_narrative(t, month, value),
                    actor=ACTOR,
                )
            if month == 9 and not pending and t.id not in guaranteed and scenario in ("ahead", "on_pace"):
                pending = True  # left waiting for 复核
                continue
            services.check_update(session, u, "accepted", actor=ACTOR)
    _milestones(session, [t for t in targets if t.id not in guaranteed and t.kind == "count"][:3], scenarios)


MILESTONES = (
    ("启动实施", 3, 31),
    ("完成年度任务30%", 6, 30),
    ("完成年度任务70%", 9, 30),
    ("全面完成", 12, 31),
)


def _milestones(session: Session, targets: list[Target], scenarios: dict[int, str]) -> None:
    """Stages (节点) for a few targets, done on time unless the target is behind."""
    for t in targets:
        late = scenarios[t.id] in ("behind", "far_behind", "overdue")
        for title, month, day in MILESTONES:
            due = date(DEMO_YEAR, month, day)
            m = services.add_milestone(session, t, title, due, actor=ACTOR)
            if due <= DEMO_AS_OF and not (late and month == 9):
                services.set_milestone_done(session, m, date(DEMO_YEAR, month, day - 3), actor=ACTOR)


def _breakdown(groups: list[KeyProject], total: int | None) -> list[KeyProject]:
    """The groups whose counts add up to the stated total (e.g. 23+49+29+121 = 222), else all groups."""
    if total:
        for size in range(len(groups), 0, -1):
            for combo in combinations(groups, size):
                if sum(g.project_count for g in combo) == total:
                    return list(combo)
    return groups


def _projects(session: Session, report: Report, rng: random.Random) -> None:
    """Sample planned investment (when the report gives only a total) and quarterly progress."""
    projects = list(
        session.scalars(select(KeyProject).where(KeyProject.report_id == report.id).order_by(KeyProject.id))
    )
    if projects and all(p.planned_investment is None for p in projects):
        groups = _breakdown([p for p in projects if p.project_count > 1], report.planned_projects)
        budget = report.planned_investment or 1e8 * sum(g.project_count for g in groups)
        n = sum(g.project_count for g in groups) or 1
        for g in groups:
            g.planned_investment = round(budget * g.project_count / n, -6)
        by_category = {g.category: g for g in groups}
        for p in projects:
            group = by_category.get(p.category or "")
            if (
                p.project_count == 1
                and group is not None
                and group.project_count > 1
                and group.planned_investment
            ):
                share = round(group.planned_investment / group.project_count * rng.uniform(1.5, 3.0), -6)
                p.planned_investment, p.sample = share, True
                group.planned_investment -= share
                group.project_count -= 1
        session.flush()
    for p in projects:
        if not p.planned_investment:
            continue
        pace = rng.uniform(0.55, 0.95)
        for month in (3, 6, 9):
            add_project_progress(
                session,
                p,
                date(DEMO_YEAR, month, 30),
                round(p.planned_investment * pace * month / 12, -4),
                stage="在建",
                actor=ACTOR,
            )


def load_demo(session: Session, settings: Settings | None = None) -> DemoInfo:
    """Load the demo plan into the session's database (idempotent); see the module docstring."""
    result = import_report(
        session, demo_report_path(), DEMO_JURISDICTION, DEMO_YEAR, parent=DEMO_PARENT, actor=ACTOR
    )
    report = result.report
    targets = list(
        session.scalars(
            select(Target).where(Target.report_id == report.id).order_by(Target.position, Target.id)
        )
    )
    already = session.scalar(
        select(func.count())
        .select_from(ProgressUpdate)
        .join(Target, ProgressUpdate.target_id == Target.id)
        .where(Target.report_id == report.id)
    )
    if report.sample and already:
        accepted = sum(1 for t in targets if t.review_state == "accepted")
        return DemoInfo(report.id, DEMO_AS_OF, created=False, targets=accepted)
    report.sample = True
    rng = random.Random(SEED)
    for t in targets:
        if t.review_state == "proposed":
            services.accept_target(session, t, actor=ACTOR)
        services.set_public(session, t, True, actor=ACTOR)
        lead, co = departments_for(t.indicator)
        if lead == "区发改局" and co is None:
            lead, co = departments_for(f"{t.indicator}{t.title}")
        services.assign_departments(
            session,
            t,
            services.get_or_create_department(session, lead, ACTOR),
            [services.get_or_create_department(session, co, ACTOR)] if co else [],
            actor=ACTOR,
        )
    _progress(session, targets, rng)
    if not session.scalar(
        select(func.count())
        .select_from(ProjectProgress)
        .join(KeyProject, ProjectProgress.project_id == KeyProject.id)
        .where(KeyProject.report_id == report.id)
    ):
        _projects(session, report, rng)
    session.flush()
    return DemoInfo(report.id, DEMO_AS_OF, created=True, targets=len(targets))


def _demo_reporter_department(session: Session) -> str:
    """The department leading the most targets (the demo reporter's department)."""
    from luoshi.store.models import Department

    row = session.execute(
        select(Department.name, func.count(Target.id).label("n"))
        .join(Target, Target.lead_department_id == Department.id)
        .group_by(Department.id)
        .order_by(func.count(Target.id).desc(), Department.name)
        .limit(1)
    ).first()
    return row[0] if row else "区发改局"


def prepare_demo(store: Store, settings: Settings) -> tuple[Settings, list[tuple[str, str, str]]]:
    """Load the demo plan (idempotent) and create the demo users (``luoshi serve --demo``).

    Returns the settings to serve with (statuses as of the demo's day unless LUOSHI_TODAY says
    otherwise) and the (user, role, password) triples for the start-up line.
    """
    from luoshi.accounts.users import create_demo_users

    with store.session() as session:
        info = load_demo(session, settings)
    with store.session() as session:
        users = create_demo_users(session, _demo_reporter_department(session))
    if not settings.today:
        settings = settings.with_(today=info.as_of.isoformat())
    return settings, users
