"""Pairing on hand-made targets and outcomes with paraphrased indicators."""

from __future__ import annotations

import pytest

from luoshi.review.matching import indicator_similarity, match_items, unit_factor
from luoshi.review.verdicts import review_items
from tests.review.helpers import item, outcome


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("城镇新增就业", "新增城镇就业"),
        ("国内生产总值增长", "经济增长"),
        ("单位GDP能耗下降", "单位国内生产总值能耗降低"),
        ("居民消费价格涨幅", "CPI上涨"),
        ("GDP增长", "地区生产总值增长"),
        ("居民人均可支配收入增长", "城乡居民收入增长"),
        ("规模以上工业增加值增长", "规上工业增加值增长"),
        ("社会消费品零售总额增长", "社零额增长"),
        ("新建5G基站", "建成5G基站"),
        ("改造老旧小区", "老旧小区改造"),
        ("开工棚户区改造", "棚户区住房改造"),
    ],
)
def test_paraphrases_are_similar(a: str, b: str) -> None:
    assert indicator_similarity(a, b) >= 0.6


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("国内生产总值增长", "单位国内生产总值能耗下降"),
        ("城镇新增就业", "粮食总产量"),
        ("新建5G基站", "充电桩保有量"),
        ("新建5G基站", "新建充电桩"),
        ("城镇新增就业", "新增城市绿地"),
        ("改造老旧小区", "改造农村公路"),
        ("新建学校", "新建公园"),
        ("规上工业增加值增长", "服务业增加值增长"),
        ("一般公共预算收入增长", "城乡居民人均可支配收入增长"),
        ("固定资产投资增长", "社会消费品零售总额增长"),
    ],
)
def test_different_things_are_not(a: str, b: str) -> None:
    assert indicator_similarity(a, b) < 0.5


def test_units_of_different_kinds_never_pair() -> None:
    assert unit_factor(item("城镇新增就业", 1100e4, "人"), outcome("城镇新增就业", 5, "%")) == 0
    assert unit_factor(item("增长", 5, "%"), outcome("增长", 5, "百分点")) == 0
    assert unit_factor(item("投资", 5e8, "元"), outcome("投资", 5e8, "美元")) == 0
    assert unit_factor(item("贫困人口", 1e7, ""), outcome("贫困人口", 1.3e7, "人")) > 0.5


def test_paraphrased_pairs_are_found_one_to_one() -> None:
    targets = [
        item("城镇新增就业", 1100e4, "人", ">=", span=(0, 4)),
        item("国内生产总值增长", 6.5, "%", "~", "up", span=(10, 13)),
        item("单位GDP能耗下降", 3, "%", ">=", "down", span=(20, 21)),
        item("城镇登记失业率", 4.5, "%", "<=", span=(30, 33)),
        item("城镇调查失业率", 5.5, "%", "<=", span=(40, 43)),
        item("新建农村公路", 20e4, "公里", span=(50, 52)),
    ]
    outcomes = [
        outcome("单位国内生产总值能耗降低", 3.4, "%", "down", span=(0, 3)),
        outcome("调查失业率", 5.0, "%", span=(5, 6)),
        outcome("新增城镇就业", 1250e4, "人", span=(10, 14)),
        outcome("经济增长", 6.7, "%", "up", span=(20, 23)),
        outcome("粮食总产量", 1.3e12, "斤", span=(30, 33)),
    ]
    matches = match_items(targets, outcomes)
    assert [m.outcome_index for m in matches] == [2, 3, 0, None, 1, None]
    verdicts = [r.verdict for r in review_items(targets, outcomes)]
    assert verdicts == ["exceeded", "met", "exceeded", "no_outcome", "met", "no_outcome"]


def test_close_candidates_with_different_values_are_ambiguous() -> None:
    targets = [item("新建改建公路", 1000, "公里", ">=")]
    outcomes = [
        outcome("新建改建公路", 900, "公里", span=(0, 3)),
        outcome("新建改建公路", 1300, "公里", span=(9, 13)),
    ]
    (r,) = review_items(targets, outcomes)
    assert r.verdict == "ambiguous" and r.outcome is None
    assert {c.value for c in r.candidates} == {900, 1300}
    assert "人工确认" in r.reason
    d = r.to_dict()
    assert d["outcome"] is None and len(d["candidates"]) == 2 and d["ratio"] is None


def test_same_value_twice_is_not_ambiguous() -> None:
    targets = [item("易地扶贫搬迁", 280e4, "人")]
    outcomes = [
        outcome("易地扶贫搬迁", 280e4, "人", span=(0, 3)),
        outcome("易地扶贫搬迁", 280e4, "人", span=(50, 53)),
    ]
    (r,) = review_items(targets, outcomes)
    assert r.verdict == "met" and r.outcome is not None and r.outcome.span == (0, 3)


def test_restated_target_shares_the_outcome() -> None:
    targets = [
        item("国内生产总值增长", 6.5, "%", "~", "up", span=(0, 3)),
        item("国内生产总值增长", 6.5, "%", "~", "up", span=(90, 93)),
    ]
    (a, b) = review_items(targets, [outcome("经济增长", 6.6, "%", "up")])
    assert a.outcome == b.outcome and a.verdict == b.verdict == "met"


def test_below_threshold_gets_no_outcome() -> None:
    (r,) = review_items([item("造林", 1e8, "亩", ">=")], [outcome("粮食播种面积", 1.7e9, "亩")])
    assert r.verdict == "no_outcome" and r.outcome is None and r.to_dict()["candidates"] == []


def test_context_helps_when_indicator_is_poor() -> None:
    t_text = "今年城镇新增就业1100万人以上。"
    o_text = "去年城镇新增就业1361万人。另有1200万人参加培训。"
    t = item("", 1100e4, "人", ">=", span=(8, 12))
    t = t.__class__(**{**t.to_dict(), "span": (8, 12), "sentence": (0, len(t_text))})
    o1 = outcome("", 1361e4, "人", span=(8, 12))
    o1 = o1.__class__(**{**o1.to_dict(), "span": (8, 12), "sentence": (0, 14)})
    o2 = outcome("参加培训", 1200e4, "人", span=(16, 20))
    o2 = o2.__class__(**{**o2.to_dict(), "span": (16, 20), "sentence": (14, 26)})
    (m,) = match_items([t], [o1, o2], target_text=t_text, outcome_text=o_text)
    assert m.outcome_index == 0


def test_section_headings_break_near_ties() -> None:
    targets = [item("专项资金", 10e8, "元", ">=")]
    outcomes = [outcome("专项资金", 30e8, "元", span=(0, 2)), outcome("专项资金", 12e8, "元", span=(9, 11))]
    (plain,) = review_items(targets, outcomes)
    assert plain.verdict == "ambiguous"
    (r,) = review_items(
        targets,
        outcomes,
        target_headings=["（四）坚决打好脱贫攻坚战"],
        outcome_headings=["五是推进科技创新", "二是扎实打好脱贫攻坚战"],
    )
    assert r.outcome is not None and r.outcome.value == 12e8 and r.verdict == "exceeded"
