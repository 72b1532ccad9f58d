"""The invariants every extraction result must satisfy, whatever the input."""

from __future__ import annotations

import math

from luoshi.extraction.model import Plan

__all__ = ["check_invariants"]


def check_invariants(plan: Plan, text: str) -> None:
    """What must hold for any input: spans inside the text, finite values, items in sentences."""
    n = len(text)
    assert plan.text == text
    for item in (*plan.targets, *plan.outcomes):
        start, end = item.span
        assert 0 <= start < end <= n, item
        s_start, s_end = item.sentence
        assert 0 <= s_start <= start and end <= s_end <= n, item
        assert math.isfinite(item.value), item
        assert item.value_max is None or math.isfinite(item.value_max), item
        assert item.role in ("target", "outcome")
        assert item.comparator in (">=", "<=", "~", "=", "range")
        assert item.section is None or 0 <= item.section < len(plan.sections), item
    for section in plan.sections:
        assert 0 <= section.span[0] <= section.span[1] <= n, section
    for project in plan.projects:
        assert 0 <= project.span[0] < project.span[1] <= n, project
        assert project.investment is None or math.isfinite(project.investment)
    for count in plan.project_counts:
        assert 0 <= count.span[0] < count.span[1] <= n, count
    plan.to_dict()  # serialisable
