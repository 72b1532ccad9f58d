"""The engine end to end: document facts, spans, scripts and widths, projects, odd input."""

from __future__ import annotations

import hashlib
import math

import opencc
import pytest

from luoshi.extraction import extract_text

REPORT = """政府工作报告
——2024年1月10日在某市第十七届人民代表大会第三次会议上
某市人民政府市长

一、2023年工作回顾

过去一年，全市地区生产总值增长5.6%，新增城镇就业3.2万人。

二、2024年工作安排

今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业3万人以上。
全年实施重点项目200个，其中工业项目80个、民生项目40个，年度计划投资500亿元。
加快建设东城智能装备产业园，总投资50亿元。到2025年，森林覆盖率达到40%。
"""


def test_document_facts() -> None:
    plan = extract_text(REPORT, "report.txt")
    doc = plan.document
    assert doc.source == "report.txt"
    assert doc.sha256 == hashlib.sha256(REPORT.encode("utf-8")).hexdigest()
    assert doc.title == "政府工作报告"
    assert doc.jurisdiction == "某市"
    assert (doc.report_year, doc.plan_year) == (2024, 2024)


def test_targets_outcomes_and_deadlines() -> None:
    plan = extract_text(REPORT)
    assert [(o.value, o.unit) for o in plan.outcomes] == [(5.6, "%"), (32000.0, "人")]
    targets = {REPORT[t.span[0] : t.span[1]]: t for t in plan.targets}
    assert targets["6"].comparator == "~" and targets["3"].comparator == ">="
    assert targets["500"].value == 5e10 and targets["500"].unit == "元"
    assert targets["40"].deadline == 2025 and targets["6"].deadline == 2024
    assert all(plan.sections[t.section].part == "plan" for t in plan.targets if t.section is not None)


def test_projects_and_counts() -> None:
    plan = extract_text(REPORT)
    counts = [(c.category, c.count, c.investment) for c in plan.project_counts]
    assert counts == [("重点项目", 200, 5e10), ("工业项目", 80, None), ("民生项目", 40, None)]
    names = {p.name: p for p in plan.projects}
    park = names["东城智能装备产业园"]
    assert park.category == "工业" and park.investment == 5e9
    assert REPORT[park.span[0] : park.span[1]] == park.name


@pytest.mark.parametrize("config", ["s2t", "s2hk", "s2tw"])
def test_traditional_text_gives_the_same_figures(config: str) -> None:
    converter = opencc.OpenCC(config)
    converted = converter.convert(REPORT)
    assert len(converted) == len(REPORT)
    simp, trad = extract_text(REPORT), extract_text(converted)
    assert [(i.span, i.role, i.value, i.comparator) for i in trad.items()] == [
        (i.span, i.role, i.value, i.comparator) for i in simp.items()
    ]
    # indicators and units read as the text does: in its own characters
    for t, s in zip(trad.items(), simp.items(), strict=True):
        assert t.indicator == converter.convert(s.indicator)
        assert t.unit == converter.convert(s.unit)


def test_full_width_text_gives_the_same_figures() -> None:
    table = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
    wide = REPORT.translate(table)
    simp, full = extract_text(REPORT), extract_text(wide)
    assert [(i.span, i.value, i.unit, i.comparator) for i in full.items()] == [
        (i.span, i.value, i.unit, i.comparator) for i in simp.items()
    ]


def test_hard_wrapped_lines_keep_figures_whole() -> None:
    text = (
        "二、2024年工作安排\n\n今年要坚持就业优先，多渠道稳定和扩大就业，新增城镇就业1\n"
        "万人以上，加快建设新型基础设施，新建5G基站30\n0座，推动经济平稳健康发展，地区生产\n"
        "总值增长6.\n5%左右。\n"
    )
    got = [(i.value, i.unit, i.comparator) for i in extract_text(text).targets]
    assert got == [(10000.0, "人", ">="), (300.0, "座", "="), (6.5, "%", "~")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "。。。",
        "123",
        "“3510”",
        "第十八届",
        "\x00\ud800",
        "增长" + "1" * 400 + "%",
        "9" * 30 + "万亿元",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    plan = extract_text(text)
    for item in plan.items():
        assert 0 <= item.span[0] < item.span[1] <= len(text)
        assert math.isfinite(item.value) and item.value < 1e18


NEWS = """某区六方面发力推动高质量发展

1月8日讯 某区第十八届人民代表大会第二次会议开幕，区长作《政府工作报告》。

2023年，某区地区生产总值增长6.1%，新增市场主体8600户。

新的一年，某区将实施重点项目150个，年度计划投资200亿元以上。
"""


def test_news_report_without_headings() -> None:
    plan = extract_text(NEWS)
    assert [(i.role, i.value) for i in plan.items()] == [
        ("outcome", 6.1),
        ("outcome", 8600.0),
        ("target", 150.0),
        ("target", 2e10),
    ]
    assert plan.document.plan_year is None  # not stated in the text


def test_traditional_text_with_lone_surrogate() -> None:
    text = "國內生產總值增長5%，億萬個\ud800百分點。今年新增就業1萬人。"
    plan = extract_text(text)
    assert [i.value for i in plan.items()] == [5.0, 10000.0]


def test_report_without_line_breaks_keeps_its_parts() -> None:
    flat = REPORT.replace("\n", " ")  # text from HTML or a converter that dropped line breaks
    assert [(i.role, i.value) for i in extract_text(flat).items()] == [
        (i.role, i.value) for i in extract_text(REPORT).items()
    ]
    assert [s.part for s in extract_text(flat).sections] == ["review", "plan"]


FIVE_YEARS = """一、过去五年工作回顾

五年来，全省地区生产总值年均增长6.3%，累计新增城镇就业520万人。

二、今后五年奋斗目标

今后五年，全省地区生产总值年均增长6%左右，常住人口城镇化率提高到70%以上。

三、2023年工作安排

今年地区生产总值增长6.5%左右。四、加强政府自身建设。今年压减一般性支出10%以上。
"""


def test_five_year_sections_and_deadlines() -> None:
    plan = extract_text(FIVE_YEARS)
    assert [(i.role, i.value, i.deadline) for i in plan.items()] == [
        ("outcome", 6.3, None),
        ("outcome", 5200000.0, None),
        ("target", 6.0, 2027),
        ("target", 70.0, 2027),
        ("target", 6.5, 2023),
        ("target", 10.0, 2023),
    ]


def test_windows_line_endings() -> None:
    crlf = REPORT.replace("\n", "\r\n")
    assert [(i.role, i.value, i.unit) for i in extract_text(crlf).items()] == [
        (i.role, i.value, i.unit) for i in extract_text(REPORT).items()
    ]
    assert [s.part for s in extract_text(crlf).sections] == ["review", "plan"]


def test_short_traditional_text_is_read_as_traditional() -> None:
    text = opencc.OpenCC("s2hk").convert("今年实施重点项目200个，其中工业项目80个，总投资500亿元。")
    counts = [(c.category, c.count, c.investment) for c in extract_text(text).project_counts]
    assert counts == [("重點項目", 200, 5e10), ("工業項目", 80, None)]
