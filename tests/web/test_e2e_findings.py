"""Bugs the office's month in the browser (tests/e2e) turned up, each pinned by a focused test."""

from __future__ import annotations

import re
from typing import Any


def test_targets_page_title_is_text_only(clients) -> None:  # noqa: ANN001
    # the bulk script once sat inside {% block title %}: the tab read "目标<script src=…>"
    c, _ = clients
    for role in ("admin", "viewer"):
        page = c[role].get("/targets").text
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)  # type: ignore[union-attr]
        assert title.strip() == "目标 · 落实", title
        assert page.count('<script src="/static/bulk.js">') == 1


def test_department_chart_with_nothing_due_starts_at_zero(monkeypatch) -> None:  # noqa: ANN001
    # early in a month no report has fallen due: the axis was ±0.05 with negative ticks
    from luoshi.supervision import charts

    seen: list[Any] = []
    monkeypatch.setattr(charts, "_png", lambda fig: seen.append(fig) or b"")
    charts.department_chart(["区发改局", "区工信局"], [0, 0], [0, 0], [0, 0])
    assert seen[0].axes[0].get_xlim() == (0.0, 1.0)
    charts.department_chart(["区发改局"], [2], [1], [1])
    low, high = seen[1].axes[0].get_xlim()
    assert low == 0.0 and 4.0 <= high <= 4.5
