"""Verdict rules: every comparator with and without a direction, ceilings and tolerance."""

from __future__ import annotations

import pytest

from luoshi.review.verdicts import ReviewConfig, higher_is_better, judge
from tests.review.helpers import item, outcome

CASES = [
    # (target args, outcome args, verdict, ratio)
    # ">=": met from the value on, exceeded beyond +5 %, partly with ratio, not_met below the floor
    (("城镇新增就业", 1100e4, "人", ">="), ("城镇新增就业", 1361e4, "人"), "exceeded", 1361 / 1100),
    (("城镇新增就业", 1100e4, "人", ">="), ("城镇新增就业", 1100e4, "人"), "met", 1.0),
    (("城镇新增就业", 1100e4, "人", ">="), ("城镇新增就业", 1150e4, "人"), "met", 1150 / 1100),
    (("城镇新增就业", 1100e4, "人", ">="), ("城镇新增就业", 880e4, "人"), "partly_met", 0.8),
    (("城镇新增就业", 1100e4, "人", ">="), ("城镇新增就业", 400e4, "人"), "not_met", 400 / 1100),
    # "=" plain figure: a goal to reach
    (("易地扶贫搬迁", 280e4, "人", "="), ("易地扶贫搬迁", 280e4, "人"), "met", 1.0),
    (("易地扶贫搬迁", 280e4, "人", "="), ("易地扶贫搬迁", 210e4, "人"), "partly_met", 0.75),
    # "~": within ±5 % is met
    (("国内生产总值增长", 6.5, "%", "~", "up"), ("国内生产总值增长", 6.6, "%", "up"), "met", 6.6 / 6.5),
    (("国内生产总值增长", 6.5, "%", "~", "up"), ("国内生产总值增长", 6.2, "%", "up"), "met", 6.2 / 6.5),
    # a rate is reached or not: a shortfall beyond the band is not_met (ratio still given)
    (("国内生产总值增长", 6.5, "%", "~", "up"), ("国内生产总值增长", 6.0, "%", "up"), "not_met", 6.0 / 6.5),
    (("国内生产总值增长", 5.5, "%", "~", "up"), ("国内生产总值增长", 3.0, "%", "up"), "not_met", 3.0 / 5.5),
    (("森林覆盖率", 25, "%", "="), ("森林覆盖率", 24, "%"), "not_met", 24 / 25),
    (("国内生产总值增长", 6.5, "%", "~", "up"), ("国内生产总值增长", 7.0, "%", "up"), "exceeded", 7.0 / 6.5),
    # a growth target whose outcome shrank
    (("进出口增长", 5, "%", ">=", "up"), ("进出口", 2, "%", "down"), "not_met", -0.4),
    # "down": a bigger cut is better
    (
        ("单位国内生产总值能耗下降", 2.5, "%", "~", "down"),
        ("单位国内生产总值能耗下降", 3.6, "%", "down"),
        "exceeded",
        3.6 / 2.5,
    ),
    (
        ("单位国内生产总值能耗下降", 3, "%", ">=", "down"),
        ("单位国内生产总值能耗下降", 3.1, "%", "down"),
        "met",
        3.1 / 3,
    ),
    (
        ("单位国内生产总值能耗下降", 3, "%", ">=", "down"),
        ("单位国内生产总值能耗下降", 2.0, "%", "down"),
        "not_met",
        2 / 3,
    ),
    (
        ("压减钢铁产能", 3000e4, "吨", "~", "down"),
        ("压减钢铁产能", 2500e4, "吨", "down"),
        "partly_met",
        2500 / 3000,
    ),
    (
        ("单位国内生产总值能耗下降", 3, "%", "=", "down"),
        ("单位国内生产总值能耗", 1.0, "%", "up"),
        "not_met",
        -1 / 3,
    ),
    (
        ("农村贫困人口减少", 1000e4, "", ">=", "down"),
        ("农村贫困人口减少", 1386e4, "", "down"),
        "exceeded",
        1.386,
    ),
    # ceilings: "<=" and lower-is-better levels
    (("城镇调查失业率", 5.5, "%", "<="), ("调查失业率", 5.0, "%"), "met", None),
    (("城镇调查失业率", 5.5, "%", "<="), ("调查失业率", 5.5, "%"), "met", None),
    (("城镇调查失业率", 5.5, "%", "<="), ("调查失业率", 5.8, "%"), "not_met", None),
    (("居民消费价格涨幅", 3, "%", "~", "up"), ("居民消费价格上涨", 2.1, "%", "up"), "met", None),
    (("居民消费价格涨幅", 3, "%", "~", "up"), ("居民消费价格上涨", 3.1, "%", "up"), "met", None),
    (("居民消费价格涨幅", 3, "%", "~", "up"), ("居民消费价格上涨", 3.5, "%", "up"), "not_met", None),
    (("赤字率", 3, "%", "="), ("赤字率", 2.8, "%"), "met", None),
    (("赤字率", 3, "%", "="), ("赤字率", 3.2, "%"), "not_met", None),
    # range: met inside, exceeded above the top, partly below the bottom; ceiling ranges
    (("国内生产总值增长", 6, "%", "range", "up"), ("国内生产总值增长", 6.1, "%", "up"), "met", 6.1 / 6),
    (("国内生产总值增长", 6, "%", "range", "up"), ("国内生产总值增长", 6.9, "%", "up"), "exceeded", 6.9 / 6),
    (("国内生产总值增长", 6, "%", "range", "up"), ("国内生产总值增长", 5.4, "%", "up"), "not_met", 0.9),
    (("新增城市绿地", 20e4, "平方米", "range", None), ("新增城市绿地", 18e4, "平方米"), "partly_met", 0.9),
    (("居民消费价格涨幅", 2, "%", "range", "up"), ("居民消费价格上涨", 2.9, "%", "up"), "met", None),
    (("居民消费价格涨幅", 2, "%", "range", "up"), ("居民消费价格上涨", 3.4, "%", "up"), "not_met", None),
]


@pytest.mark.parametrize(("t", "o", "verdict", "ratio"), CASES)
def test_verdict_rules(t: tuple, o: tuple, verdict: str, ratio: float | None) -> None:
    vmax = {6: 6.5, 2: 3, 20e4: 25e4}.get(t[1]) if t[3] == "range" else None
    target = item(*t, value_max=vmax)
    got = judge(target, outcome(*o))
    assert got.verdict == verdict, got.reason
    if ratio is None:
        assert got.ratio is None
    else:
        assert got.ratio == pytest.approx(ratio)
    assert got.reason.endswith("。") and "目标" in got.reason


def test_no_outcome_says_so() -> None:
    got = judge(item("城镇登记失业率", 4.5, "%", "<="), None)
    assert got.verdict == "no_outcome" and got.ratio is None
    assert "城镇登记失业率" in got.reason


def test_tolerance_is_configurable() -> None:
    t, o = item("国内生产总值增长", 6.5, "%", "~", "up"), outcome("国内生产总值增长", 6.0, "%", "up")
    assert judge(t, o).verdict == "not_met"
    assert judge(t, o, ReviewConfig(tolerance=0.1)).verdict == "met"


def test_partly_floor_is_configurable() -> None:
    t, o = item("新建5G基站", 1000, "个", ">="), outcome("新建5G基站", 400, "个")
    assert judge(t, o).verdict == "not_met"
    assert judge(t, o, ReviewConfig(partly_floor=0.3)).verdict == "partly_met"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (item("城镇调查失业率", 5.5, "%", "~"), False),
        (item("居民消费价格涨幅", 3, "%", "~", "up"), False),
        (item("CPI涨幅", 3, "%", "~", "up"), False),
        (item("单位GDP能耗下降", 3, "%", "~", "down"), True),
        (item("国内生产总值增长", 6.5, "%", "~", "up"), True),
        (item("地方财政赤字", 8300e8, "元", "<="), False),
        (item("新建5G基站", 100, "个", ">="), True),
    ],
)
def test_higher_is_better(target, expected: bool) -> None:
    assert higher_is_better(target) is expected


def test_clause_tells_a_ceiling_when_the_indicator_is_poor() -> None:
    from luoshi.review.verdicts import clause_before

    text = "国内生产总值增长6.5%左右；居民消费价格涨幅3%左右；城镇新增就业1100万人以上。"
    pos = text.index("3%")
    t = item("", 3, "%", "~", "up", span=(pos, pos + 1))
    t = t.__class__(**{**t.to_dict(), "span": (pos, pos + 1), "sentence": (0, len(text))})
    clause = clause_before(t, text)
    assert clause == "居民消费价格涨幅"
    o = outcome("", 2.1, "%", "up")
    assert judge(t, o).verdict == "not_met"  # read as a floor: 2.1 < 3
    assert judge(t, o, clause=clause).verdict == "met"  # a ceiling, rightly
    gdp = text.index("6.5")
    g = item("", 6.5, "%", "~", "up", span=(gdp, gdp + 3))
    g = g.__class__(**{**g.to_dict(), "span": (gdp, gdp + 3), "sentence": (0, len(text))})
    assert higher_is_better(g, clause_before(g, text))
