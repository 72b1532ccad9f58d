"""Small server-rendered SVG charts (no JavaScript, no CDN: they work offline and print well).

Each function returns a :class:`markupsafe.Markup` ``<svg>`` string; every label is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from luoshi.glossary import STATUS_COLOURS
from luoshi.tracking.figures import format_compact, format_value

__all__ = ["STATUS_COLOURS", "bar_chart", "line_chart", "stacked_bar_chart"]


def _fmt(value: float) -> str:
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _strip_common_prefix(labels: list[str]) -> list[str]:
    """Drop a prefix all labels share (e.g. "聚焦聚力…" section headings) so the rest fits."""
    if len(labels) < 2:
        return labels
    prefix = labels[0]
    for label in labels[1:]:
        while not label.startswith(prefix):
            prefix = prefix[:-1]
    if len(prefix) < 2 or any(len(label) - len(prefix) < 2 for label in labels):
        return labels
    return [label[len(prefix) :] for label in labels]


def _nice_step(span: float) -> float:
    raw = span / 4 or 1.0
    mag: float = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a chart's parts go, in SVG units; shown at its own width these are CSS pixels."""

    width: int
    label_w: int  # the labels' column, right-aligned
    clip: int  # characters of a label shown (the whole label is in the bar's tooltip)
    value_w: int  # the column after the bars, for the value


# a wide chart for desktop and tablet; a narrow one of its own for phones, where the wide one,
# scaled to fit, would shrink its 12 px labels to 7 px (style.css shows one or the other)
_WIDE = _Layout(560, 150, 11, 70)
_NARROW = _Layout(360, 104, 7, 52)


def _svg(width: int, height: int, title: str, body: list[str], variant: str = "") -> Markup:
    head = (
        f'<svg class="chart{variant}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _wide_and_narrow(draw: Callable[[_Layout, str], Markup]) -> Markup:
    return draw(_WIDE, " chart-wide") + draw(_NARROW, " chart-narrow")


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    max_value: float | None = None,
    unit: str = "%",
    colour: str = "#2f6db5",
) -> Markup:
    """Horizontal bars, one per (label, value); values past ``max_value`` are capped visually."""
    top = max_value or max((v for _, v in rows), default=1.0) or 1.0
    unit_text = escape(unit)
    # what both layouts show alike, made once: (name, tooltip, value text, share of the bar)
    shown = [
        (
            name,
            f"<title>{escape(label)}: {_fmt(value)}{unit_text}</title>",
            f"{_fmt(value)}{unit_text}",
            value,
        )
        for (label, value), name in zip(rows, _strip_common_prefix([label for label, _ in rows]), strict=True)
    ]

    def draw(layout: _Layout, variant: str) -> Markup:
        label_w, bar_h, gap = layout.label_w, 20, 8
        height = max(len(rows), 1) * (bar_h + gap) + gap
        avail = layout.width - label_w - layout.value_w
        body: list[str] = []
        for i, (name, tip, value_text, value) in enumerate(shown):
            y = gap + i * (bar_h + gap)
            ty = f"{y + bar_h * 0.72:.1f}"
            w = max(0.0, min(value, top)) / top * avail
            body.append(
                f'<text x="{label_w - 8}" y="{ty}" text-anchor="end" class="lbl">'
                f"{escape(_clip(name, layout.clip))}</text>"
                f'<rect x="{label_w}" y="{y}" width="{avail}" height="{bar_h}" fill="#eef1f5" rx="3"/>'
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" rx="3">{tip}</rect>'
                f'<text x="{label_w + avail + 6}" y="{ty}" class="val">{value_text}</text>'
            )
        if not rows:
            body.append(f'<text x="10" y="{height / 2 + 4}" class="lbl">暂无数据</text>')
        return _svg(layout.width, height, title, body, variant)

    return _wide_and_narrow(draw)


def stacked_bar_chart(
    rows: Sequence[tuple[str, dict[str, float]]],
    *,
    title: str,
    keys: Sequence[str],
    colours: dict[str, str],
    labels: dict[str, str] | None = None,
) -> Markup:
    """Horizontal 100% stacked bars: one row per label, segments in ``keys`` order, with a legend."""
    names = labels or {}
    legend_names = [(names.get(key, key), colours.get(key, "#999")) for key in keys]
    # what both layouts show alike, made once: per row its name, total and segments
    # (share of the bar, fill, tooltip)
    shown: list[tuple[str, str, list[tuple[float, str, str]]]] = []
    for (label, parts), name in zip(rows, _strip_common_prefix([label for label, _ in rows]), strict=True):
        total = sum(parts.values())
        segments = [
            (
                n / total,
                colours.get(key, "#999"),
                f"<title>{escape(label)} · {escape(names.get(key, key))}: {_fmt(n)}</title>",
            )
            for key in keys
            if (n := parts.get(key, 0)) and total
        ]
        shown.append((name, _fmt(total), segments))

    def draw(layout: _Layout, variant: str) -> Markup:
        label_w, bar_h, gap, line_h = layout.label_w, 20, 8, 20
        avail = layout.width - label_w - 40
        body: list[str] = []
        x, y = 0.0, 4
        for name, fill in legend_names:  # wrapped onto a new line where the next entry would not fit
            step = 24 + 13 * len(name)
            if x and x + step - 12 > layout.width:
                x, y = 0.0, y + line_h
            body.append(
                f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{fill}" rx="2"/>'
                f'<text x="{x + 16:.0f}" y="{y + 10}" class="lbl">{escape(name)}</text>'
            )
            x += step
        legend_h = y + line_h + 2
        height = legend_h + max(len(rows), 1) * (bar_h + gap) + gap
        for i, (name, total_text, segments) in enumerate(shown):
            y = legend_h + gap + i * (bar_h + gap)
            ty = f"{y + bar_h * 0.72:.1f}"
            body.append(
                f'<text x="{label_w - 8}" y="{ty}" text-anchor="end" class="lbl">'
                f"{escape(_clip(name, layout.clip))}</text>"
                f'<rect x="{label_w}" y="{y}" width="{avail}" height="{bar_h}" fill="#eef1f5" rx="3"/>'
            )
            cx = float(label_w)
            for share, fill, tip in segments:
                w = share * avail
                body.append(
                    f'<rect x="{cx:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}">{tip}</rect>'
                )
                cx += w
            body.append(f'<text x="{label_w + avail + 6}" y="{ty}" class="val">{total_text}</text>')
        return _svg(layout.width, height, title, body, variant)

    return _wide_and_narrow(draw)


def line_chart(
    points: Sequence[tuple[date, float]],
    *,
    title: str,
    start: date,
    end: date,
    target: float | None = None,
    pace: Sequence[tuple[date, float]] = (),
    unit: str = "",
) -> Markup:
    """Reported values over the period, the target level, and the 序时进度 pace line (two points)."""
    return _wide_and_narrow(
        lambda layout, variant: _line_chart(
            points, title, start, end, target, pace, unit, layout.width, 260, variant
        )
    )


def _line_chart(
    points: Sequence[tuple[date, float]],
    title: str,
    start: date,
    end: date,
    target: float | None,
    pace: Sequence[tuple[date, float]],
    unit: str,
    width: int,
    height: int,
    variant: str,
) -> Markup:
    left, right, top_pad, bottom = 56, 16, 16, 48
    span_days = max((end - start).days, 1)
    values = [v for _, v in points] + [v for _, v in pace] + ([target] if target is not None else [])
    if not values:
        values = [0.0, 1.0]
    lo, hi = min(values), max(values)
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) * 0.08
    # Start at zero for counts that start near zero; otherwise leave a margin below; round to nice ticks.
    lo = 0.0 if 0 <= lo < hi * 0.5 else lo - pad
    step = _nice_step(hi + pad - lo)
    lo = math.floor(lo / step) * step
    hi = math.ceil((hi + pad) / step) * step
    plot_w, plot_h = width - left - right, height - top_pad - bottom

    def px(d: date) -> float:
        return left + max(0.0, min(1.0, (d - start).days / span_days)) * plot_w

    def py(v: float) -> float:
        return top_pad + (1 - (v - lo) / (hi - lo)) * plot_h

    body = [
        f'<rect x="{left}" y="{top_pad}" width="{plot_w}" height="{plot_h}" fill="#fafbfc" stroke="#dde2e8"/>'
    ]
    for k in range(int(round((hi - lo) / step)) + 1):  # y grid
        v = lo + step * k
        y = py(v)
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e8ebef"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="val">{escape(format_compact(v))}</text>'
        )
    for month in range(start.month, 13 if end.year > start.year else end.month + 1, 3):  # x ticks
        d = date(start.year, month, 1)
        body.append(
            f'<text x="{px(d):.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" class="val">{month}月</text>'
        )
    if target is not None:
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{py(target):.1f}" y2="{py(target):.1f}" '
            f'stroke="#1b7f3b" stroke-dasharray="2 3"/>'
            f'<text x="{left + plot_w - 4}" y="{py(target) - 4:.1f}" text-anchor="end" class="val">'
            f"目标 {escape(format_value(target, unit))}</text>"
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
                f"<title>{d.isoformat()}: {escape(format_value(v, unit))}</title></circle>"
            )
    else:
        body.append(f'<text x="{left + 12}" y="{top_pad + 24}" class="lbl">尚无已复核的进展</text>')
    ly = height - 10
    body.append(
        f'<g class="legend"><line x1="{left + 8}" x2="{left + 28}" y1="{ly - 4}" y2="{ly - 4}" '
        f'stroke="#2f6db5" stroke-width="2.5"/><text x="{left + 32}" y="{ly}" class="lbl">已复核的填报值</text>'
        f'<line x1="{left + 140}" x2="{left + 160}" y1="{ly - 4}" y2="{ly - 4}" stroke="#e3a21a" '
        f'stroke-width="2" stroke-dasharray="6 4"/><text x="{left + 164}" y="{ly}" class="lbl">序时进度</text>'
        f'<line x1="{left + 240}" x2="{left + 260}" y1="{ly - 4}" y2="{ly - 4}" stroke="#1b7f3b" '
        f'stroke-dasharray="2 3"/><text x="{left + 264}" y="{ly}" class="lbl">目标</text></g>'
    )
    return _svg(width, height, title, body, variant)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
