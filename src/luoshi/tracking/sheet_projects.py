"""The 重点项目 worksheet of the 任务分解表: planned vs. completed investment per key project, and
the cumulative investment completed as reported back (appended to project_progress). Amounts in 万元."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.formats.cells import xlsx_cell
from luoshi.settings import Settings
from luoshi.store.audit import Actor
from luoshi.store.models import KeyProject, ProjectProgress
from luoshi.tracking.projects import add_project_progress, project_rollup

__all__ = ["PROJECT_COLUMNS", "PROJECT_SHEET", "apply_projects", "check_projects", "write_projects"]

PROJECT_SHEET = "重点项目"
PROJECT_COLUMNS = (
    "项目ID",
    "序号",
    "项目名称",
    "类别",
    "项目个数",
    "计划投资（万元）",
    "累计完成投资（万元）",
    "投资完成率",
    "阶段",
    "本期累计完成投资（万元）",
    "填报日期",
)
WIDTHS = (8, 6, 36, 12, 8, 16, 18, 10, 10, 20, 12)
WAN = 1e4


def write_projects(wb: Any, session: Session, settings: Settings, report_id: int | None) -> int:
    """Add the 重点项目 worksheet to an openpyxl workbook; returns the number of project rows."""
    from openpyxl.styles import Font

    rollup = project_rollup(session, settings, report_id)
    ws = wb.create_sheet(PROJECT_SHEET)
    ws.append(list(PROJECT_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, line in enumerate(rollup.projects, start=1):
        ws.append(
            [
                xlsx_cell(c)
                for c in (
                    line.id,
                    n,
                    line.name,
                    line.category,
                    line.projects,
                    round(line.planned / WAN, 2) if line.planned else None,
                    round(line.completed / WAN, 2),
                    None if line.rate is None else f"{line.rate:g}%",
                    line.stage,
                    None,
                    None,
                )
            ]
        )
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    ws.freeze_panes = "C2"
    return len(rollup.projects)


def check_projects(
    session: Session, rows: list[tuple[Any, ...]], number: Any, when: Any
) -> tuple[list[tuple[int, int, float, date]], list[tuple[int, str]]]:
    """Parse the worksheet's rows: ([(row, project id, 元, period)], [(row, reason)]).

    ``number`` and ``when`` are the main sheet's parsers for numbers and dates.
    """
    if not rows:
        return [], []
    header = {str(c).strip(): i for i, c in enumerate(rows[0]) if c is not None and str(c).strip()}
    if "项目ID" not in header:
        return [], [(1, f"［{PROJECT_SHEET}］找不到表头“项目ID”")]
    parsed: list[tuple[int, int, float, date]] = []
    problems: list[tuple[int, str]] = []
    seen: set[int] = set()
    ids = set(session.scalars(select(KeyProject.id)))

    def cell(row: tuple[Any, ...], title: str) -> Any:
        i = header.get(title)
        value = row[i] if i is not None and i < len(row) else None
        return None if isinstance(value, str) and not value.strip() else value

    for offset, row in enumerate(rows[1:], start=2):
        amount, period = cell(row, "本期累计完成投资（万元）"), cell(row, "填报日期")
        if amount is None and period is None:
            continue
        reasons: list[str] = []
        pid: int | None = None
        try:
            pid = int(number(cell(row, "项目ID")))
        except (TypeError, ValueError):
            reasons.append(f"项目ID 缺失或不是数字（{cell(row, '项目ID')!r}）")
        if pid is not None and pid not in ids:
            reasons.append(f"项目ID {pid} 不存在")
        elif pid is not None and pid in seen:
            reasons.append(f"项目ID {pid} 重复")
        value = day = None
        try:
            value = number(amount) * WAN if amount is not None else None
            if value is None or value < 0:
                reasons.append("本期累计完成投资缺失或为负数")
        except ValueError:
            reasons.append(f"本期累计完成投资不是数字（{amount!r}）")
        try:
            day = when(period) if period is not None else None
            if day is None:
                reasons.append("缺少填报日期")
        except (TypeError, ValueError):
            reasons.append(f"填报日期无法识别（{period!r}）")
        if reasons:
            problems.append((offset, f"［{PROJECT_SHEET}］" + "；".join(reasons)))
        elif pid is not None and value is not None and day is not None:
            seen.add(pid)
            parsed.append((offset, pid, value, day))
    return parsed, problems


def apply_projects(session: Session, parsed: list[tuple[int, int, float, date]], actor: Actor) -> int:
    """Append project progress for each parsed row (the same figure for the same day again is skipped)."""
    if not parsed:
        return 0
    known = {
        (p, d, v)
        for p, d, v in session.execute(
            select(ProjectProgress.project_id, ProjectProgress.period, ProjectProgress.completed_investment)
        )
    }
    added = 0
    for _row, pid, value, day in parsed:
        if (pid, day, value) in known:
            continue
        add_project_progress(session, pid, day, value, actor=actor)
        added += 1
    return added
