"""PNG charts for the 通报 (embedded in the Word document and the print page): matplotlib, Agg.

matplotlib is imported here only, when a chart is drawn. Chinese labels need a CJK font: the
first Noto/Source Han/WenQuanYi CJK font found on the system is used (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from luoshi.glossary import STATUS_COLOURS, STATUS_LABELS

__all__ = ["department_chart", "status_chart"]

_CJK_HINTS = ("NotoSansCJK", "NotoSerifCJK", "SourceHanSans", "wqy", "DroidSansFallback", "SimHei", "msyh")


@lru_cache(maxsize=1)
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    families = []
    for path in sorted(font_manager.findSystemFonts()):
        if any(h.lower() in path.lower() for h in _CJK_HINTS):
            try:
                font_manager.fontManager.addfont(path)
                families.append(font_manager.FontProperties(fname=path).get_name())
            except (OSError, RuntimeError, ValueError):
                continue
    if families:
        seen = list(dict.fromkeys(families))
        preferred = [f for f in seen if "SC" in f] or seen
        matplotlib.rcParams["font.sans-serif"] = [*preferred[:2], "DejaVu Sans"]
        matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return plt


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    _pyplot().close(fig)
    return buf.getvalue()


def status_chart(totals: dict[str, int], title: str = "目标状态分布") -> bytes:
    """Horizontal bars: number of targets per status (in the status vocabulary's order)."""
    plt = _pyplot()
    codes = [c for c in STATUS_LABELS if totals.get(c)] or list(STATUS_LABELS)
    values = [totals.get(c, 0) for c in codes]
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(codes) + 1.0))
    bars = ax.barh([STATUS_LABELS[c] for c in codes], values, color=[STATUS_COLOURS[c] for c in codes])
    ax.invert_yaxis()
    ax.bar_label(bars, padding=3)
    ax.set_xlabel("目标数")
    ax.xaxis.set_major_locator(_integer_ticks())
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def department_chart(
    names: Sequence[str],
    on_time: Sequence[int],
    late: Sequence[int],
    missing: Sequence[int],
    title: str = "各单位进展报送情况",
) -> bytes:
    """Stacked horizontal bars per department: 按时报送 / 逾期报送 / 未报送."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * max(1, len(names)) + 1.2))
    left = [0] * len(names)
    for values, label, colour in (
        (on_time, "按时报送", "#2e9d57"),
        (late, "逾期报送", "#e3a21a"),
        (missing, "未报送", "#d0392b"),
    ):
        ax.barh(list(names), list(values), left=left, label=label, color=colour)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    top = max(left, default=0)
    ax.set_xlim(0, top * 1.05 if top else 1)  # nothing due yet: an empty 0..1 axis, not ±0.05
    ax.set_xlabel("应报次数")
    ax.xaxis.set_major_locator(_integer_ticks())
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
