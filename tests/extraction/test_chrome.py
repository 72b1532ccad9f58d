"""Page chrome is skipped before any figure is read."""

from __future__ import annotations

import pytest

from luoshi.extraction import extract_text
from luoshi.extraction.chrome import ChromeIndex, chrome_spans
from luoshi.extraction.normalize import normalize

CHROME_LINES = [
    "新闻热线:023-61520695 举报电话:023-61520697",
    "联系电话：0533-2186123",
    "扫一扫关注公众号",
    "分享到：微信 微博 QQ空间",
    "鲁ICP备12345678号-1",
    "鲁公网安备 37030302000123号",
    "2024-01-24 07:49:15 来源:浙江日报",
    "20240124093512345.jpg",
    "责任编辑：张三",
    "首页 > 新闻中心 > 要闻",
    "版权所有 XX区人民政府",
]


@pytest.mark.parametrize("line", CHROME_LINES)
def test_chrome_line_gives_no_figure(line: str) -> None:
    text = f"{line}\n新的一年，我们将新增城镇就业1.2万人以上。\n{line}\n"
    norm = normalize(text)
    assert chrome_spans(norm), line
    items = extract_text(text).items()
    assert [(i.value, i.unit) for i in items] == [(12000.0, "人")]


def test_a_paragraph_is_not_chrome() -> None:
    """A long line (a paragraph) keeps its figures even with a telephone number in it."""
    body = "新的一年，我们将新增城镇就业1.2万人以上，改造老旧小区30个，" * 4
    text = body + "咨询电话：0533-12345678。" + body
    norm = normalize(text)
    assert text.index("新增") not in ChromeIndex(norm)
    items = extract_text(text).items()
    assert len(items) == 16
    assert all(i.value != 12345678 for i in items)


def test_report_text_is_not_chrome() -> None:
    text = "2023年，全区地区生产总值增长6.5%，新增就业1.2万人。\n一、2024年工作安排\n"
    assert chrome_spans(normalize(text)) == []


def test_short_lines_are_searched_up_to_their_bounds() -> None:
    """A line of 1..120 characters without 。 is searched whole; a longer one, one holding a
    sentence, and empty lines are not; the last line counts without a line break after it."""
    chrome = "鲁ICP备12345678号"
    pad_to = lambda n: chrome + "x" * (n - len(chrome))  # noqa: E731
    norm = "\n".join(["", pad_to(120), pad_to(121), chrome + "。", "", "\n", chrome])
    starts = [i for i in range(len(norm)) if norm.startswith(chrome, i)]
    assert chrome_spans(norm) == [(starts[0], starts[0] + 120), (starts[-1], len(norm))]
