"""How a target list paged on the server orders its lines: ``?sort=KEY&dir=desc`` (the targets list
and the public scorecard). A paged table sorts here, before it is cut into pages: sorting in the
browser (static/sort.js) would sort one page only. Its headers are links (the ``th`` macro of
templates/_sort.html), which sort.js leaves alone."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from luoshi.tracking.queries import TargetLine

__all__ = ["SORT_KEYS", "sorted_lines"]

# status sorts by severity: the most urgent first
_SEVERITY = {
    code: i
    for i, code in enumerate(("overdue", "far_behind", "behind", "no_report", "on_pace", "ahead", "done"))
}
SORT_KEYS: dict[str, Callable[[TargetLine], Any]] = {
    "id": lambda x: x.row.id,
    "title": lambda x: x.row.indicator or x.row.title or "",
    "area": lambda x: x.row.area_position if x.row.area_position is not None else 10**6,
    "target": lambda x: x.row.target_value if x.row.target_value is not None else float("-inf"),
    "dept": lambda x: x.row.lead_name if x.row.lead_name is not None else "\uffff",
    "deadline": lambda x: x.row.deadline or date.max,
    "latest": lambda x: (
        x.status.latest.value if x.status.latest and x.status.latest.value is not None else float("-inf")
    ),
    "status": lambda x: _SEVERITY.get(x.code, 99),
}


def sorted_lines(
    lines: Sequence[TargetLine], params: Mapping[str, str]
) -> tuple[Sequence[TargetLine], dict[str, Any]]:
    """``lines`` in the order ``params`` ask for (``sort``, ``dir``; an unknown key keeps the report's
    order), and what the ``th`` macro reads: ``sort`` (the key or None) and ``desc``."""
    key = params.get("sort")
    desc = params.get("dir") == "desc"
    if key not in SORT_KEYS:
        return lines, {"sort": None, "desc": desc}
    return sorted(lines, key=SORT_KEYS[key], reverse=desc), {"sort": key, "desc": desc}
