"""One figure with its unit and comparator, read from a bounded window around a number.

``read_quantity`` looks at most a few dozen characters either side of a numeral token, so the
whole scan stays linear in the size of the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from luoshi.extraction import lexicon, patterns
from luoshi.extraction.numerals import (
    COMPOUND_RE,
    MULTIPLIERS,
    chinese_decimal,
    chinese_to_float,
    parse_arabic,
    read_compound,
)
from luoshi.extraction.sections import is_hard_newline

__all__ = ["Quantity", "read_quantity"]

_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", '"': '"', "‘": "’"}
_QUOTE_OPENINGS = re.compile("[" + re.escape("".join(_QUOTES)) + "]")
_DURATION_UNITS = lexicon.units_of("duration", "age")
_COUNT_UNITS = lexicon.units_of("count", "person", "household")
_AGE_UNITS = lexicon.units_of("age")
# after a modifier "60岁以上" / "15年以上" these start a predicate, not the noun it qualifies
_PREDICATE_STARTS = "完办实达并和及与或且就即在为是的"
_RANKING_BEFORE = re.compile(r"第\d{1,4}[位名]、$")
_SMALL_MONEY_LIST = re.compile(r"(?:(?:、|和|及|与|或)\d{1,3}(?:\.\d{1,2})?[分毛角]){0,6}钱")
_MAX_VALUE = 1e18  # larger than any amount a report states (万亿 is 1e12)
_RANGE_JOIN = "-~—–至到"
_FIRST_RE = re.compile(r"(?P<ar>\d+(?:[ ]?\.[ ]?\d+)?)")
_SECOND_RE = re.compile(r"\d+(?: ?\. ?\d+)?")


@dataclass(slots=True)
class Quantity:
    start: int  # span of the numeral (or word such as 翻番) in the text
    end: int
    stop: int  # end of the whole expression (unit, 以上 ...)
    value: float
    unit: str
    comparator: str = "="
    value_max: float | None = None
    has_multiplier: bool = False
    multiplier: float = 1.0
    unit_noun: bool = False  # the unit comes from the noun after the figure ("6069万农民")


@cache
def _comparators() -> tuple[dict[str, str], dict[str, str]]:
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for word, comp, where in lexicon.rows("comparators.tsv"):
        (before if where == "before" else after)[word] = comp
    return before, after


@cache
def _after_re() -> re.Pattern[str]:
    words = sorted(_comparators()[1], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _before_comparator(norm: str, start: int) -> str | None:
    before = _comparators()[0]
    window = norm[max(0, start - 4) : start]
    if "\n" in window:  # a comparator cut by a hard wrap: "超\n过"
        window = norm[max(0, start - 6) : start].replace("\n", "")[-4:]
    if window[-1:] not in _before_ends():
        return _comparator_before_verb(norm, start)  # no comparator word ends here
    for size in (4, 3, 2, 1):
        if len(window) >= size and window[-size:] in before:
            word = window[-size:]
            if word == "近" and window[-2:-1] and window[-2:-1] in "最接将附":
                continue
            return before[word]
    return _comparator_before_verb(norm, start)


@cache
def _before_ends() -> frozenset[str]:
    """Last characters of the comparators written before a figure (a quick test first)."""
    return frozenset(w[-1] for w in _comparators()[0])


@cache
def _verb_ends() -> frozenset[str]:
    return frozenset(w[-1] for w in lexicon.mapping("directions.tsv"))


def _comparator_before_verb(norm: str, start: int) -> str | None:
    """A comparator set before the rise/fall verb: "至少降低30%", "不低于增长5%"."""
    if _char(norm, start - 1) not in _verb_ends():
        return None
    window = norm[max(0, start - 8) : start]
    for size in (2, 3, 4):
        verb = window[-size:]
        if len(verb) == size and lexicon.mapping("directions.tsv").get(verb):
            head = window[:-size]
            head = head[:-1] if head.endswith("再") else head
            before = _comparators()[0]
            for wsize in (3, 2):
                if len(head) >= wsize and head[-wsize:] in before:
                    return before[head[-wsize:]]
            return None
    return None


def _inside_quotes(norm: str, start: int, end: int) -> bool:
    if not _QUOTE_OPENINGS.search(norm, max(0, start - 24), start):
        return False  # the common case: no quotation mark just before the figure
    left = norm[max(0, start - 24) : start]
    for opening, closing in _QUOTES.items():
        i = left.rfind(opening)
        if i < 0:
            continue
        if opening == closing:
            if left.count(opening) % 2 == 0:
                continue
        elif closing in left[i + 1 :]:
            continue
        if closing in norm[end : end + 24]:
            return True
    return False


@cache
def _label_nouns() -> re.Pattern[str]:
    return patterns.alternation("label_nouns.txt")


@cache
def _not_counted() -> re.Pattern[str]:
    return patterns.alternation("not_counted.txt")


@cache
def _fixed_phrases() -> re.Pattern[str]:
    return patterns.alternation("fixed_phrases.txt")


def _char(norm: str, i: int) -> str:
    """The character at ``i``, or NUL outside the text (never the empty string: "" in "abc")."""
    return norm[i] if 0 <= i < len(norm) else "\0"


def _is_excluded(norm: str, start: int, end: int) -> bool:
    if _fixed_phrases().match(norm, start):
        return True
    if norm.find("\n", start, start + 12) >= 0 and _fixed_phrases().match(
        norm[start : start + 12].replace("\n", "")
    ):
        return True  # a set phrase cut by a hard wrap
    prev = norm[start - 1] if start else ""
    nxt = norm[end] if end < len(norm) else ""
    if nxt.isascii() and nxt.isalpha() and patterns.latin_unit_re().match(norm, end):
        nxt = ""  # "100MW", "5km": a unit written in Latin letters
    if prev == "、" and _RANKING_BEFORE.search(norm, max(0, start - 8), start):
        return True  # "第25位、36位": the second ranking of a list
    if prev == "-" and _char(norm, start - 2).isdigit():
        return True  # "023-61520697": a telephone number
    if prev == "第" or (prev.isascii() and prev.isalpha()) or (nxt.isascii() and nxt.isalpha()):
        return True
    if (prev and prev in "+×/") or (nxt and nxt in "+×/"):
        return True
    if prev == "(" and nxt == ")":
        return True  # list numbering "(3)"; a figure in brackets is one: "清淤(20万方)"
    if nxt and nxt in ".、)":
        line_start = norm.rfind("\n", max(0, start - 6), start) + 1
        if not norm[max(line_start, start - 6) : start].strip(" (\t"):
            return True  # list numbering: "1." "2、" "3)"
    if not _QUOTE_OPENINGS.search(norm, max(0, start - 24), start):
        return False  # the common case: no quotation mark just before the figure
    return _inside_quotes(norm, start, end)


_SMALL_MULT = {"十": 10.0, "百": 100.0, "千": 1000.0}


def _read_multiplier(norm: str, pos: int) -> tuple[float, int]:
    nxt = norm[pos : pos + 1]
    if nxt not in "十百千万亿":  # the common case: no multiplier ("" at the end goes on)
        return 1.0, pos
    if nxt in _SMALL_MULT and norm[pos + 1 : pos + 2] in ("万", "亿"):
        big, end = _read_multiplier(norm, pos + 1)  # "5千万元", "3百万"
        return _SMALL_MULT[nxt] * big, end
    for word in ("万亿", "亿", "万", "千"):
        if norm.startswith(word, pos):
            if word == "千" and _char(norm, pos + 1) in "瓦米克卡伏":
                return 1.0, pos  # 千瓦, 千米 ... are units, not multipliers
            return MULTIPLIERS[word], pos + len(word)
    return 1.0, pos


def _read_tail(norm: str, pos: int) -> tuple[float, str, str | None, int]:
    """Multiplier, unit, comparator word after a numeral; returns the end position too."""
    comp: str | None = None
    n = len(norm)
    if pos < n and norm[pos] in " \n":  # (the test _skip_wrap starts with, without a call)
        pos = _skip_wrap(norm, pos)
    if pos < n and norm[pos] in "多余":
        comp, pos = ">=", _skip_wrap(norm, pos + 1)
    mult, pos = _read_multiplier(norm, pos)
    if pos < n and norm[pos] in " \n":
        pos = _skip_wrap(norm, pos)
    if pos < n and norm[pos] in "多余":
        comp, pos = ">=", _skip_wrap(norm, pos + 1)
        if mult != 1.0:  # "3万多亿元": a second multiplier after 多
            more, pos = _read_multiplier(norm, pos)
            mult *= more
            pos = _skip_wrap(norm, pos)
    unit = ""
    m = patterns.unit_re().match(norm, pos)
    if m:
        u = lexicon.units()[m.group(0)]
        if u.kind == "money_small" and not (
            m.group(0).endswith("钱") or _SMALL_MONEY_LIST.match(norm, m.end())
        ):
            return mult, "", comp, pos  # "3分" is money only where the text says 钱: "3分、5分和1毛钱"
        unit, pos = u.canonical, m.end()
        if _char(norm, pos) == "/":  # a rate: "5.4亿元/平方公里"
            per = patterns.unit_re().match(norm, pos + 1)
            if per and lexicon.units()[per.group(0)].kind not in ("rate", "money", "money_small"):
                unit, pos = f"{unit}/{lexicon.units()[per.group(0)].canonical}", per.end()
    return mult, unit, comp, pos


def _skip_wrap(norm: str, pos: int) -> int:
    """Skip one space or one hard-wrap line break (PDF text) inside a figure."""
    if pos < len(norm) and norm[pos] in " \n":
        if norm[pos] == " " or not is_hard_newline(norm, pos):
            return pos + 1
    return pos


def _after_comparator(norm: str, pos: int) -> tuple[str | None, int]:
    pos2 = _skip_wrap(norm, pos)
    if pos2 != pos and _after_re().match(norm, pos2):
        pos = pos2
    m = _after_re().match(norm, pos)
    if m and not (m.group(0) == "多" and _char(norm, pos + 1) in "元样种彩"):
        return _comparators()[1][m.group(0)], m.end()
    window = norm[pos : pos + 4]
    if "\n" in window and not is_hard_newline(norm, pos + window.index("\n")):
        m = _after_re().match(window.replace("\n", ""))  # "以\n上"
        if m and len(m.group(0)) > 1:
            return _comparators()[1][m.group(0)], pos + m.end() + 1
    rest = norm[pos:].rstrip() if len(norm) - pos <= 4 else ""
    if 0 < len(rest) < 2:  # a text cut inside the word: "…增长4%左" (excerpts end mid-sentence)
        words = [w for w in _comparators()[1] if len(w) > len(rest) and w.startswith(rest)]
        if len({_comparators()[1][w] for w in words}) == 1:
            return _comparators()[1][words[0]], pos + len(rest)
    return None, pos


def _word_quantity(kind: str, text: str, groups: dict[str, str | None]) -> tuple[float, str] | None:
    if kind == "word":
        if text.startswith("翻"):
            if text == "翻番":
                return 2.0, "倍"
            return (2.0 if "两" in text else 1.0), "番"  # the numeral as written: 翻一番 -> 1 番
        if text == "全覆盖":
            return 100.0, "%"
        if text == "一半":
            return 50.0, "%"
        den = chinese_to_float(groups.get("den") or "")
        num = chinese_to_float(groups.get("num") or "")
        if den and num is not None:
            return num * 100 / den, "%"
        return None
    if kind == "cheng":
        v = chinese_to_float(text[0])
        return (v * 10, "%") if v is not None else None
    if kind == "pct":
        v = chinese_decimal(groups.get("pct") or "")
        return (v, "%") if v is not None else None
    return None


def read_quantity(norm: str, m: re.Match[str]) -> Quantity | None:
    """The figure that starts at match ``m`` of NUMBER_RE, or None when it is not one."""
    kind = m.lastgroup or ""
    if kind in ("den", "num"):
        kind = "word"
    start, end = m.span()
    token = m.group(0)  # (read once: each m.group(0) is a call)
    if kind == "ar" and "\n" in token:
        cut = _hard_cut(norm, start, end)
        if cut != end:
            return _cut_quantity(norm, start, cut)
    if _is_excluded(norm, start, end):
        return None
    if kind in ("word", "cheng", "pct"):
        wq = _word_quantity(kind, token, m.groupdict())
        if wq is None or (token == "全覆盖" and norm[end : end + 1] == "的"):
            return None  # "全覆盖的体系": an adjective, not a commitment
        if token == "全覆盖" and _char(norm, start - 1) in "健完齐安周保":
            return None  # "健全覆盖全民的…体系": 全 ends the word before
        comp_after, stop = _after_comparator(norm, end)
        word_comp = comp_after or _before_comparator(norm, start) or "="
        return Quantity(start, end, stop, wq[0], wq[1], word_comp)
    if kind == "ar":
        if len(token) > 1 and token[0] == "0" and token[1].isdigit():
            return None  # "000" after a stray space ("5, 000人"), "007": not a figure
        try:
            value = parse_arabic(token)
        except ValueError:
            return None
    else:
        v = chinese_decimal(token) if "点" in token else chinese_to_float(token)
        if v is None:
            return None
        if _cn_wording(norm, start, end, token):
            return None  # "三个方面", "十项措施", "三年": wording, not a count
        if (
            all(ch in "十百千万亿" for ch in token)
            and not _before_comparator(norm, start)
            and (norm[start - 1 : start] != "上")
        ):
            return None  # a bare 万/亿 ("亿万人民", "千家万户") needs 超过/近/上 before it
        value = v
    compound = read_compound(norm, end, value) if kind == "ar" else None
    if compound is not None:
        value, end_tail, comp0 = compound
        mult, unit, comp, pos = _read_tail(norm, end_tail)
        mult, comp = 1.0, comp or comp0
        has_mult = True
    else:
        mult, unit, comp, pos = _read_tail(norm, end)
        has_mult = mult != 1.0 or (kind == "cn" and token[-1] in "万亿")
    unit_noun = False
    if not unit and has_mult:
        unit = _unit_from_noun(norm, pos)  # "6069万农民受益": the noun names the unit
        unit_noun = bool(unit)
    if not unit and not has_mult and not _starts_range(norm, pos):
        return None
    if not _plausible_unit(norm, start, end, pos, unit, value, has_mult):
        return None
    # (positional, in field order: keywords cost more per figure)
    q = Quantity(start, end, pos, _times(value, mult), unit, comp or "=", None, has_mult, mult, unit_noun)
    if compound is not None:
        q.end = COMPOUND_RE.match(norm, end).end(3)  # type: ignore[union-attr]  # span "1万6千", not "1"
    if unit == "成":
        q.value, q.unit = q.value * 10, "%"
    _read_range(norm, q)
    if q.comparator == "range" and (
        not (q.unit or has_mult) or not _plausible_unit(norm, start, end, q.stop, q.unit, value, has_mult)
    ):
        return None  # "1-3月", "2024-2026年", "3-5年": dates and durations, not figures
    comp_after, q.stop = _after_comparator(norm, q.stop)
    if q.comparator != "range":
        q.comparator = comp_after or comp or _before_comparator(norm, start) or "="
    if not (math.isfinite(q.value) and abs(q.value) < _MAX_VALUE) or (
        q.value_max is not None and not math.isfinite(q.value_max)
    ):
        return None  # a run of digits, not a figure
    if comp_after in (">=", "<=") and q.unit not in _COUNT_UNITS and _label_nouns().match(norm, q.stop):
        return None  # "10亿元以上项目": a size class, not a figure
    if unit == "个" and _not_counted().match(norm, q.stop):
        return None  # "从3个方面": wording, not a count
    if q.unit in _DURATION_UNITS and _is_modifier(norm, q):
        return None  # "60岁以上人群", "13-14岁女生": an age or duration that qualifies a noun
    return q


def _cn_wording(norm: str, start: int, end: int, token: str) -> bool:
    """A Chinese numeral before a unit that takes one only as a round number (units.tsv col. 4)."""
    i = end
    while i < min(len(norm), end + 4) and norm[i] in "多余万亿千":
        i += 1
    if i > end and norm[i - 1] == "千" and norm[i : i + 1] in ("瓦", "米", "克"):
        i -= 1  # 千瓦, 千米, 千克 are units
    m = patterns.unit_re().match(norm, i)
    if not m:
        return True  # NUMBER_RE screens by a unit's first character only: "三平台" is no figure
    flag = lexicon.units()[m.group(0)].chinese
    if flag == "-":
        return True
    if flag == "big" and not any(ch in "百千万亿" for ch in token):
        # "承办…等两项国家级赛事" counts the list before it ("等一批" is wording)
        return token == "一" or _char(norm, start - 1) != "等"
    if token == "一" and _char(norm, m.end()) == m.group(0)[-1]:
        return True  # "一座座新城", "一个个村庄"
    return False


def _unit_from_noun(norm: str, pos: int) -> str:
    """人/户 when a person or household noun follows a bare 万/亿 figure closely."""
    window = norm[pos : pos + 8]
    for i, ch in enumerate(window):
        if not "\u4e00" <= ch <= "\u9fff":
            window = window[:i]
            break
    m = patterns.unit_noun_re().search(window)
    if not m or m.start() > 4:
        return ""
    return lexicon.mapping("unit_nouns.tsv")[m.group(0)]


def _is_modifier(norm: str, q: Quantity) -> bool:
    if q.unit not in _DURATION_UNITS or not (q.comparator in (">=", "<=", "range") or q.unit in _AGE_UNITS):
        return False
    nxt = _char(norm, q.stop)
    if not "\u4e00" <= nxt <= "\u9fff":
        return False
    return nxt == "的" or nxt not in _PREDICATE_STARTS


_POWERS_OF_TEN = {10.0**k: k for k in range(1, 23)}  # (exact floats: 10**22 is the last)


def _times(value: float, mult: float) -> float:
    """value x multiplier without binary noise: 312.4 x 1e8 -> 31240000000.0, not ...999996."""
    if mult == 1.0:
        return value
    shown = repr(value)
    exp = _POWERS_OF_TEN.get(mult)
    if exp is not None and shown.replace(".", "", 1).isdigit():
        # the same correctly rounded float as the exact decimal product, parsed from "312.4e8"
        # (a third of the time of two Decimals)
        return float(f"{shown}e{exp}")
    return float(Decimal(shown) * Decimal(repr(mult)))


def _hard_cut(norm: str, start: int, end: int) -> int:
    """End of a figure at the first hard line break inside it (soft wraps are kept)."""
    i = norm.find("\n", start, end)
    while i >= 0:
        if is_hard_newline(norm, i):
            return i
        i = norm.find("\n", i + 1, end)
    return end


def _cut_quantity(norm: str, start: int, cut: int) -> Quantity | None:
    m = _FIRST_RE.match(norm, start, cut)
    return read_quantity(norm, m) if m and m.end() == cut else None


def _plausible_unit(
    norm: str, start: int, end: int, pos: int, unit: str, value: float, has_mult: bool = False
) -> bool:
    if norm[start - 1 : start] == "前" and norm[pos - 1 : pos] in "位名强":
        return False  # a ranking: "进入全省前30位"
    if unit in _DURATION_UNITS and _char(norm, pos) in "来前后间":
        return False  # "40多年来": a span of time, not a figure
    if unit == "年" and (
        (end - start == 4 and norm[start:end].isdigit()) or _char(norm, pos) in "代度初底末中"
    ):
        return False  # a year, not a count of years
    if unit == "天" and _char(norm, start - 1) in "月年":
        return False  # a date: 1月7日
    if unit in _DURATION_UNITS:
        if patterns.measured_span_re().search(norm[max(0, start - 10) : start]):
            return True  # "优良天数300天", "人均预期寿命78.6岁"
        return norm[max(0, start - 1) : start] in lexicon.words("level_verbs.txt") or norm[
            max(0, start - 2) : start
        ] in lexicon.words("duration_verbs.txt")
    if _char(norm, pos) == "月" and unit == "":
        return False
    if end - start == 4 and not unit and not has_mult and 1900 <= value <= 2100:
        return False  # a year ("2023万" is a figure: 2023 x 10^4)
    return True


def _starts_range(norm: str, pos: int) -> bool:
    return (
        norm[pos : pos + 1] in _RANGE_JOIN
        and norm[pos : pos + 1] != ""
        and bool(_SECOND_RE.match(norm, pos + 1))
    )


def _read_range(norm: str, q: Quantity) -> None:
    pos = q.stop
    if pos >= len(norm) or norm[pos] not in _RANGE_JOIN:
        return
    m = _SECOND_RE.match(norm, _skip_wrap(norm, pos + 1))
    if not m:
        return
    hi = parse_arabic(m.group(0))
    mult, unit, _, stop = _read_tail(norm, m.end())
    if unit and q.unit and unit != q.unit:
        return
    if q.multiplier == 1.0 and mult != 1.0:
        q.value = _times(q.value, mult)  # "3-5万人": the multiplier covers both ends
    q.value_max = _times(hi, mult if mult != 1.0 else q.multiplier)
    q.unit = q.unit or unit
    q.comparator = "range"
    q.stop = stop
