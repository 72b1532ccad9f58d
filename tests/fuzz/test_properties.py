"""Property tests: extraction never raises and its output is always consistent with the text."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.extraction import extract_text
from tests.fuzz.invariants import check_invariants

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CHINESE_NUMERALS = "零〇一二两三四五六七八九十百千万亿半"
REPORT_WORDS = (
    "以上", "以内", "左右", "约", "超过", "突破", "不少于", "控制在", "下降", "增长", "达到", "力争",
    "万", "亿", "万亿", "千", "%", "个百分点", "元", "人", "座", "公里", "平方米", "翻番", "全覆盖",
    "一半", "三分之一", "两年内", "到2025年", "今年", "去年", "第十八届", "“3510”", "5G", "规模以上",
    "、", "，", "。", "；", "（", "）", "\n", " ", ".", "-", "～", "至",
)  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


@st.composite
def mutated_report(draw: st.DrawFn, sentences: list[str]) -> str:
    start = draw(st.integers(0, len(sentences) - 1))
    text = "".join(sentences[start : start + draw(st.integers(1, 4))])
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["delete", "insert", "digits", "numeral", "fullwidth", "word", "slice"]))
        i = draw(st.integers(0, len(text)))
        if op == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 5)) :]
        elif op == "insert":
            text = text[:i] + draw(st.text(max_size=4)) + text[i:]
        elif op == "digits":
            text = text[:i] + draw(st.from_regex(r"[0-9]{1,25}(\.[0-9]{0,6})?", fullmatch=True)) + text[i:]
        elif op == "numeral":
            text = text[:i] + draw(st.text(CHINESE_NUMERALS, min_size=1, max_size=12)) + text[i:]
        elif op == "fullwidth":
            text = text.translate(FULL_WIDTH)
        elif op == "word":
            text = text[:i] + draw(st.sampled_from(REPORT_WORDS)) + text[i:]
        else:
            text = text[i:] + text[:i]
    return text


@FUZZ
@given(st.text())
def test_arbitrary_unicode(text: str) -> None:
    check_invariants(extract_text(text), text)


@FUZZ
@given(
    st.text(
        alphabet=st.sampled_from(
            list(
                "0123456789.%万亿千百十一二三四五六七八九零两半以上左右约，。、年月 \n增长下降达到新建个座元人"
            )
        )
    )
)
def test_report_alphabet_soup(text: str) -> None:
    check_invariants(extract_text(text), text)


@FUZZ
@given(data=st.data())
def test_mutated_report_text(sentences: list[str], data: st.DataObject) -> None:
    text = data.draw(mutated_report(sentences))
    plan = extract_text(text, source="fuzz.txt")
    check_invariants(plan, text)
    json.dumps(plan.to_dict(), ensure_ascii=False, allow_nan=False)


def test_whole_reports_hold_the_invariants(sentences: list[str]) -> None:
    text = "".join(sentences)
    plan = extract_text(text)
    check_invariants(plan, text)
    assert plan.targets, "the engine finds targets in real reports"


PLACE_PIECES = (
    "某", "县", "市", "区", "自治州", "特别行政区", "旗", "人民政府", "人民代表大会", "人大", "第", "十四",
    "届", "在", "于", "向", "，", "。", "\n", " ", "常委会", "代表", "政府", "人民",
)  # fmt: skip


@FUZZ
@given(st.lists(st.sampled_from(PLACE_PIECES), max_size=60))
def test_place_matches_find_every_match_of_the_whole_scan(pieces: list[str]) -> None:
    """document.jurisdiction tries place_re only near the words a match holds: the same
    matches as the whole text."""
    from luoshi.extraction import document, patterns

    text = "".join(pieces)
    place = patterns.place_re()
    whole = [(m.span(), m.group(1)) for m in place.finditer(text)]
    near = [(m.span(), m.group(1)) for m in document.place_matches(text)]
    assert near == whole
