"""A readable terminal table of one plan (rich)."""

from __future__ import annotations

from typing import Any

from luoshi.extraction.model import Plan
from luoshi.formats.rows import format_number

__all__ = ["render_table"]


def render_table(plan: Plan, console: Any) -> None:
    """Print the plan's items, in text order, to a rich Console."""
    from rich.table import Table

    doc = plan.document
    title_bits = [b for b in (doc.source, doc.title, doc.jurisdiction) if b]
    years = "/".join(str(y) for y in (doc.report_year, doc.plan_year) if y)
    title = " · ".join(title_bits + ([years] if years else [])) or "(text)"
    table = Table(
        title=f"{title}  —  {len(plan.targets)} targets, {len(plan.outcomes)} outcomes",
        show_lines=False,
        expand=False,
    )
    for name, justify in (
        ("role", "left"),
        ("figure", "left"),
        ("value", "right"),
        ("unit", "left"),
        ("comparator", "center"),
        ("indicator", "left"),
        ("deadline", "right"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for item in plan.items():
        value = _readable(item.value)
        if item.value_max is not None:
            value += "–" + _readable(item.value_max)
        table.add_row(
            item.role + ("*" if item.aspirational else ""),
            item.surface,
            value,
            item.unit,
            item.comparator,
            item.indicator,
            str(item.deadline) if item.deadline is not None else "",
        )
    if any(item.aspirational for item in plan.items()):
        table.caption = "* aspirational (力争, 努力)"
    console.print(table)


def _readable(value: float) -> str:
    """Thousands separators for big whole numbers (31,240,000,000), as written otherwise."""
    text = format_number(value)
    return f"{int(text):,}" if text.lstrip("-").isdigit() and abs(value) >= 10_000 else text
