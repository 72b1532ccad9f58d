"""An end-of-term review sums up five years: those figures must not answer one-year targets."""

from __future__ import annotations

from pathlib import Path

from luoshi.extraction.model import Item
from luoshi.review.matching import multi_year_spans
from luoshi.review.verdicts import review_items, review_plans
from tests.review.helpers import item

OUT_TEXT = (
    "一、过去一年和五年工作回顾\n\n过去一年，城镇新增就业1206万人，居民消费价格上涨2%。\n\n"
    "过去五年极不寻常。\n\n——城镇新增就业年均1270多万人，新建改建农村公路125万公里。\n\n"
    "二、对今年政府工作的建议\n"
)


def _at(text: str, figure: str, **kw: object) -> Item:
    pos = text.index(figure)
    sent = (text.rfind("\n", 0, pos) + 1, text.index("。", pos) + 1)
    it = item(span=(pos, pos + len(figure)), role="outcome", **kw)  # type: ignore[arg-type]
    return it.__class__(**{**it.to_dict(), "span": it.span, "sentence": sent})


def test_multi_year_stretches() -> None:
    spans = multi_year_spans(OUT_TEXT)
    inside = lambda s: any(a <= OUT_TEXT.index(s) < b for a, b in spans)  # noqa: E731
    assert inside("年均1270") and inside("125万公里")
    assert not inside("1206万人") and not inside("对今年政府工作")


def test_one_year_targets_skip_five_year_figures() -> None:
    outcomes = [
        _at(OUT_TEXT, "1206", indicator="城镇新增就业", value=1206e4, unit="人"),
        _at(OUT_TEXT, "1270", indicator="城镇新增就业年均", value=1270e4, unit="人", comparator=">="),
        _at(OUT_TEXT, "125", indicator="新建改建农村公路", value=125e4, unit="公里"),
    ]
    targets = [
        item("城镇新增就业", 1100e4, "人", ">=", span=(0, 4)),
        item("新建改建农村公路", 15e4, "公里", span=(10, 12)),
    ]
    jobs, roads = review_items(targets, outcomes, outcome_text=OUT_TEXT)
    assert jobs.verdict == "exceeded" and jobs.outcome is not None and jobs.outcome.value == 1206e4
    assert roads.verdict == "no_outcome"


def test_handmade_2022_targets_against_the_real_2023_review(shared_eval: Path) -> None:
    from luoshi.extraction import extract_text

    targets = (Path(__file__).parent / "data" / "national-2022-targets-handmade.txt").read_text(
        encoding="utf-8"
    )
    review = (shared_eval / "texts" / "national-2023.txt").read_text(encoding="utf-8")
    plan = extract_text(targets)
    if not plan.targets:
        import pytest

        pytest.skip("extraction finds no targets yet")
    got = {
        (r.target.surface, r.verdict, review[slice(*r.outcome.span)] if r.outcome else None)
        for r in review_plans(plan, extract_text(review))
    }
    surfaces = {s for s, _v, _o in got}
    expected = {
        ("5.5%左右", "not_met", "3"),
        ("1100万人以上", "exceeded", "1206"),
        ("3%左右", "met", "2"),
        ("1.3万亿斤以上", "exceeded", "1.37"),
        ("15万公里", "no_outcome", None),
    }
    for row in expected:
        if row[0] in surfaces:  # the figure as the extractor spells it
            assert any(
                g[0] == row[0] and g[1] == row[1] and (row[2] is None or (g[2] or "").startswith(row[2]))
                for g in got
            ), (row, sorted(got, key=str))
    assert len(surfaces & {r[0] for r in expected}) >= 4


def test_handmade_2017_targets_against_the_real_2018_review(shared_eval: Path) -> None:
    """2018 reviews five years and, in one paragraph, 2017: only that paragraph answers 2017 targets."""
    from luoshi.extraction import extract_text

    targets = (Path(__file__).parent / "data" / "national-2017-targets-handmade.txt").read_text(
        encoding="utf-8"
    )
    review = (shared_eval / "texts" / "national-2018.txt").read_text(encoding="utf-8")
    results = review_plans(extract_text(targets), extract_text(review))
    paired = {r.target.indicator: review[slice(*r.outcome.span)] for r in results if r.outcome}
    one_year = review.index("刚刚过去的2017年")
    one_year_end = review.index("\n", one_year)
    assert all(one_year <= r.outcome.span[0] < one_year_end for r in results if r.outcome), paired
    assert any(v.startswith("1351") for v in paired.values()), paired
    assert any(v.startswith("6.9") for v in paired.values()), paired
