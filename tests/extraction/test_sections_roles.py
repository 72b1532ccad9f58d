"""Section headings, their part (review / plan / other), and target-vs-outcome decisions."""

from __future__ import annotations

import pytest

from luoshi.extraction import extract_text
from luoshi.extraction.normalize import normalize
from luoshi.extraction.roles import aspirational, classify_role, deadline
from luoshi.extraction.sections import classify_heading, find_sections, heading_cue, sentence_bounds


@pytest.mark.parametrize(
    ("heading", "plan_year", "part"),
    [
        ("一、2023年工作回顾", 2024, "review"),
        ("一、过去一年和五年工作回顾", None, "review"),
        ("一、过去五年工作回顾", None, "review"),
        ("一、2023年国民经济和社会发展计划执行情况", 2024, "review"),
        ("二、2024年经济社会发展总体要求和政策取向", 2024, "plan"),
        ("三、2024年政府工作任务", 2024, "plan"),
        ("二、对今年政府工作的建议", None, "plan"),
        ("二、今年主要预期目标", None, "plan"),
        ("二、2024年重点工作", 2024, "plan"),
        ("三、2023年工作安排", 2024, "review"),  # a year before the plan year is the past
        ("四、加强政府自身建设", None, "other"),
        ("二、主要目标和重点任务", None, "plan"),
        ("(一)主要目标完成情况", None, "review"),  # a mid-year report's results
        ("——2023年3月5日在第十四届全国人民代表大会第一次会议上", 2023, "other"),  # a date is no period
        ("三、今后一个时期的主要任务", None, "plan"),
    ],
)
def test_classify_heading(heading: str, plan_year: int | None, part: str) -> None:
    assert classify_heading(heading, plan_year) == part


@pytest.mark.parametrize(
    ("heading", "plan_year", "cue"),
    [
        ("一、2023年工作回顾", 2024, ("回顾", 9)),
        ("三、2024年政府工作任务", 2024, ("2024年", 2)),
        ("二、对今年政府工作的建议", None, ("今年", 3)),
        ("四、加强政府自身建设", None, None),
    ],
)
def test_heading_cue(heading: str, plan_year: int | None, cue: tuple[str, int] | None) -> None:
    assert heading_cue(heading, plan_year) == cue


REPORT = """各位代表:

一、2023年工作回顾

过去一年,地区生产总值增长5.2%。
(一)产业升级。新增规模以上企业50家。

二、2024年工作安排

今年主要预期目标是:地区生产总值增长6%左右。
(一)扩大有效投资。实施重点项目100个。
"""


def test_sections_and_parts() -> None:
    sections = find_sections(REPORT, normalize(REPORT), 2024)
    heads = [(s.heading, s.part) for s in sections]
    assert heads == [
        ("一、2023年工作回顾", "review"),
        ("(一)产业升级", "review"),
        ("二、2024年工作安排", "plan"),
        ("(一)扩大有效投资", "plan"),
    ]
    for s in sections:
        assert REPORT[s.span[0] : s.span[0] + len(s.heading)] == s.heading
    assert sections[0].span[1] == sections[2].span[0]


def test_roles_follow_sections() -> None:
    plan = extract_text(REPORT)
    assert [(i.value, i.role) for i in plan.items()] == [
        (5.2, "outcome"),
        (50.0, "outcome"),
        (6.0, "target"),
        (100.0, "target"),
    ]
    assert plan.document.plan_year == 2024
    assert all(t.deadline == 2024 for t in plan.targets)
    assert all(
        plan.sections[i.section].part in ("plan", "review") for i in plan.items() if i.section is not None
    )


@pytest.mark.parametrize(
    ("part", "left", "default", "role"),
    [
        ("review", "全年", "plan", "outcome"),
        ("plan", "今年要", "plan", "target"),
        ("plan", "过去五年,", "plan", "outcome"),
        ("other", "新的一年,将", "review", "target"),
        ("other", "过去一年,", "plan", "outcome"),
        ("other", "", "plan", "target"),
        ("other", "", "review", "outcome"),
    ],
)
def test_classify_role(part: str, left: str, default: str, role: str) -> None:
    assert classify_role(part, left, default) == role  # type: ignore[arg-type]


def test_deadline_and_aspiration() -> None:
    assert deadline("到2025年新增就业1万人", 2024) == 2025
    assert deadline("两年内工业生产总值实现翻番", 2024) == 2025
    assert deadline("新增就业1万人", 2024) == 2024
    assert deadline("新增就业1万人", None) is None
    assert aspirational("力争年内")
    assert not aspirational("确保")


def test_sentence_bounds() -> None:
    text = "第一句。第二句有12个数字!第三句"
    start, end = sentence_bounds(text, text.index("12"))
    assert text[start:end] == "第二句有12个数字!"


def test_unnumbered_subheadings_continue_their_part() -> None:
    text = (
        "各位代表：\n\n过去一年的工作\n\n坚持创新驱动\n\n全年新增高新技术企业120家，研发投入增长12%。\n\n"
        "今年的主要任务\n\n聚焦产业升级\n\n新增高新技术企业150家以上。\n\n谢谢大家！\n"
    )
    plan = extract_text(text)
    assert [(s.heading, s.part) for s in plan.sections] == [
        ("过去一年的工作", "review"),
        ("坚持创新驱动", "review"),
        ("今年的主要任务", "plan"),
        ("聚焦产业升级", "plan"),
    ]
    assert [(i.role, i.value) for i in plan.items()] == [
        ("outcome", 120.0),
        ("outcome", 12.0),
        ("target", 150.0),
    ]


@pytest.mark.parametrize(
    "report",
    [
        "一、过去一年的主要工作\n全年完成地区生产总值350亿元、增长6.5%。\n二、2024年主要目标和重点任务\n地区生产总值增长6%左右。",
        "一、2023年主要工作\n全年完成地区生产总值350亿元、增长6.5%。\n二、2024年主要任务\n地区生产总值增长6%左右。",
        "一、关于2023年工作\n全年完成地区生产总值350亿元、增长6.5%。\n二、关于2024年工作\n地区生产总值增长6%左右。",
        "一、2023年工作回顧\n全年完成地區生產總值350億元、增長6.5%。\n二、2024年工作安排\n地區生產總值增長6%左右。",
    ],
)
def test_county_heading_styles(report: str) -> None:
    """County reports name their parts many ways; the later heading year is the plan year."""
    plan = extract_text(report)
    assert plan.document.plan_year == 2024
    assert [(i.role, report[i.span[0] : i.span[1]]) for i in plan.items()] == [
        ("outcome", "350"),
        ("outcome", "6.5"),
        ("target", "6"),
    ]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_bare_head_count_in_the_plan_is_not_a_target(script: str) -> None:
    report = "一、2023年工作回顾\n过去一年，各项工作稳步推进。\n二、2024年工作安排\n今年高校毕业生820多万人，再创历史新高。城镇新增就业1100万人以上。"
    if script == "traditional":
        import opencc

        report = opencc.OpenCC("s2tw").convert(report)
    plan = extract_text(report)
    assert [report[i.span[0] : i.span[1]] for i in plan.targets] == ["1100"]


def test_wrapped_line_starting_with_a_numeral_is_no_section() -> None:
    """PDF text: a wrapped line that starts "一系列…" must not end the review section."""
    report = (
        "一、过去五年工作回顾\n（一）坚持区域协调发展，出台\n一系列促进西部开发的政策措施\n"
        "（二）坚持改善民生。城镇新增就业6600万人以上。\n二、2018年工作安排\n城镇新增就业1100万人以上。"
    )
    plan = extract_text(report)
    assert [(i.role, report[i.span[0] : i.span[1]]) for i in plan.items()] == [
        ("outcome", "6600"),
        ("target", "1100"),
    ]


def test_narrow_column_wraps_are_soft() -> None:
    """Lines cut at one width (a two-column PDF) join up; a short line alone stays a heading."""
    from luoshi.extraction.sections import is_hard_newline

    column = (
        "全县地区生产总值完成35\n0亿元，规模以上工业增加值增\n长百分之八点五，固定资产投资\n增长百分之十。"
    )
    wraps = [i for i, ch in enumerate(column) if ch == "\n"]
    assert [is_hard_newline(column, i) for i in wraps[1:]] == [False, False]
    heading = "（一）做强做优工业经济体系\n全年新增规上工业企业二十家以上，工业投资增长百分之十五。"
    assert is_hard_newline(heading, heading.index("\n"))
