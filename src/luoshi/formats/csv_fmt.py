"""CSV for analysts: one row per item, with a UTF-8 BOM so Excel shows Chinese correctly."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from luoshi.extraction.model import Plan
from luoshi.formats.cells import safe_text
from luoshi.formats.rows import COLUMNS, format_number, item_rows

__all__ = ["render_csv", "write_csv"]


def render_csv(plans: Sequence[Plan], *, header: bool = True) -> str:
    """All items of all plans as CSV text (no BOM)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(COLUMNS)
    for plan in plans:
        for row in item_rows(plan):
            writer.writerow([_cell(row[name]) for name in COLUMNS])
    return out.getvalue()


def write_csv(plans: Sequence[Plan], stream: Any, *, bom: bool = True) -> None:
    """Write CSV bytes to a binary stream."""
    if bom:
        stream.write(b"\xef\xbb\xbf")
    stream.write(render_csv(plans).encode("utf-8"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_number(value)
    return safe_text(str(value))
