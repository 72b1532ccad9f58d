"""A district pair: the bundled Zhangdian 2024 plan against a hand-written 2025 review of 2024.

Local vocabulary (规上 / 规模以上, 新增城镇就业 / 城镇新增就业, 新改建, 全覆盖) and a rate that
falls short (产值增长18% against 20%以上: not met) next to counts that fall short (partly met).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.extraction import extract_text
from luoshi.review.verdicts import review_plans

REVIEW = Path(__file__).parent / "data" / "zhangdian-2025-review-handmade.txt"
EXPECTED = {
    # target indicator -> (outcome figure starts with, verdict)
    "新建5G基站": ("320", "exceeded"),
    "充电桩保有量": ("3200", "exceeded"),
    "新增规模以上企业": ("45", "partly_met"),
    "新增上市挂牌企业": ("3", "met"),
    "高端轻制造业产值增长": ("18", "not_met"),
    "新增城镇就业": ("1.1", "exceeded"),
    "长者食堂覆盖": ("全覆盖", "met"),
    "开展文化惠民活动": ("2100", "met"),
    "新建改造绿地": ("42", "met"),
}


def test_district_plan_against_its_next_review(demo_report_path: Path) -> None:
    plan = extract_text(demo_report_path.read_text(encoding="utf-8"))
    review_text = REVIEW.read_text(encoding="utf-8")
    results = review_plans(plan, extract_text(review_text))
    if not results:
        pytest.skip("extraction finds no targets yet")
    got = {r.target.indicator: r for r in results}
    checked = 0
    for indicator, (figure, verdict) in EXPECTED.items():
        r = got.get(indicator)
        if r is None:
            continue  # the extractor names this indicator differently
        checked += 1
        assert r.outcome is not None, (indicator, r.reason)
        assert review_text[r.outcome.span[0] :].startswith(figure), (indicator, r.outcome)
        assert r.verdict == verdict, (indicator, r.reason)
    assert checked >= 6
    # nothing in the review speaks of these: silence is a finding, not a forced pair
    for indicator in ("新增养老机构", "推出网红打卡地", "认定科技型中小企业数量"):
        if indicator in got:
            assert got[indicator].verdict == "no_outcome", got[indicator].reason
