"""Infer a target's kind (count|rate|level|binary|milestone) from its extracted figure. Pure."""

from __future__ import annotations

__all__ = ["KINDS", "RATE_WORDS", "infer_kind"]

KINDS = ("count", "rate", "level", "binary", "milestone")

# Words that make a percentage a change (growth rate) rather than a level reached.
RATE_WORDS = ("增长", "增速", "增幅", "下降", "降低", "减少", "提高", "提升", "上涨", "涨幅", "回落")
# Words that make a percentage a level (a share or ratio reached) even when a rate word is near.
LEVEL_WORDS = ("率达到", "率达", "比重", "占比", "覆盖率", "达到", "保持在", "控制在", "以内")
PERCENT_UNITS = ("%", "％", "百分点", "个百分点")


def infer_kind(value: float | None, unit: str, comparator: str, indicator: str, surface: str = "") -> str:
    """``count`` for amounts, ``rate`` for growth rates, ``level`` for shares reached; no value: milestone."""
    if value is None:
        return "milestone"
    words = f"{indicator}{surface}"
    if unit in PERCENT_UNITS or unit.endswith("%"):
        if comparator == "<=":
            return "level"
        if "百分点" in unit:
            return "rate"
        if any(w in surface for w in LEVEL_WORDS):
            return "level"
        if any(w in words for w in RATE_WORDS):
            return "rate"
        return "level"
    if comparator == "<=":
        return "level"
    return "count"
