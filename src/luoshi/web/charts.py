"""Small server-rendered SVG charts (no JavaScript, no CDN: they work offline and print well).

Each function returns a :class:`markupsafe.Markup` ``<svg>`` string; every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

__all__ = ["STATUS_COLOURS", "bar_chart", "line_chart", "stacked_bar_chart"]

# Traffic-light colours of the status vocabulary (红黄绿灯).
STATUS_COLOURS: dict[str, str] = {
    "done": "#1b7f3b",
    "ahead": "#2e9d57",
    "on_pace": "#7cc48a",
    "behind": "#e3a21a",
    "far_behind": "#d0392b",
    "overdue": "#8e1b12",
    "no_report": "#a0a7b0",
}


def _fmt(value: float) -> str:
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    max_value: float | None = None,
    unit: str = "%",
    colour: str = "#2f6db5",
    width: int = 560,
) -> Markup:
    """Horizontal bars, one per (label, value); values past ``max_value`` are capped visually."""
    label_w, bar_h, gap = 150, 20, 8
    height = max(len(rows), 1) * (bar_h + gap) + gap
    top = max_value or max((v for _, v in rows), default=1.0) or 1.0
    avail = width - label_w - 70
    body: list[str] = []
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(0.0, min(value, top)) / top * avail
        body.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" class="lbl">'
            f"{escape(_clip(label, 11))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{avail}" height="{bar_h}" fill="#eef1f5" rx="3"/>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" rx="3">'
            f"<title>{escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>"
            f'<text x="{label_w + avail + 6}" y="{y + bar_h * 0.72:.1f}" class="val">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    if not rows:
        body.append(f'<text x="10" y="{height / 2 + 4}" class="lbl">暂无数据</text>')
    return _svg(width, height, title, body)


def stacked_bar_chart(
    rows: Sequence[tuple[str, dict[str, float]]],
    *,
    title: str,
    keys: Sequence[str],
    colours: dict[str, str],
    labels: dict[str, str] | None = None,
    width: int = 560,
) -> Markup:
    """Horizontal 100% stacked bars: one row per label, segments in ``keys`` order, with a legend."""
    label_w, bar_h, gap, legend_h = 150, 20, 8, 26
    height = legend_h + max(len(rows), 1) * (bar_h + gap) + gap
    avail = width - label_w - 40
    labels = labels or {}
    body: list[str] = []
    x = 0.0
    for key in keys:  # legend
        name = labels.get(key, key)
        body.append(
            f'<rect x="{x:.0f}" y="4" width="12" height="12" fill="{colours.get(key, "#999")}" rx="2"/>'
            f'<text x="{x + 16:.0f}" y="14" class="lbl">{escape(name)}</text>'
        )
        x += 24 + 13 * len(name)
    for i, (label, parts) in enumerate(rows):
        y = legend_h + gap + i * (bar_h + gap)
        total = sum(parts.values())
        body.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" class="lbl">'
            f"{escape(_clip(label, 11))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{avail}" height="{bar_h}" fill="#eef1f5" rx="3"/>'
        )
        cx = float(label_w)
        for key in keys:
            n = parts.get(key, 0)
            if not n or not total:
                continue
            w = n / total * avail
            body.append(
                f'<rect x="{cx:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colours.get(key, "#999")}">'
                f"<title>{escape(label)} · {escape(labels.get(key, key))}: {_fmt(n)}</title></rect>"
            )
            cx += w
        body.append(f'<text x="{label_w + avail + 6}" y="{y + bar_h * 0.72:.1f}" class="val">{_fmt(total)}</text>')
    return _svg(width, height, title, body)


def line_chart(
    points: Sequence[tuple[date, float]],
    *,
    title: str,
    start: date,
    end: date,
    target: float | None = None,
    pace: Sequence[tuple[date, float]] = (),
    unit: str = "",
    width: int = 560,
    height: int = 240,
) -> Markup:
    """Reported values over the period, the target level, and the 序时进度 pace line (two points)."""
    left, right, top_pad, bottom = 56, 16, 16, 30
    span_days = max((end - start).days, 1)
    values = [v for _, v in points] + [v for _, v in pace] + ([target] if target is not None else [])
    if not values:
        values = [0.0, 1.0]
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) * 0.08
    # Start at zero for counts that start near zero; otherwise leave a margin below.
    lo = 0.0 if 0 <= lo < hi * 0.5 else lo - pad
    hi = hi + pad
    plot_w, plot_h = width - left - right, height - top_pad - bottom

    def px(d: date) -> float:
        return left + max(0.0, min(1.0, (d - start).days / span_days)) * plot_w

    def py(v: float) -> float:
        return top_pad + (1 - (v - lo) / (hi - lo)) * plot_h

    body = [f'<rect x="{left}" y="{top_pad}" width="{plot_w}" height="{plot_h}" fill="#fafbfc" stroke="#dde2e8"/>']
    for k in range(5):  # y grid
        v = lo + (hi - lo) * k / 4
        y = py(v)
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e8ebef"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="val">{_fmt(v)}</text>'
        )
    for month in range(start.month, 13 if end.year > start.year else end.month + 1, 3):  # x ticks
        d = date(start.year, month, 1)
        body.append(f'<text x="{px(d):.1f}" y="{height - 10}" text-anchor="middle" class="val">{month}月</text>')
    if target is not None:
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{py(target):.1f}" y2="{py(target):.1f}" '
            f'stroke="#1b7f3b" stroke-dasharray="2 3"/>'
            f'<text x="{left + plot_w - 4}" y="{py(target) - 4:.1f}" text-anchor="end" class="val">'
            f"目标 {_fmt(target)}{escape(unit)}</text>"
        )
    if len(pace) >= 2 and pace[0][1] != pace[-1][1]:
        (d0, v0), (d1, v1) = pace[0], pace[-1]
        body.append(
            f'<line x1="{px(d0):.1f}" y1="{py(v0):.1f}" x2="{px(d1):.1f}" y2="{py(v1):.1f}" '
            f'stroke="#e3a21a" stroke-width="2" stroke-dasharray="6 4"><title>序时进度</title></line>'
        )
    if points:
        path = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="#2f6db5" stroke-width="2.5"/>')
        for d, v in points:
            body.append(
                f'<circle cx="{px(d):.1f}" cy="{py(v):.1f}" r="4" fill="#2f6db5">'
                f"<title>{d.isoformat()}: {_fmt(v)}{escape(unit)}</title></circle>"
            )
    else:
        body.append(f'<text x="{left + 12}" y="{top_pad + 24}" class="lbl">尚无已复核的进展</text>')
    body.append(
        f'<g class="legend"><line x1="{left + 8}" x2="{left + 28}" y1="{top_pad + 10}" y2="{top_pad + 10}" '
        f'stroke="#2f6db5" stroke-width="2.5"/><text x="{left + 32}" y="{top_pad + 14}" class="lbl">填报值</text>'
        f'<line x1="{left + 90}" x2="{left + 110}" y1="{top_pad + 10}" y2="{top_pad + 10}" stroke="#e3a21a" '
        f'stroke-width="2" stroke-dasharray="6 4"/><text x="{left + 114}" y="{top_pad + 14}" class="lbl">序时进度</text></g>'
    )
    return _svg(width, height, title, body)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
