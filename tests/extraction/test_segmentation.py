"""Segmentation on its own: sentences and clauses with spans, layout that acts as punctuation."""

from __future__ import annotations

import pytest

from luoshi.extraction.normalize import normalize
from luoshi.extraction.segmentation import clauses, sentences

CLAUSES = [
    ("全市地区生产总值增长5.8%,城镇新增就业5.6万人。", ["全市地区生产总值增长5.8%", "城镇新增就业5.6万人"]),
    (
        "全年新增城镇就业5.6万人，城镇登记失业率控制在3%以内。",
        ["全年新增城镇就业5.6万人", "城镇登记失业率控制在3%以内"],
    ),
    # a list copied from a web page: spaces and " - " stand in for punctuation
    (
        "新增停车位500个 改造老旧小区10个 建设口袋公园3座",
        ["新增停车位500个", "改造老旧小区10个", "建设口袋公园3座"],
    ),
    (
        "新增停车位500个 - 改造老旧小区10个 - 建设口袋公园3座",
        ["新增停车位500个", "改造老旧小区10个", "建设口袋公园3座"],
    ),
    ("①新增停车位500个②改造老旧小区10个", ["新增停车位500个", "改造老旧小区10个"]),
    # spacing inside a figure or a phrase is not punctuation (PDF text)
    ("全市生产总值3.46 万亿元,2024 年新增就业10 万人", ["全市生产总值3.46 万亿元", "2024 年新增就业10 万人"]),
    ("基本建成白象街传统风貌区 和胜利巷老街区", ["基本建成白象街传统风貌区 和胜利巷老街区"]),
    # a figure in brackets stays inside its clause
    ("实施重点区域清淤(20万方)工程", ["实施重点区域清淤(20万方)工程"]),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES)
def test_clauses(text: str, expected: list[str]) -> None:
    norm = normalize(text)
    got = clauses(norm, 0, len(norm))
    assert [text[c.start : c.end] for c in got] == expected
    assert all(0 <= c.start < c.end <= len(text) for c in got)


def test_sentences_have_spans_in_the_text() -> None:
    text = "过去一年，经济回升向好。\n\n新的一年，我们将新增就业1万人！城镇登记失业率3%以内？"
    norm = normalize(text)
    got = [text[s.start : s.end] for s in sentences(norm)]
    assert got == ["过去一年，经济回升向好。", "新的一年，我们将新增就业1万人！", "城镇登记失业率3%以内？"]
