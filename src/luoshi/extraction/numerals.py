"""Numbers in report text: Arabic figures, Chinese numerals, multipliers, fractions.

``parse_number`` turns one token into a float; ``NUMBER_RE`` finds candidate tokens in one
pass over the normalised text (no nested quantifiers: it cannot backtrack badly).
"""

from __future__ import annotations

import re
from functools import lru_cache

from luoshi.extraction import lexicon, patterns
from luoshi.extraction.patterns import CN_DIGITS

__all__ = [
    "CN_DIGITS",
    "CN_WORDING_COUNTS",
    "COMPOUND_RE",
    "MULTIPLIERS",
    "NUMBER_RE",
    "chinese_decimal",
    "chinese_to_float",
    "parse_arabic",
    "parse_number",
    "read_compound",
    "split_multiplier",
]

MULTIPLIERS: dict[str, float] = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}

# counts that follow "一个", "三项", "十条" as wording far more often than as figures: a Chinese
# numeral before them counts only with 百/千/万/亿 in it ("两千四百个", not "三个"); units.tsv
# marks them "big" in its fourth column
CN_WORDING_COUNTS = frozenset(
    u.surface for u in lexicon.units().values() if u.chinese == "big" and len(u.surface) == 1
)

NUMBER_RE = patterns.number_re()

_CN_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

# "1万6千", "2万5千", "1亿3千多万": a big unit followed by a smaller digit group, written by
# hand in figures like daily counts or kilometres; bounded, no nested quantifiers.
COMPOUND_RE = re.compile(r"(万|亿)(\d{1,4})(千|百)(多|余)?(万)?")


def parse_arabic(token: str) -> float:
    """'1,234.5' / '6 . 5' -> float."""
    return float("".join(token.replace(",", "").split()))


@lru_cache(maxsize=4096)
def chinese_to_float(token: str) -> float | None:
    """Chinese numeral -> float ('三千' -> 3000, '万亿' -> 1e12, '十五' -> 15); None if not one."""
    if not token or any(ch not in CN_DIGITS for ch in token):
        return None
    if token[0] in "十百千万亿":
        token = "一" + token  # "万亿元", "千亿斤", "上亿人": the leading 一 is implied
    if all(ch in _CN_VALUES for ch in token):  # digit by digit: "二〇二四"
        return float("".join(str(_CN_VALUES[ch]) for ch in token))
    if not (len(token) >= 3 and token[-1] in _CN_VALUES and token[-2] in "百千万亿"):
        # the written form ("两千四百", "三百万", "十五") reads the same by place value; cn2an
        # (its import costs ~0.1 s) is left the colloquial "一万二" (12000), "三千五" (3500)
        return _fallback(token)
    try:
        import cn2an  # lazily: its import costs ~0.1 s

        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return _fallback(token)


def _fallback(token: str) -> float | None:
    total, section, digit = 0.0, 0.0, 0.0
    for ch in token:
        if ch in _CN_VALUES:
            digit = float(_CN_VALUES[ch])
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0.0
        elif ch == "万":
            total += (section + digit) * 1e4
            section = digit = 0.0
        elif ch == "亿":
            total = (total + section + digit) * 1e8
            section = digit = 0.0
        else:
            return None
    return total + section + digit


def split_multiplier(token: str) -> tuple[str, float]:
    """Split a trailing 万/亿/万亿 off a Chinese numeral: '三千万' -> ('三千', 1e4)."""
    for suffix in ("万亿", "亿", "万"):
        if token.endswith(suffix) and len(token) > len(suffix):
            return token[: -len(suffix)], MULTIPLIERS[suffix]
    return token, 1.0


def parse_number(token: str) -> float | None:
    """Any numeral token (Arabic or Chinese) -> float, or None."""
    t = token.strip()
    if not t:
        return None
    if t[0].isdigit():
        try:
            return parse_arabic(t)
        except ValueError:
            return None
    return chinese_to_float(t)


def chinese_decimal(token: str) -> float | None:
    """'五点五' -> 5.5 (the digits after 点 are read one by one); None if not a numeral."""
    whole, _, frac = token.partition("点")
    w = chinese_to_float(whole)
    if w is None:
        return None
    if frac:
        digits = [chinese_to_float(ch) for ch in frac]
        if any(d is None for d in digits):
            return None
        w += float("0." + "".join(str(int(d)) for d in digits if d is not None))
    return w


def read_compound(norm: str, end: int, value: float) -> tuple[float, int, str | None] | None:
    """Value, end and comparator of "1万6千(多)" / "1亿3千多万" after the first digits, or None."""
    m = COMPOUND_RE.match(norm, end)
    if not m or value != int(value):
        return None
    big = MULTIPLIERS[m.group(1)]
    small = {"千": 1000.0, "百": 100.0}[m.group(3)] * (1e4 if m.group(5) else 1.0)
    if m.group(5) and big != 1e8:
        return None
    sub = float(m.group(2)) * small
    if sub >= big:
        return None  # "1万16千" is not a figure
    if not m.group(5) and m.group(4) and norm[m.end() : m.end() + 1] in ("万", "亿"):
        return None
    return value * big + sub, m.end(), (">=" if m.group(4) else None)
