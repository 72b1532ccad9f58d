"""A pair of reports in traditional characters is reviewed like the same pair in simplified."""

from __future__ import annotations

from pathlib import Path

import opencc

from luoshi.extraction import extract_text
from luoshi.review.matching import indicator_similarity, multi_year_spans
from luoshi.review.verdicts import review_plans
from tests.review.test_e2e_browser import REPORT_2023, REPORT_2024
from tests.review.test_multi_year import OUT_TEXT

S2T = opencc.OpenCC("s2t")


def test_traditional_indicators_fold_like_simplified() -> None:
    assert indicator_similarity("國內生產總值增長", "经济增长") == 1.0
    assert indicator_similarity("城鎮新增就業", "新增城鎮就業") == 1.0


def test_traditional_pair_gets_the_same_verdicts() -> None:
    simple = [
        (r.verdict, r.ratio) for r in review_plans(extract_text(REPORT_2023), extract_text(REPORT_2024))
    ]
    trad = [
        (r.verdict, r.ratio)
        for r in review_plans(extract_text(S2T.convert(REPORT_2023)), extract_text(S2T.convert(REPORT_2024)))
    ]
    assert simple and trad == simple


def test_multi_year_openers_in_traditional() -> None:
    trad = S2T.convert(OUT_TEXT)
    assert len(multi_year_spans(trad)) == len(multi_year_spans(OUT_TEXT)) >= 1


def test_traditional_review_with_a_ceiling(tmp_path: Path) -> None:
    y = "二、2023年主要目標\n\n今年居民消費價格漲幅3%左右，城鎮新增就業1.2萬人以上。\n"
    y1 = "一、2023年工作回顧\n\n過去一年，居民消費價格上漲2.1%，城鎮新增就業1.3萬人。\n"
    verdicts = {r.target.surface: r.verdict for r in review_plans(extract_text(y), extract_text(y1))}
    assert sorted(verdicts.values()) == ["exceeded", "met"], verdicts
