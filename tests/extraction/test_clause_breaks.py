"""The per-sentence clause-break index gives the same clause starts as ``clause_start``
(which re-scans the text for every figure), at every position of every sentence."""

from importlib.resources import files

from luoshi.extraction.indicators import _clause_breaks, _clause_start_in, clause_start
from luoshi.extraction.normalize import normalize
from luoshi.extraction.segmentation import sentences


def test_clause_start_from_the_break_index_matches_the_scan() -> None:
    text = (files("luoshi") / "data" / "zhangdian-2024.txt").read_text(encoding="utf-8")
    # hard-wrapped lines (soft newlines inside a sentence) and list layout too
    text += "\n全年新增就业岗位1.2万个，城镇\n登记失业率控制在4%以内；\n新增停车位500个 改造老旧小区10个 - 建设口袋公园3座。"
    norm = normalize(text)
    checked = 0
    for span in sentences(norm):
        breaks = _clause_breaks(norm, span.start, span.end)
        for pos in range(span.start, span.end + 1):
            assert _clause_start_in(norm, pos, span.start, span.end, breaks) == clause_start(
                norm, pos, span.start
            )
            checked += 1
    assert checked > 3_000
