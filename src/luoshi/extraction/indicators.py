"""The phrase naming what a figure measures, and whether the figure is a rise or a fall.

Works on the clause around the figure: text to its left back to the last clause break (or the
previous figure of a list), plus the noun after a measure word ("策划实施222个重点项目").
"""

from __future__ import annotations

import re
from functools import cache

from luoshi.extraction import lexicon
from luoshi.extraction.sections import last_break, next_break

__all__ = ["clause_start", "direction", "lead_verb", "left_phrase", "right_phrase", "subject_core"]

CLAUSE_BREAKS = ",;:。!?\n"
_PUNCT_BREAKS = ",;:。!?"  # 、 is handled by the caller (lists of figures)
_MAX_LEFT = 24
_MAX_RIGHT = 16

_TIME_PREFIX = re.compile(
    r"^(?:到|至|截至|截止)?(?:每年|去年|上年|\d{4}年(?:底|末)?(?:前)?|今明两年|[今明全当]年|年内|年底前|[一二两三四五]年内|新的一年)"
)
_TRAILING = re.compile(
    r"(?:(?:保持|稳定|控制|维持|提高|提升|增加|上升|下降|降低|降|压缩|缩短|减少|压减|拟按|拟|按|达|增|升|减)"
    r"(?:在|到|至|为)|达到|达|突破|超过|超|接近|将近|近|大约|约|不少于|不低于|不超过|不高于|低于|高于|逾|"
    r"共计|合计|累计|共|计|实现|完成|为|是|在|到|至|有|用|由|从|的|了|等|持续|继续|始终|一直|仍|均|已)$"
)
_FROM = re.compile(r"(?<!自|理|经)(?:从|由)(?!于|此)(?:[^从由到至]*[到至][^从由]*)?$")
_MODIFIERS = re.compile(r"(?:[一二两三四五六七八九十]+年|年均|同比|比上年|较上年|分别|再|进一步|累计|每年)")
_CONTINUATION = ("并", "且", "而", "但", "同时", "以", "进一步", "为", "是", "比", "和", "与", "及", "或", "分别")
_WHOLE_AREA = re.compile(r"^(全[省市县区州镇乡盟旗])(?:将|要|拟|还|共|力争|确保|努力)+")
_AREA_SUBJECT = re.compile(r"^[\u4e00-\u9fff]{1,5}[省市县区州旗](?:将|要|拟)")
_POLICY_VERB = re.compile(r"^(?:下调|上调|调低|调高)(?=.{4})")
_DROP_INSIDE = re.compile(r"同比|比上年|较上年|分别")


@cache
def _fillers() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(re.escape(w) for w in lexicon.words("fillers.txt")) + ")(?=.)")


@cache
def _lead_verbs() -> tuple[str, ...]:
    return lexicon.words("lead_verbs.txt")


@cache
def _directions() -> re.Pattern[str]:
    words = sorted(lexicon.mapping("directions.tsv"), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def clause_start(norm: str, pos: int, floor: int) -> int:
    """Start of the clause that ends at ``pos`` (never before ``floor``)."""
    lo = max(floor, pos - 80)
    return max(lo, last_break(norm, lo, pos, _PUNCT_BREAKS) + 1)


def _strip_fillers(s: str) -> str:
    changed = True
    while changed and s:
        changed = False
        m = _TIME_PREFIX.match(s)
        if m and m.end() > 0:
            s, changed = s[m.end():], True
        m = _fillers().match(s)
        if m:
            s, changed = s[m.end():], True
    return s


def left_phrase(raw: str) -> str:
    """Clean the clause text left of a figure into an indicator candidate."""
    s = "".join(raw.split()).strip("、")  # hard-wrapped lines and stray spaces
    if len(s) > _MAX_LEFT:
        s = s[-_MAX_LEFT:]
    s = _strip_fillers(s)
    s = _WHOLE_AREA.sub(r"\1", s)  # "全县将实施" -> "全县实施"
    s = _AREA_SUBJECT.sub("", s)  # "某区将实施" -> "实施"
    s = _POLICY_VERB.sub("", s)  # "下调缴费比例" -> "缴费比例" (the verb is not the measure)
    s = _strip_fillers(s)
    s = _FROM.sub("", s)
    for _ in range(3):
        t = _TRAILING.sub("", s)
        if t == s:
            break
        s = t
    s = _DROP_INSIDE.sub("", s)
    head, sep, tail = s.rpartition("、")
    if sep and len(head) >= 6 and len(tail) >= 2 and _clause_verbs().search(head):
        s = _strip_fillers(tail)  # "…改革、确权面积": the 、 joins two clauses, not two subjects
    return s.strip(" 、")


@cache
def _clause_verbs() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in lexicon.words("clause_verbs.txt")))


def right_phrase(norm: str, pos: int, limit: int) -> str:
    """The noun after a figure's unit, up to the clause end ("个重点项目" -> "重点项目")."""
    end = min(limit, pos + _MAX_RIGHT)
    brk = next_break(norm, pos, end, _PUNCT_BREAKS + "、")
    if brk >= 0:
        end = brk
    s = "".join(norm[pos:end].split())
    digit = next((i for i, ch in enumerate(s) if ch.isdigit()), -1)
    if digit >= 0:
        s = s[:digit]  # stop before the next figure
    s = s.rstrip(".")  # an ASCII full stop ends some sentences in converted text
    if s.startswith("的"):
        s = s[1:]
    if s[:1].isdigit() or s.startswith(_CONTINUATION):
        return ""
    return s


def subject_core(indicator: str) -> str:
    """An indicator without its trailing verb and modifiers: '财政支出增长' -> '财政支出'."""
    s = _MODIFIERS.sub("", _directions().sub("", indicator))
    return s


def lead_verb(phrase: str) -> str:
    for w in _lead_verbs():
        if phrase.startswith(w):
            return w
    return ""


def direction(text: str) -> str | None:
    """'up' / 'down' from the last direction word in ``text`` (the clause before a figure)."""
    found = None
    for m in _directions().finditer(text):
        found = lexicon.mapping("directions.tsv")[m.group(0)]
    return found
