"""Scorecard exports: JSON, CSV, xlsx (openpyxl, imported lazily) and a terminal table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from luoshi.formats.cells import csv_cell, xlsx_cell
from luoshi.glossary import NOT_EVALUATED, NOT_EVALUATED_LABEL, VERDICT_LABELS
from luoshi.review.verdicts import ReviewResult

__all__ = ["COLUMNS", "flat_rows", "to_csv", "to_json", "to_table", "write_xlsx"]

# (key, zh-CN header) of one flat row per target
COLUMNS: tuple[tuple[str, str], ...] = (
    ("no", "序号"),
    ("indicator", "指标"),
    ("target", "目标值"),
    ("target_sentence", "目标原文"),
    ("outcome", "实际"),
    ("outcome_sentence", "结果原文"),
    ("verdict", "判定"),
    ("verdict_label", "判定（中文）"),
    ("ratio", "完成率"),
    ("reason", "理由"),
    ("target_span", "目标位置"),
    ("outcome_span", "结果位置"),
)


def _sentence(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]].strip() if text else ""


def flat_rows(
    results: Sequence[ReviewResult], target_text: str = "", outcome_text: str = ""
) -> list[dict[str, Any]]:
    """One flat dict per target (keys of :data:`COLUMNS`)."""
    rows = []
    for n, r in enumerate(results, 1):
        o = r.outcome
        rows.append(
            {
                "no": n,
                "indicator": r.target.indicator,
                "target": r.target.surface,
                "target_sentence": _sentence(target_text, r.target.sentence),
                "outcome": o.surface if o else "",
                "outcome_sentence": _sentence(outcome_text, o.sentence) if o else "",
                "verdict": r.verdict,
                "verdict_label": NOT_EVALUATED_LABEL
                if r.verdict == NOT_EVALUATED
                else VERDICT_LABELS.get(r.verdict, r.verdict),
                "ratio": None if r.ratio is None else round(r.ratio, 4),
                "reason": r.reason,
                "target_span": f"{r.target.span[0]}-{r.target.span[1]}",
                "outcome_span": f"{o.span[0]}-{o.span[1]}" if o else "",
            }
        )
    return rows


def to_json(results: Sequence[ReviewResult]) -> str:
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a BOM-less UTF-8 header row of zh-CN column names."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([h for _k, h in COLUMNS])
    for row in rows:
        writer.writerow([csv_cell(row[k]) for k, _h in COLUMNS])
    return buf.getvalue()


def write_xlsx(
    rows: Sequence[dict[str, Any]], target: Path | io.BytesIO, title: str = "年度目标完成情况"
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "scorecard"
    ws.append([xlsx_cell(title)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([h for _k, h in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([xlsx_cell(row[k]) for k, _h in COLUMNS])
    for col, width in zip("ABCDEFGHIJKL", (6, 24, 14, 50, 14, 50, 12, 12, 10, 50, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    wb.save(target)


def to_table(rows: Sequence[dict[str, Any]]) -> str:
    """A readable terminal table (rich), rendered to text."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="年度目标完成情况 / year-end review", show_lines=False)
    for head in ("序号", "指标", "目标值", "实际", "判定", "完成率"):
        table.add_column(head)
    for r in rows:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.0%}"
        table.add_row(str(r["no"]), r["indicator"], r["target"], r["outcome"], r["verdict_label"], ratio)
    console = Console(record=True, width=120, file=io.StringIO())
    console.print(table)
    return console.export_text()
