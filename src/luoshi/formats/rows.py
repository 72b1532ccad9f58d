"""The analyst's view of a plan: one flat row per target or outcome (shared by csv and xlsx)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from luoshi.extraction.model import Item, Plan

__all__ = ["COLUMNS", "format_number", "item_rows"]

COLUMNS: tuple[str, ...] = (
    "role",
    "start",
    "end",
    "surface",
    "value",
    "value_max",
    "unit",
    "comparator",
    "direction",
    "indicator",
    "deadline",
    "aspirational",
    "basis",
    "basis_start",
    "basis_end",
    "section_heading",
    "sentence_text",
    "source_file",
)


def item_rows(plan: Plan) -> Iterator[dict[str, Any]]:
    """Rows in text order; values stay typed (float, int, bool, None) for the writer to render."""
    text = plan.text
    for item in plan.items():
        yield {
            "role": item.role,
            "start": item.span[0],
            "end": item.span[1],
            "surface": item.surface,
            "value": item.value,
            "value_max": item.value_max,
            "unit": item.unit,
            "comparator": item.comparator,
            "direction": item.direction,
            "indicator": item.indicator,
            "deadline": item.deadline,
            "aspirational": item.aspirational,
            "basis": item.basis.cue if item.basis else None,
            "basis_start": item.basis.span[0] if item.basis else None,
            "basis_end": item.basis.span[1] if item.basis else None,
            "section_heading": _section_heading(plan, item),
            "sentence_text": text[item.sentence[0] : item.sentence[1]].strip(),
            "source_file": plan.document.source,
        }


def _section_heading(plan: Plan, item: Item) -> str | None:
    if item.section is None or not 0 <= item.section < len(plan.sections):
        return None
    return plan.sections[item.section].heading


def format_number(value: float | None) -> str:
    """31240000000.0 -> '31240000000', 6.5 -> '6.5', None -> ''; never scientific for whole numbers."""
    if value is None:
        return ""
    if math.isfinite(value) and value == int(value) and abs(value) < 1e18:
        return str(int(value))
    return repr(value)
