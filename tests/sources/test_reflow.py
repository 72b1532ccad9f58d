"""PDF text is wrapped at the page edge; reflow restores one paragraph per line."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.builders import make_pdf

from luoshi.sources import load
from luoshi.sources.reflow import reflow_page

PARAGRAPH = (
    "新的一年，张店区将聚力推进项目建设，策划实施222个重点项目，年度计划投资312.4亿元以上。"
    "加强工业互联网、充电桩等新型基础设施建设，新建5G基站300座以上，充电桩保有量达到3000个以上。"
)


def _wrap(text: str, width: int = 30) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def test_wrapped_lines_are_joined() -> None:
    lines = ["一、2024年工作安排", *_wrap(PARAGRAPH), "- 3 -"]
    assert reflow_page("\n".join(lines)) == "一、2024年工作安排\n" + PARAGRAPH


def test_split_figure_is_rejoined() -> None:
    text = "城镇新增就业目标为全年新增加城镇就业岗位一点二万个左右，地区生产总值增长6.\n5%左右，居民收入同步增长，物价保持基本稳定水平。"
    assert "增长6.5%左右" in reflow_page(text)


def test_headings_and_sentence_ends_keep_their_breaks() -> None:
    text = "\n".join(
        [
            "全区地区生产总值增长百分之六点五，城镇新增就业一万二千人，各项工作取得新进展。",
            "（一）聚力稳住向好态势，保持经济平稳健康发展，推动高质量发展取得新成效，",
            "持续扩大有效投资。",
            "二、主要预期目标",
            "第1页",
        ]
    )
    assert reflow_page(text).split("\n") == [
        "全区地区生产总值增长百分之六点五，城镇新增就业一万二千人，各项工作取得新进展。",
        "（一）聚力稳住向好态势，保持经济平稳健康发展，推动高质量发展取得新成效，持续扩大有效投资。",
        "二、主要预期目标",
    ]


def test_pdf_paragraphs_come_back_whole(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "wrapped.pdf", ["二、2024年主要预期目标", *_wrap(PARAGRAPH), "— 2 —"])
    lines = load(path).text.split("\n")
    assert lines[0] == "二、2024年主要预期目标"
    assert "".join(lines[1:]) == PARAGRAPH
    assert "312.4亿元以上" in lines[1] and "3000个以上" in lines[-1]


def test_wrapped_pdf_report_gives_the_same_items_as_its_txt(tmp_path: Path, demo_report_path: Path) -> None:
    import luoshi

    text = demo_report_path.read_text(encoding="utf-8")
    lines = [chunk for para in text.split("\n") if para.strip() for chunk in _wrap(para.strip(), 38)]
    pdf = luoshi.extract(make_pdf(tmp_path / "report.pdf", lines, lines_per_page=42))
    txt = luoshi.extract(text)
    assert txt.targets

    def key(plan: luoshi.Plan) -> list[tuple[str, float, str, str]]:
        return sorted((i.role, i.value, i.unit, i.comparator) for i in plan.items())

    assert key(pdf) == key(txt)


def test_long_odd_lines_stay_linear() -> None:
    import time

    start = time.perf_counter()
    reflow_page("1" + " " * 200_000 + "x\n" + "-" * 200_000 + "\n第" + " " * 100_000)
    assert time.perf_counter() - start < 5  # quadratic backtracking would take minutes
