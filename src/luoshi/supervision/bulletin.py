"""The monthly 通报: one month's record of the plan, for the page, the Word file and ``luoshi bulletin``.

Interface::

    build_bulletin(session, settings, jurisdiction, year, month) -> Bulletin
    bulletin_charts(bulletin) -> dict[str, bytes]   # PNG: "status", "departments"

Contents: totals by status (as of 数据截至), each department's record (应报, 按时, 逾期, 未报, 退回,
督办单 open — see luoshi.supervision.records), the targets behind pace (欠进度/严重滞后) with their
gap in percentage points, 督办单 issued and closed in the month, and leaders' 批示 written in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.glossary import STATUS_LABELS
from luoshi.settings import Settings
from luoshi.store.models import Comment, Department, Target, User
from luoshi.supervision.orders import OrderView, order_view
from luoshi.supervision.records import PeriodRecord, parse_month, period_bounds, period_record
from luoshi.tracking.queries import find_report

__all__ = ["COUNTING_NOTE", "BehindRow", "Bulletin", "CommentRow", "build_bulletin", "bulletin_charts"]

COUNTING_NOTE = (
    "说明：应报为到期日在本月内（截至数据日）的进展报送次数；按时为该期首次报送不晚于到期日，"
    "逾期报送为晚于到期日，未报为至今未报送；复核退回按所报期次计；督办单未办结按数据日计。"
)


@dataclass(frozen=True)
class BehindRow:
    target_id: int
    title: str
    department: str
    status: str  # label
    achieved: float | None
    yardstick: float
    gap: float


@dataclass(frozen=True)
class CommentRow:
    day: date
    author: str
    target_id: int
    target: str
    body: str


@dataclass
class Bulletin:
    month: str  # YYYY-MM
    record: PeriodRecord
    behind: list[BehindRow]
    comments: list[CommentRow]
    issued: list[OrderView]  # 督办单 issued in the month
    closed: list[OrderView]  # 督办单 closed in the month

    @property
    def heading(self) -> str:
        y, m = parse_month(self.month)
        return f"{self.record.jurisdiction}{self.record.year}年政府工作报告重点任务落实情况通报（{y}年{m}月）"

    @property
    def total(self) -> int:
        return sum(self.record.totals.values())

    def status_rows(self) -> list[tuple[str, str, int, float]]:
        """(code, label, count, share %) in the vocabulary's order."""
        total = self.total or 1
        return [
            (c, label, self.record.totals.get(c, 0), self.record.totals.get(c, 0) / total * 100)
            for c, label in STATUS_LABELS.items()
        ]


def build_bulletin(
    session: Session, settings: Settings, jurisdiction: str, year: int, month: str
) -> Bulletin:
    report = find_report(session, jurisdiction, year)
    start, end = period_bounds(year, month)
    record = period_record(session, settings, report, start, end)
    names = {d.department_id: d.name for d in record.departments}
    behind = []
    for tid, ts in record.statuses.items():
        if ts.result.code in ("behind", "far_behind") and ts.result.gap is not None:
            behind.append(
                BehindRow(
                    tid,
                    ts.target.title,
                    names.get(ts.target.lead_department_id, "（未指定牵头单位）"),
                    ts.result.label,
                    ts.result.achieved,
                    ts.result.yardstick,
                    ts.result.gap,
                )
            )
    behind.sort(key=lambda b: -b.gap)
    comments = []
    ids = list(record.statuses)
    if ids:
        rows = session.execute(
            select(Comment, Target.title, User.display_name, User.username)
            .join(Target, Target.id == Comment.target_id)
            .outerjoin(User, User.id == Comment.user_id)
            .where(Comment.target_id.in_(ids))
            .order_by(Comment.id)
        )
        for c, title, display, username in rows:
            if start <= c.created_at.date() <= end:
                comments.append(
                    CommentRow(c.created_at.date(), display or username or "领导", c.target_id, title, c.body)
                )
    issued = [order_view(session, o) for o in record.orders if start <= o.opened_on <= end]
    closed = [order_view(session, o) for o in record.orders if o.closed_on and start <= o.closed_on <= end]
    return Bulletin(
        month=f"{start.year:04d}-{start.month:02d}",
        record=record,
        behind=behind,
        comments=comments,
        issued=issued,
        closed=closed,
    )


def bulletin_charts(bulletin: Bulletin) -> dict[str, bytes]:
    from luoshi.supervision.charts import department_chart, status_chart

    deps = [d for d in bulletin.record.departments if d.due or d.targets]
    return {
        "status": status_chart(
            dict(bulletin.record.totals), "目标状态分布（截至" + bulletin.record.as_of.isoformat() + "）"
        ),
        "departments": department_chart(
            [d.name for d in deps],
            [d.on_time for d in deps],
            [d.late for d in deps],
            [d.missing for d in deps],
        ),
    }


def department_name(session: Session, department_id: int | None) -> str:
    dept = session.get(Department, department_id) if department_id else None
    return dept.name if dept else "（未指定牵头单位）"
