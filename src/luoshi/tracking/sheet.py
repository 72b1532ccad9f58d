"""The Excel 任务分解表: export the plan, import progress and assignments back (openpyxl, lazily).

Import rules: rows are matched by the ID column, so re-importing updates rather than duplicates
(the same value for the same period is skipped; a different one becomes a correction that points
at the old version). Every bad row is reported with its row number and reason, and nothing of
the sheet is applied unless every row is valid.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from luoshi.errors import InputError
from luoshi.formats.cells import unguard, xlsx_cell
from luoshi.settings import Settings
from luoshi.sources.limits import DEFAULT_LIMITS, InputLimits, LimitExceeded, check_zip
from luoshi.store.audit import Actor
from luoshi.store.engine import chunked
from luoshi.store.models import Department, ProgressUpdate, Target
from luoshi.tracking import services
from luoshi.tracking.current import current_updates
from luoshi.tracking.figures import format_value, parse_figure
from luoshi.tracking.queries import current_report, list_targets
from luoshi.tracking.sheet_projects import PROJECT_SHEET, apply_projects, check_projects, write_projects

__all__ = [
    "COLUMNS",
    "SheetError",
    "SheetImportResult",
    "export_sheet",
    "format_target_value",
    "import_sheet",
]

COLUMNS = (
    "ID",
    "序号",
    "领域",
    "工作任务",
    "目标值",
    "牵头单位",
    "责任单位",
    "完成时限",
    "最新进展",
    "状态",
    "本期完成值",
    "填报日期",
    "进展说明",
)
WIDTHS = (8, 6, 22, 60, 16, 14, 22, 12, 40, 10, 12, 12, 40)
SEPARATORS = re.compile(r"[、,，;；/\s]+")
SYMBOLS = {">=": "≥", "<=": "≤", "~": "约", "=": "", "range": ""}


class SheetError(InputError):
    """A sheet with bad rows: ``problems`` lists (row number, reason) for every one of them."""

    def __init__(self, source: str, problems: list[tuple[int, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  第{row}行 (row {row}): {reason}" for row, reason in problems)
        super().__init__(f"{source}: {len(problems)} 行有错误，整张表未导入 (nothing applied):\n{lines}")


@dataclass
class SheetImportResult:
    rows: int = 0
    updates: int = 0
    corrections: int = 0
    assignments: int = 0
    unchanged: int = 0
    touched: list[int] = field(default_factory=list)
    project_progress: int = 0

    @property
    def summary(self) -> str:
        return (
            f"{self.rows}行：新增进展{self.updates}条，更正{self.corrections}条，调整分工{self.assignments}项，"
            f"无变化{self.unchanged}行"
            + (f"；重点项目投资进度{self.project_progress}条" if self.project_progress else "")
        )


def format_target_value(t: Target) -> str:
    """目标值 as an office writes it: ≥300座, ≤5.5%, 312.4亿元 (the one formatter)."""
    if t.target_value is None:
        return ""
    return format_value(t.target_value, t.unit, t.comparator, t.value_max)


def export_sheet(
    session: Session,
    settings: Settings,
    out: str | Path | IO[bytes],
    report_id: int | None = None,
    department: int | str | None = None,
    *,
    area: int | str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> int:
    """Write the 任务分解表 of a report (default: the latest) to ``out``; returns the number of targets.
    ``department`` (id or name) keeps the targets it leads or shares (a sheet to send to that department);
    ``area``, ``status`` and ``q`` filter as the targets list does (an export follows the screen)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    if report_id is None:
        report = current_report(session)
        report_id = report.id if report else None
    views = (
        list_targets(
            session, settings, report_id=report_id, department=department, area=area, status=status, q=q
        )
        if report_id is not None
        else []
    )
    ids = [v.target.id for v in views]
    # 最新进展: the newest current version of each target's reports (corrections replace what they
    # correct), marked when 复核 has not accepted it yet — the status counts accepted readings only.
    newest = {tid: rows[-1] for tid, rows in current_updates(session, ids).items() if rows}
    latest: dict[int, ProgressUpdate] = {}
    pending: dict[int, str] = {}
    for part in chunked([r.update_id for r in newest.values()]):
        for u in session.scalars(select(ProgressUpdate).where(ProgressUpdate.id.in_(part))):
            latest[u.target_id] = u
    for tid, r in newest.items():
        if r.decision is None:
            pending[tid] = "（待复核）"
        elif r.decision == "returned":
            pending[tid] = "（已退回）"
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, v in enumerate(views, start=1):
        t, last = v.target, latest.get(v.target.id)
        progress = ""
        if last is not None:
            value = "" if last.reported_value is None else f"{format_value(last.reported_value, t.unit)}，"
            progress = f"{last.period.isoformat()}：{value}{last.narrative}".strip("，") + pending.get(
                t.id, ""
            )
        ws.append(
            [
                xlsx_cell(c)
                for c in (
                    t.id,
                    n,
                    t.area.heading if t.area else "",
                    t.title,
                    format_target_value(t),
                    t.lead_department.name if t.lead_department else "",
                    "、".join(d.name for d in t.co_departments),
                    t.deadline or date(t.report.year, 12, 31),
                    progress,
                    v.status.label,
                    None,
                    None,
                    None,
                )
            ]
        )
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        row[0].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "B2"
    if report_id is not None and department is None and area is None and status is None and not q:
        write_projects(wb, session, settings, report_id)
    wb.save(out)
    return len(views)


class _Budget:
    """The non-empty cells a workbook may still have (``xlsx_max_cells``), shared by its sheets."""

    def __init__(self, cells: int) -> None:
        self.cells = cells


def _too_many_rows(ws: Any, name: str, limits: InputLimits) -> InputError:
    return InputError(
        f"{name}: 工作表“{ws.title}”超过 {limits.xlsx_max_rows:,} 行（空行也计算在内；"
        f"请删去多余的空行，或设置 LUOSHI_XLSX_MAX_ROWS）"
    )


def _row_elements_over(ws: Any, limit: int) -> bool:
    """True when the worksheet's XML holds more than ``limit`` ``<row>`` elements, counted in the
    raw bytes (C speed: a few ms for 100,000 rows, where parsing them costs half a second of CPU
    that holds the GIL, and the server's other requests wait for it). Each element gives at least
    one row of :meth:`iter_rows`, so this refuses nothing the streamed count would accept; a
    sheet it cannot read this way (an openpyxl without ``_get_source``) is left to that count."""
    get_source = getattr(ws, "_get_source", None)  # openpyxl's read-only worksheet: its XML member
    if get_source is None:
        return False
    count, tail = 0, b""
    with get_source() as src:
        while chunk := src.read(1 << 20):
            buf = tail + chunk
            count += buf.count(b"<row ") + buf.count(b"<row>")
            if count > limit:
                return True
            tail = buf[-4:]  # a tag cut by the chunk boundary (shorter than a whole tag: never counted twice)
    return False


def _bounded_rows(ws: Any, name: str, limits: InputLimits, budget: _Budget) -> list[tuple[Any, ...]]:
    """Rows of a read-only worksheet, streamed, within the caps; raises InputError naming the file.

    The sheet's own ``<dimension>`` is ignored (reset): a fake ``A1:XFD1048576`` would otherwise
    make openpyxl pad every row to 16,384 columns and invent a million empty rows. Rows are cut
    to ``xlsx_max_columns`` while parsed (the task sheet has 13 columns) and counted, empty ones
    too, so 100,000 empty rows are refused after ``xlsx_max_rows`` instead of read.
    """
    ws.reset_dimensions()
    if _row_elements_over(ws, limits.xlsx_max_rows):
        raise _too_many_rows(ws, name, limits)
    out: list[tuple[Any, ...]] = []
    for row in ws.iter_rows(values_only=True, max_col=limits.xlsx_max_columns):
        if len(out) >= limits.xlsx_max_rows:
            raise _too_many_rows(ws, name, limits)
        last = len(row)
        while last and row[last - 1] is None:
            last -= 1
        budget.cells -= sum(1 for v in row[:last] if v is not None)
        if budget.cells < 0:
            raise InputError(
                f"{name}: 单元格过多（上限 {limits.xlsx_max_cells:,} 个非空单元格；"
                f"设置 LUOSHI_XLSX_MAX_CELLS）"
            )
        out.append(tuple(row[:last]))
    return out


def _read_rows(
    source: str | Path | bytes | IO[bytes], name: str, limits: InputLimits = DEFAULT_LIMITS
) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]], list[tuple[Any, ...]]]:
    """(header of the task sheet, its numbered rows, the rows of the 重点项目 sheet if any)."""
    from openpyxl import load_workbook

    data = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        check_zip(data, limits)  # sizes and ratios from the zip directory, before anything is unpacked
        wb = load_workbook(data, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise InputError(f"{name}: no such file") from exc
    except LimitExceeded as exc:
        raise InputError(f"{name}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a non-xlsx file
        raise InputError(f"{name}: 不是有效的 Excel (.xlsx) 文件") from exc
    budget = _Budget(limits.xlsx_max_cells)
    try:
        rows = _bounded_rows(wb.worksheets[0], name, limits, budget)
        projects = (
            _bounded_rows(wb[PROJECT_SHEET], name, limits, budget) if PROJECT_SHEET in wb.sheetnames else []
        )
    finally:
        wb.close()
    for index, row in enumerate(rows[:10]):
        header = {str(c).strip(): i for i, c in enumerate(row) if c is not None and str(c).strip()}
        if "ID" in header and ("工作任务" in header or "牵头单位" in header):
            return header, [(index + 1 + k, r) for k, r in enumerate(rows[index + 1 :], start=1)], projects
    raise InputError(f"{name}: 找不到表头（需要 ID 和 工作任务 两列）")


def _number(raw: Any) -> float:
    """A plain number (IDs, the 重点项目 sheet's 万元 columns) by the one figure parser; ValueError
    for anything else (the caller names the row and column). Never a truncated "280万" -> 280."""
    try:
        value = parse_figure(raw, "数值")
    except InputError as exc:
        raise ValueError(str(exc)) from None
    if value is None:
        raise ValueError("empty")
    return value


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})[-年](\d{1,2})[-月](\d{1,2})日?", text)
    if not m:
        raise ValueError
    return date(int(m[1]), int(m[2]), int(m[3]))


def _names(raw: Any) -> list[str]:
    # unguard: a name our export wrote as '=... (formula guard) reads back as the name itself
    return [n for n in SEPARATORS.split(unguard(str(raw or "").strip())) if n]


def import_sheet(
    session: Session,
    source: str | Path | bytes | IO[bytes],
    actor: Actor = None,
    filename: str | None = None,
    limits: InputLimits | None = None,
) -> SheetImportResult:
    """Apply a filled-in sheet inside the caller's transaction; raises SheetError listing every bad row.
    ``limits`` caps the package and the rows/columns/cells read (``luoshi.sources.limits``)."""
    name = filename or (str(source) if isinstance(source, str | Path) else "上传的表格")
    header, rows, project_rows = _read_rows(source, name, limits or DEFAULT_LIMITS)
    col = header.get
    problems: list[tuple[int, str]] = []
    parsed: list[tuple[int, int, dict[str, Any]]] = []
    seen: dict[int, int] = {}
    for number, row in rows:

        def cell(title: str, row: tuple[Any, ...] = row) -> Any:
            i = col(title)
            value = row[i] if i is not None and i < len(row) else None
            return None if isinstance(value, str) and not value.strip() else value

        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        raw_id = cell("ID")
        reasons: list[str] = []
        change: dict[str, Any] = {}
        try:
            target_id = int(_number(raw_id)) if raw_id is not None else None
        except ValueError:
            target_id = None
        if target_id is None:
            reasons.append(f"ID 缺失或不是数字（{raw_id!r}）")
        elif target_id in seen:
            reasons.append(f"ID {target_id} 与第{seen[target_id]}行重复")
        else:
            seen[target_id] = number
        value, when, note = cell("本期完成值"), cell("填报日期"), cell("进展说明")
        if value is not None:
            change["value"] = value  # read in the target's unit once the target is known
        if when is not None:
            try:
                change["period"] = _date(when)
            except (ValueError, TypeError):
                reasons.append(f"填报日期无法识别（{when!r}），请写成 2024-09-25")
        if note is not None:
            change["narrative"] = str(note).strip()
        if (value is not None or note is not None) and when is None:
            reasons.append("填写了进展但缺少填报日期")
        if when is not None and value is None and note is None:
            reasons.append("有填报日期但没有完成值或进展说明")
        if col("牵头单位") is not None:
            change["lead"] = _names(cell("牵头单位"))
            if len(change["lead"]) > 1:
                reasons.append(f"牵头单位只能有一个（{cell('牵头单位')}）")
        if col("责任单位") is not None:
            change["co"] = _names(cell("责任单位"))
        if reasons:
            problems.append((number, "；".join(reasons)))
        elif target_id is not None:
            parsed.append((number, target_id, change))
    ids = [tid for _n, tid, _c in parsed]
    targets: dict[int, Target] = {}
    for part in chunked(ids):
        for t in session.scalars(
            select(Target)
            .options(selectinload(Target.co_departments), selectinload(Target.lead_department))
            .where(Target.id.in_(part))
        ):
            targets[t.id] = t
    for number, tid, change in parsed:
        if tid not in targets:
            problems.append((number, f"ID {tid} 不存在（不是本系统导出的目标）"))
        elif change.get("value") is not None:
            t = targets[tid]
            try:
                change["value"] = parse_figure(
                    change["value"],
                    "本期完成值",
                    t.unit,
                    allow_negative=(t.kind or "count") not in services.NON_NEGATIVE_KINDS,
                )
            except InputError as exc:
                problems.append((number, str(exc)))
    project_updates, project_problems = check_projects(session, project_rows, _number, _date)
    if problems or project_problems:
        raise SheetError(name, sorted(problems) + project_problems)
    result = _apply(session, parsed, targets, actor)
    result.project_progress = apply_projects(session, project_updates, actor)
    return result


def _apply(
    session: Session, parsed: list[tuple[int, int, dict[str, Any]]], targets: dict[int, Target], actor: Actor
) -> SheetImportResult:
    result = SheetImportResult(rows=len(parsed))
    departments = {d.name: d for d in session.scalars(select(Department))}
    current: dict[tuple[int, date], ProgressUpdate] = {}
    superseded = set(
        session.scalars(select(ProgressUpdate.supersedes_id).where(ProgressUpdate.supersedes_id.is_not(None)))
    )
    ids = list(targets)
    for part in chunked(ids):
        for u in session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.target_id.in_(part)).order_by(ProgressUpdate.id)
        ):
            if u.id not in superseded:
                current[(u.target_id, u.period)] = u

    def dept(name: str) -> Department:
        if name not in departments:
            departments[name] = services.get_or_create_department(session, name, actor)
        return departments[name]

    for _number, tid, change in parsed:
        t, changed = targets[tid], False
        if "lead" in change or "co" in change:
            lead = change.get("lead", [t.lead_department.name] if t.lead_department else [])
            co = change.get("co", [d.name for d in t.co_departments])
            now_lead = t.lead_department.name if t.lead_department else None
            wanted_co = {n for n in co if not lead or n != lead[0]}
            if (lead[0] if lead else None) != now_lead or wanted_co != {d.name for d in t.co_departments}:
                services.assign_departments(
                    session, t, dept(lead[0]) if lead else None, [dept(n) for n in co], actor=actor
                )
                result.assignments += 1
                changed = True
        if "period" in change:
            old = current.get((tid, change["period"]))
            value, narrative = change.get("value"), change.get("narrative", "")
            if old is not None and old.reported_value == value and (old.narrative or "") == narrative:
                pass  # the same report again: nothing to add
            else:
                new = services.add_update(
                    session,
                    t,
                    period=change["period"],
                    value=value,
                    narrative=narrative,
                    supersedes=old,
                    actor=actor,
                )
                current[(tid, change["period"])] = new
                if old is None:
                    result.updates += 1
                else:
                    result.corrections += 1
                changed = True
        if changed:
            result.touched.append(tid)
        else:
            result.unchanged += 1
    session.flush()
    return result
