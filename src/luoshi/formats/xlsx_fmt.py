"""Excel workbook for analysts: an ``items`` sheet (one row per item) and a ``documents`` sheet."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from luoshi.extraction.model import Plan
from luoshi.formats.cells import xlsx_cell
from luoshi.formats.rows import COLUMNS, item_rows

__all__ = ["write_xlsx"]

_WIDTHS = {"surface": 16, "indicator": 24, "section_heading": 24, "sentence_text": 60, "source_file": 24}
_DOC_COLUMNS = (
    "source",
    "title",
    "jurisdiction",
    "report_year",
    "plan_year",
    "sha256",
    "targets",
    "outcomes",
)


def write_xlsx(plans: Sequence[Plan], path: Path) -> None:
    """Write a real .xlsx (openpyxl is imported here, never on the json/txt path)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "items"
    ws.append(list(COLUMNS))
    for plan in plans:
        for row in item_rows(plan):
            ws.append([_cell(row[name]) for name in COLUMNS])
    for col, name in enumerate(COLUMNS, start=1):
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(name, 11)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    docs = wb.create_sheet("documents")
    docs.append(list(_DOC_COLUMNS))
    for plan in plans:
        d = plan.document
        docs.append(
            [_cell(v) for v in (d.source, d.title, d.jurisdiction, d.report_year, d.plan_year, d.sha256)]
            + [len(plan.targets), len(plan.outcomes)]
        )
    for col in range(1, len(_DOC_COLUMNS) + 1):
        docs.cell(row=1, column=col).font = Font(bold=True)
    wb.save(str(path))


def _cell(value: Any) -> Any:
    return xlsx_cell(value)
