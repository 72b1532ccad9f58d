"""Figures as people write them: one parser for what is typed, one formatter for what is shown.

:func:`parse_figure` reads a number typed into any input (the progress form, 更正, the edit form,
the sheet import, the API): ``280万``, ``1.2亿``, ``3,000``, ``1361万元``, full-width digits
(``２８０``), Chinese numerals (``三千``). The result is the number meant **in the target's unit**
(``1.2亿`` for a target in 元 is 120000000; for a target in 亿元 it is 1.2), or a
:class:`~luoshi.errors.InputError` in Chinese naming the field. Nothing is ever truncated, and
non-finite values (``1e999``, ``Infinity``, ``NaN``) are refused.

:func:`format_value` shows a value the way a report writes it: ``312.4亿元``, ``1万人``, ``≥300座``,
``6%–6.5%``, ``5%左右`` — never ``1.1e+07`` or ``2.8908e+10``.

Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from luoshi.errors import InputError

__all__ = [
    "FigureError",
    "format_compact",
    "format_number",
    "format_value",
    "parse_figure",
    "unit_multiplier",
]

_MULTIPLIERS = (("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("千", 1e3))
_ARABIC = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(.*)")
_CN_NUMERAL = re.compile(r"([零〇一二两三四五六七八九十百千万亿点]+)(.*)")
_NON_FINITE = re.compile(r"^[+-]?(?:inf(?:inity)?|nan)$", re.I)
# units never scaled to 万/亿 when shown (a share, a ratio, a rank)
_UNSCALED = ("%", "‰", "个百分点", "百分点", "倍", "位", "名")


class FigureError(InputError):
    """A typed figure that is not a number (or not an allowed one); the message names the field."""


def unit_multiplier(unit: str | None) -> tuple[float, str]:
    """(multiplier, base unit) of a unit: '亿元' -> (1e8, '元'), '万人' -> (1e4, '人'), '座' -> (1, '座')."""
    unit = (unit or "").strip()
    for prefix, mult in _MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return mult, unit[len(prefix) :]
    return 1.0, unit


def _split_multiplier(rest: str) -> tuple[float | None, str]:
    for prefix, mult in _MULTIPLIERS:
        if rest.startswith(prefix):
            return mult, rest[len(prefix) :]
    return None, rest


def _chinese(token: str) -> tuple[float | None, float | None]:
    """(number, trailing 万/亿 multiplier) of a Chinese numeral: '二百八十万' -> (280, 1e4)."""
    from luoshi.extraction.numerals import chinese_decimal, chinese_to_float, split_multiplier

    body, mult = split_multiplier(token)
    number = chinese_decimal(body) if "点" in body else chinese_to_float(body)
    return number, (mult if mult != 1.0 else None)


def _read(raw: str, field: str) -> tuple[float, float | None, str] | None:
    """(number, typed 万/亿 multiplier or None, typed unit) of a typed text; None when empty."""
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"[\s,，_']", "", text).replace("−", "-")
    if not text:
        return None
    if _NON_FINITE.match(text):
        raise FigureError(f"{field}须为有限的数字，不能是 {raw}")
    text = re.sub(r"^(?:约|近|超过|达到|达|共|累计)", "", text)
    if m := _ARABIC.fullmatch(text):
        number: float | None = float(m.group(1))
        mult, rest = _split_multiplier(m.group(2))
    elif cn := _CN_NUMERAL.fullmatch(text):
        number, mult = _chinese(cn.group(1))
        rest = cn.group(2)
        if mult is None:
            mult, rest = _split_multiplier(rest)
    else:
        number = None
    if number is None or re.search(r"[\d.]", rest):
        raise FigureError(f"{field}无法识别为数字：{raw}（可写成 280万、1.2亿、3,000 或 1361万元）")
    return number, mult, re.sub(r"(?:以上|以下|左右|多|余)$", "", rest)


def _scale(value: float, mult: float, div: float) -> float:
    """value * mult / div in decimal, so 312.4亿 is 31240000000, not 31239999999.999996."""
    if not math.isfinite(value):
        return value
    return float(Decimal(repr(value)) * Decimal(repr(mult)) / Decimal(repr(div)))


def parse_figure(
    raw: Any, field: str, unit: str | None = None, *, allow_negative: bool = True
) -> float | None:
    """The number meant by ``raw`` in ``unit`` (the target's unit); None when empty.

    ``field`` is the field's Chinese name, used in every error message (e.g. "本期完成值").
    A figure typed without 万/亿 is taken in the target's unit as it stands ("280" for a 万人
    target is 280万人); with them, it is converted ("280万" for a 万人 target is 280 too).
    """
    if isinstance(raw, bool):
        raise FigureError(f"{field}须为数字：{raw!r}")
    if raw is None:
        return None
    unit = (unit or "").strip()
    target_mult, base = unit_multiplier(unit)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        read = _read(str(raw), field)
        if read is None:
            return None
        value, mult, typed_unit = read
        if typed_unit:
            if not unit:
                raise FigureError(f"{field}只需填写数字（该目标没有单位）：{raw}")
            if typed_unit not in (unit, base):
                raise FigureError(f"{field}的单位“{typed_unit}”与目标的单位“{unit}”不一致：{raw}")
            if typed_unit == base != unit and mult is None:
                mult = 1.0  # "1361元" for a 万元 target: typed in 元, converted below
        if mult is not None:
            value = _scale(value, mult, target_mult)
    if not math.isfinite(value):
        raise FigureError(f"{field}须为有限的数字，不能是 {raw}")
    if not allow_negative and value < 0:
        raise FigureError(f"{field}不能为负数：{raw}")
    return value


def format_number(value: float) -> str:
    """A plain decimal with no exponent and no trailing zeros: 11000000.0 -> '11000000', 6.50 -> '6.5'."""
    if not math.isfinite(value):
        return "—"
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _scaled(value: float, unit: str) -> tuple[str, str]:
    """(number, unit) with 万/亿 as reports write them: 31240000000 元 -> ('312.4', '亿元')."""
    if unit in _UNSCALED or unit_multiplier(unit)[0] != 1.0:
        return format_number(value), unit
    for prefix, mult in (("亿", 1e8), ("万", 1e4)):
        if abs(value) >= mult:
            # At most two decimals, exactly (in decimal, not float): 312.4亿, 1.2万; 100000001 stays
            # as it is (a float test once showed it as 1亿, a figure one off).
            scaled = Decimal(repr(value)) / int(mult)
            if scaled == scaled.quantize(_HUNDREDTH):
                return format_number(float(scaled)), prefix + unit
    return format_number(value), unit


_HUNDREDTH = Decimal("0.01")
_SYMBOLS = {">=": "≥", "<=": "≤"}


def format_value(
    value: float | None, unit: str | None = "", comparator: str | None = None, value_max: float | None = None
) -> str:
    """A target or reading as a report writes it: ≥300座, 312.4亿元, 6%–6.5%, 5%左右; '—' for none."""
    if value is None:
        return "—"
    unit = unit or ""
    shown, shown_unit = _scaled(float(value), unit)
    if comparator == "range" and value_max is not None:
        top, top_unit = _scaled(float(value_max), unit)
        return f"{shown}{shown_unit}–{top}{top_unit}"
    if comparator == "~":
        return f"{shown}{shown_unit}左右"
    return f"{_SYMBOLS.get(comparator or '', '')}{shown}{shown_unit}"


def format_compact(value: float, unit: str = "") -> str:
    """A short label for a chart axis: 12000000 -> '1200万', 3.5e9 元 -> '35亿元', 250 -> '250'
    (at most four significant figures, so labels fit beside the axis)."""
    unit = unit or ""
    if not math.isfinite(value):
        return "—"
    if unit not in _UNSCALED and unit_multiplier(unit)[0] == 1.0:
        for prefix, mult in (("亿", 1e8), ("万", 1e4)):
            if abs(value) >= mult:
                return f"{format_number(float(f'{value / mult:.4g}'))}{prefix}{unit}"
    return f"{format_number(float(f'{value:.4g}'))}{unit}"


_COMPARATOR_WORDS = (
    ("≥", ">="),
    (">=", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("≤", "<="),
    ("<=", "<="),
    ("不超过", "<="),
    ("控制在", "<="),
    ("约", "~"),
)
_COMPARATOR_TAILS = (("以上", ">="), ("以下", "<="), ("以内", "<="), ("左右", "~"))


def parse_target_figure(raw: str, field: str = "目标值") -> tuple[str | None, float, str, float | None]:
    """(comparator, value, unit, value_max) of a target figure as written: '≥300座', '5%左右',
    '1.2万人以上', '6%–6.5%' (a range). The unit is what the text says, with 万/亿 kept in the
    number ('1.2万人' -> 12000 人); a FigureError names ``field`` when it is not a figure."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    comparator: str | None = None
    for word, code in _COMPARATOR_WORDS:
        if text.startswith(word):
            comparator, text = code, text[len(word) :]
            break
    for word, code in _COMPARATOR_TAILS:
        if text.endswith(word):
            comparator, text = comparator or code, text[: -len(word)]
            break
    low, sep, high = (
        text.partition("–") if "–" in text else text.partition("~") if "~" in text[1:] else (text, "", "")
    )
    if not sep and "-" in text[1:]:
        low, sep, high = text.partition("-") if not text.startswith("-") else (text, "", "")

    def one(part: str) -> tuple[float, str]:
        read = _read(part, field)
        if read is None:
            raise FigureError(f"{field}不能为空")
        value, mult, unit = read
        return _scale(value, mult or 1.0, 1.0), unit

    if sep:
        (lo, lo_unit), (hi, hi_unit) = one(low), one(high)
        return "range", lo, hi_unit or lo_unit, hi
    value, unit = one(text)
    return comparator, value, unit, None
