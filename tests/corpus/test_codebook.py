"""The codebook (data, versioned): integrity, paraphrases, and the hedge classes of real sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import luoshi
from luoshi.corpus.codebook import UNIT_GROUPS, load_codebook
from luoshi.corpus.hedge import HEDGE_CLASSES, hedge_class, hedge_words


def test_codebook_integrity() -> None:
    cb = load_codebook()
    assert re.fullmatch(r"\d{4}\.\d+", cb.version)
    ids = [i.id for i in cb.indicators]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)
    for ind in cb.indicators:
        assert ind.unit_group in UNIT_GROUPS, ind.id
        assert ind.paraphrases and ind.name_zh, ind.id
        assert not set(ind.paraphrases) & set(ind.excludes), ind.id


def test_codebook_is_documented() -> None:
    cb = load_codebook()
    doc = (Path(__file__).resolve().parents[2] / "docs" / "codebook.md").read_text("utf-8")
    assert f"版本 {cb.version}" in doc or f"version {cb.version}" in doc
    for ind in cb.indicators:
        assert f"`{ind.id}`" in doc, f"{ind.id} missing from docs/codebook.md"


PARAPHRASES = [
    ("国内生产总值增长", "%", "gdp_growth"),
    ("GDP增长", "%", "gdp_growth"),
    ("地区生产总值增长", "%", "gdp_growth"),
    ("经济增长", "%", "gdp_growth"),
    ("全区实现地区生产总值", "元", "gdp_level"),
    ("人均地区生产总值", "%", "gdp_per_capita_growth"),
    ("服务业对经济增长贡献率", "%", None),
    ("单位国内生产总值能耗下降", "%", "energy_intensity"),
    ("一般公共预算收入", "%", "fiscal_revenue_growth"),
    ("地方一般公共預算收入", "%", "fiscal_revenue_growth"),  # traditional characters
    ("税收占一般公共预算收入比重", "%", None),
    ("全社会固定资产投资", "%", "fixed_investment_growth"),
    ("社会消费品零售总额", "%", "retail_sales_growth"),
    ("居民消费价格涨幅", "%", "cpi"),
    ("城镇调查失业率", "%", "surveyed_unemployment"),
    ("城镇登记失业率", "%", "registered_unemployment"),
    ("城镇新增就业", "人", "urban_jobs"),
    ("城镇新增就业", "%", None),  # a share is not a head count
    ("城镇居民人均可支配收入", "%", "urban_income_growth"),
    ("农村居民人均可支配收入", "%", "rural_income_growth"),
    ("居民人均可支配收入", "%", "income_growth"),
    ("规模以上工业增加值", "%", "industrial_value_added_growth"),
    ("粮食产量", "斤", "grain_output"),
    ("新建5G基站", "座", None),
]


@pytest.mark.parametrize(("raw", "unit", "expected"), PARAPHRASES)
def test_paraphrases(raw: str, unit: str, expected: str | None) -> None:
    match = load_codebook().match(raw, unit)
    assert (match.id if match else None) == expected


def test_remembered_matches_are_the_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look-ups are remembered per codebook (a bounded dict): the same answers, also once it
    is full and starts again; the codebook still hashes and compares by its data."""
    import luoshi.corpus.codebook as codebook

    cb = load_codebook()
    monkeypatch.setattr(codebook, "_MATCHES_KEPT", 3)
    cb._matches.clear()  # other tests' look-ups
    for _ in range(3):
        for raw, unit, _expected in PARAPHRASES:
            assert cb.match(raw, unit) == cb._match(raw, unit), raw
            assert len(cb._matches) <= 3
    fresh = codebook.Codebook(cb.version, cb.indicators)
    assert fresh == cb and hash(fresh) == hash(cb) and not fresh._matches


def test_hedge_words_integrity() -> None:
    words = hedge_words()
    assert set(words.values()) <= set(HEDGE_CLASSES)
    for needed in ("确保", "不低于", "以上", "左右", "力争", "努力", "以内"):
        assert needed in words


HEDGES = [
    ("今年主要预期目标是：地区生产总值增长6.5%左右。", "soft", "左右"),
    ("力争地区生产总值增长7%以上。", "soft", "力争"),
    ("确保城镇新增就业1万人。", "hard", "确保"),
    ("粮食产量保持在1.3万亿斤以上。", "hard", "以上"),
    ("固定资产投资增长不低于10%。", "hard", "不低于"),
    ("城镇调查失业率5.5%以内。", "ceiling", "以内"),
    ("地区生产总值增长6%-6.5%。", "range", ""),
]


@pytest.mark.parametrize(("sentence", "expected", "word"), HEDGES)
def test_hedge_class_of_real_sentences(sentence: str, expected: str, word: str) -> None:
    plan = luoshi.extract(sentence)
    assert plan.targets, f"no target extracted from {sentence}"
    assert hedge_class(plan.targets[0], plan.text) == (expected, word)
