"""The SVG charts: each comes laid out twice, for wide screens and for phones (style.css shows one),
with the same bars and values, escaped labels, and nothing drawn outside its own width."""

from __future__ import annotations

import re
from datetime import date

from luoshi.web.charts import bar_chart, line_chart, stacked_bar_chart

ROWS = [("聚焦实体经济<b>高质量</b>发展", 82.5), ("民生", 40.0), ("城市更新和乡村振兴全面推进", 100.0)]


def _svgs(markup: str) -> dict[str, str]:
    found = re.findall(r'<svg class="chart (chart-\w+)" viewBox="0 0 (\d+) (\d+)"(.*?)</svg>', markup, re.S)
    assert len(found) == 2, markup[:300]
    return {variant: body for variant, _w, _h, body in found} | {
        f"{variant}-width": width for variant, width, _h, _b in found
    }


def _xs(body: str) -> list[float]:
    """The right edge of every bar and the start of every text (the labels end at their x)."""
    edges = [
        float(x) + float(w) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', body)
    ]
    return edges + [float(x) for x in re.findall(r'<text x="([\d.]+)"', body)]


def test_bar_chart_comes_wide_and_narrow_with_the_same_bars() -> None:
    svgs = _svgs(bar_chart(ROWS, title="各领域落实率", max_value=100))
    assert (svgs["chart-wide-width"], svgs["chart-narrow-width"]) == ("560", "360")
    for variant in ("chart-wide", "chart-narrow"):
        body = svgs[variant]
        assert "<b>" not in body and "&lt;b&gt;" in body  # labels are escaped
        assert re.findall(r'class="val">([^<]+)<', body) == ["82.5%", "40%", "100%"]
        # the value column and the bars stay inside the chart's own width
        assert max(_xs(body)) < int(svgs[f"{variant}-width"]) - 20
    labels = re.findall(r'class="lbl">([^<]+)<', svgs["chart-narrow"])
    assert all(len(label) <= 7 for label in labels) and labels[1] == "民生"
    assert "城市更新和乡村振兴全面推进" in svgs["chart-narrow"]  # whole in the tooltip


def test_stacked_chart_legend_wraps_inside_the_narrow_width() -> None:
    keys = ["done", "ahead", "on_pace", "behind", "at_risk", "no_data"]
    names = {"done": "已完成", "ahead": "超前", "on_pace": "正常推进", "behind": "滞后",
             "at_risk": "严重滞后", "no_data": "尚无进展"}  # fmt: skip
    rows = [("经济发展", {"done": 3, "behind": 1}), ("社会民生", {"on_pace": 2, "no_data": 2})]
    svgs = _svgs(stacked_bar_chart(rows, title="各领域目标状态", keys=keys, colours={}, labels=names))
    for variant in ("chart-wide", "chart-narrow"):
        body = svgs[variant]
        width = int(svgs[f"{variant}-width"])
        legend = _legend(body, names)
        assert [name for *_, name in legend] == list(names.values())
        # each entry ends inside the chart (13 units a character at 12 px)
        assert all(x + 13 * len(name) <= width for x, _, name in legend)
    narrow_rows = {y for _, y, _ in _legend(svgs["chart-narrow"], names)}
    assert len(narrow_rows) == 2  # wrapped onto a second line
    assert len({y for _, y, _ in _legend(svgs["chart-wide"], names)}) == 1


def _legend(body: str, names: dict[str, str]) -> list[tuple[float, float, str]]:
    found = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" class="lbl">([^<]+)</text>', body)
    return [(float(x), float(y), n) for x, y, n in found if n in names.values()]


def test_line_chart_comes_wide_and_narrow() -> None:
    points = [(date(2024, 3, 31), 20.0), (date(2024, 6, 30), 45.0)]
    markup = line_chart(
        points, title="进展", start=date(2024, 1, 1), end=date(2024, 12, 31), target=100, unit="%"
    )
    svgs = _svgs(markup)
    for variant in ("chart-wide", "chart-narrow"):
        body = svgs[variant]
        assert body.count("<circle") == 2 and "目标 100%" in body
        assert max(_xs(body)) <= int(svgs[f"{variant}-width"])
