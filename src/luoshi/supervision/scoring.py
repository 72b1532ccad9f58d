"""考核打分: a department score computed from a rule that is DATA (a TOML file), not code.

Interface::

    load_rule(settings) -> ScoreRule          # settings.scoring_rules, else luoshi/data/scoring.toml
    score_period(session, settings, jurisdiction, year, month=None, rule=None) -> Scoreboard
    scoreboard_xlsx(board) -> bytes           # sheets 考核排名, 计分明细, 计分规则 (openpyxl, imported here)

The measures come from luoshi.supervision.records (the same record as the monthly 通报); the rule
file's comments document every key. A bad rule file is an InputError naming the file and the problem.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from luoshi.errors import InputError
from luoshi.settings import Settings
from luoshi.supervision.records import DepartmentRecord, PeriodRecord, period_bounds, period_record
from luoshi.tracking.queries import find_report

__all__ = [
    "METRICS",
    "ItemScore",
    "RuleItem",
    "ScoreRow",
    "ScoreRule",
    "Scoreboard",
    "load_rule",
    "score_period",
    "scoreboard_xlsx",
]

METRICS: dict[str, str] = {
    "on_time": "按时报送率：按时报送次数 ÷ 应报次数",
    "on_pace": "达进度或完成占比：状态为已完成、超进度或达进度的牵头目标 ÷ 牵头目标数",
    "first_pass": "复核一次通过率：首次复核即通过的进展 ÷ 经过复核的进展",
    "open_orders": "未办结督办单：期末仍未办结的督办单件数，每件扣分",
}


@dataclass(frozen=True)
class RuleItem:
    metric: str
    label: str
    weight: float
    if_none: str = "full"
    per_order: float = 0.0

    def explain(self) -> str:
        if self.metric == "open_orders":
            return f"{self.label}（{self.weight:g}分）：无未办结督办单得满分，每件扣{self.per_order:g}分，扣完为止。"
        none = "得满分" if self.if_none == "full" else "得0分"
        formula = METRICS[self.metric].split("：", 1)[1]
        return f"{self.label}（{self.weight:g}分）：{formula}，乘以{self.weight:g}分；无可计数据时{none}。"


@dataclass(frozen=True)
class ScoreRule:
    name: str
    description: str
    items: tuple[RuleItem, ...]
    source: str

    @property
    def full_marks(self) -> float:
        return sum(i.weight for i in self.items)


def _parse_rule(data: dict[str, Any], source: str) -> ScoreRule:
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise InputError(f"{source}: 计分规则没有任何 [[items]]")
    parsed = []
    for n, raw in enumerate(items, start=1):
        if not isinstance(raw, dict):
            raise InputError(f"{source}: 第{n}项不是表")
        metric = raw.get("metric")
        if metric not in METRICS:
            raise InputError(f"{source}: 第{n}项的 metric {metric!r} 未知，应为 {', '.join(METRICS)} 之一")
        try:
            weight = float(raw.get("weight", 0))
            per_order = float(raw.get("per_order", 0))
        except (TypeError, ValueError) as exc:
            raise InputError(f"{source}: 第{n}项的 weight/per_order 不是数字") from exc
        if weight <= 0:
            raise InputError(f"{source}: 第{n}项的 weight 应大于0")
        if_none = str(raw.get("if_none", "full"))
        if if_none not in ("full", "zero"):
            raise InputError(f"{source}: 第{n}项的 if_none 应为 full 或 zero")
        if metric == "open_orders" and per_order <= 0:
            raise InputError(f"{source}: 第{n}项（open_orders）需要大于0的 per_order")
        parsed.append(RuleItem(metric, str(raw.get("label") or metric), weight, if_none, per_order))
    return ScoreRule(
        str(data.get("name") or "考核计分办法"), str(data.get("description") or ""), tuple(parsed), source
    )


def load_rule(settings: Settings) -> ScoreRule:
    if settings.scoring_rules:
        path = Path(settings.scoring_rules)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: 无法读取计分规则文件（{exc.strerror or exc}）") from exc
        source = str(path)
    else:
        text = (files("luoshi") / "data" / "scoring.toml").read_text(encoding="utf-8")
        source = "luoshi/data/scoring.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: 计分规则不是有效的 TOML：{exc}") from exc
    return _parse_rule(data, source)


@dataclass(frozen=True)
class ItemScore:
    label: str
    data: str  # what was counted, in words
    points: float
    weight: float


@dataclass
class ScoreRow:
    rank: int
    department: str
    total: float
    items: list[ItemScore] = field(default_factory=list)


@dataclass
class Scoreboard:
    rule: ScoreRule
    record: PeriodRecord
    rows: list[ScoreRow]
    period_label: str


def _item(item: RuleItem, d: DepartmentRecord) -> ItemScore:
    if item.metric == "open_orders":
        points = max(0.0, item.weight - item.per_order * d.open_orders)
        return ItemScore(item.label, f"未办结督办单{d.open_orders}件", points, item.weight)
    rate, data = {
        "on_time": (d.on_time_rate, f"应报{d.due}次，按时{d.on_time}次（逾期{d.late}，未报{d.missing}）"),
        "on_pace": (d.on_pace_rate, f"牵头目标{d.targets}项，达进度或完成{d.on_pace}项"),
        "first_pass": (d.first_pass_rate, f"经复核{d.checked}次，一次通过{d.first_pass}次"),
    }[item.metric]
    if rate is None:
        points = item.weight if item.if_none == "full" else 0.0
        data += "（无可计数据）"
    else:
        points = item.weight * rate
        data += f"，{rate * 100:.0f}%"
    return ItemScore(item.label, data, points, item.weight)


def score_period(
    session: Session,
    settings: Settings,
    jurisdiction: str,
    year: int,
    month: str | None = None,
    rule: ScoreRule | None = None,
) -> Scoreboard:
    rule = rule or load_rule(settings)
    report = find_report(session, jurisdiction, year)
    start, end = period_bounds(year, month)
    record = period_record(session, settings, report, start, end)
    rows = []
    for d in record.departments:
        if d.department_id is None:
            continue  # targets without a lead department are nobody's score
        items = [_item(i, d) for i in rule.items]
        rows.append(ScoreRow(0, d.name, round(sum(i.points for i in items), 1), items))
    rows.sort(key=lambda r: (-r.total, r.department))
    for n, row in enumerate(rows):
        row.rank = rows[n - 1].rank if n and rows[n - 1].total == row.total else n + 1
    label = f"{start.year}年{start.month}月" if month else f"{year}年（截至{record.as_of.isoformat()}）"
    return Scoreboard(rule, record, rows, label)


def scoreboard_xlsx(board: Scoreboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "考核排名"
    ws.append([f"{board.record.jurisdiction}考核排名 {board.period_label}（{board.rule.name}）"])
    ws.append(["排名", "单位", "总分", *[f"{i.label}（{i.weight:g}分）" for i in board.rule.items]])
    for row in board.rows:
        ws.append([row.rank, row.department, row.total, *[round(i.points, 1) for i in row.items]])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    detail = wb.create_sheet("计分明细")
    detail.append(["单位", "计分项", "计分依据", "得分", "满分"])
    for row in board.rows:
        for i in row.items:
            detail.append([row.department, i.label, i.data, round(i.points, 1), i.weight])
    rules = wb.create_sheet("计分规则")
    rules.append([board.rule.name])
    rules.append([board.rule.description])
    for item in board.rule.items:
        rules.append([item.explain()])
    rules.append([f"规则文件：{board.rule.source}；数据截至{board.record.as_of.isoformat()}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
