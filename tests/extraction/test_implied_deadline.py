"""A news summary that never names its plan year still dates its targets: "2023年，…" reviews a
year, "新的一年，…" plans the next one, so targets fall due at the end of that next year."""

from __future__ import annotations

from luoshi.extraction import extract_text

TEXT = (
    "某区两会召开\n\n"
    "2023年，某区地区生产总值增长5.8%。\n\n"
    "新的一年，某区将新建5G基站300座以上。两年内建成公园10处。\n"
)


def test_deadline_from_implied_plan_year() -> None:
    plan = extract_text(TEXT)
    assert plan.document.plan_year is None  # not stated, so not claimed as a fact
    by_indicator = {t.indicator: t.deadline for t in plan.targets}
    assert by_indicator.get("新建5G基站") == 2024, plan.targets
    assert 2025 in by_indicator.values(), plan.targets  # 两年内 counts from the implied year
