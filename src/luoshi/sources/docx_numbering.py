"""Word's automatic list numbering, rendered as text (``一、`` ``（二）`` ``3.``).

Headings of a work report are often numbered by Word rather than typed; without the number
``一、今年工作安排`` would reach extraction as ``今年工作安排``. Bullets are left out.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Numbering", "format_number"]

_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
_PLACEHOLDER = re.compile(r"%([1-9])")


def _chinese(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = (
            ""
            if rest == 0
            else ("零" + _DIGITS[rest] if rest < 10 else (_DIGITS[1] if rest < 20 else "") + _chinese(rest))
        )
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Counter ``n`` in Word's ``w:numFmt`` (unknown formats fall back to decimal)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return _chinese(n)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _DIZHI[n - 1]
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class Numbering:
    """Counters of one document's lists; :meth:`label` is called for paragraphs in order."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self._counters: dict[str, list[int]] = {}
        self._style_numpr: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return  # no numbering part: nothing is auto-numbered
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            node = abstract.get(ref.get(qn("w:val")) if ref is not None else None)
            if node is None:
                continue
            levels = {
                int(lvl.get(qn("w:ilvl"), "0")): self._level(lvl) for lvl in node.iterchildren(qn("w:lvl"))
            }
            for override in num.iterchildren(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and ilvl in levels:
                    levels[ilvl] = (int(start.get(qn("w:val"), "1")), *levels[ilvl][1:])
            self._levels[num.get(qn("w:numId"))] = levels
        self._read_styles(document)

    def _level(self, lvl: Any) -> tuple[int, str, str]:
        qn = self._qn

        def val(tag: str, default: str) -> str:
            node = lvl.find(qn(tag))
            return str(node.get(qn("w:val"), default)) if node is not None else default

        return int(val("w:start", "1")), val("w:numFmt", "decimal"), val("w:lvlText", "")

    def _read_styles(self, document: Any) -> None:
        """Paragraph styles (headings, mostly) that carry their own numbering."""
        qn = self._qn
        try:
            styles = document.styles.element
        except AttributeError:
            return
        for style in styles.iterchildren(qn("w:style")):
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                ilvl = num_pr.find(qn("w:ilvl"))
                if num_id is not None:
                    level = int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
                    self._style_numpr[style.get(qn("w:styleId"))] = (num_id.get(qn("w:val")), level)

    def label(self, p: Any) -> str:
        """The rendered number of paragraph ``p`` ("" when it is not numbered), advancing the count."""
        qn = self._qn
        ppr = p.find(qn("w:pPr"))
        if ppr is None or not self._levels:
            return ""
        num_pr = ppr.find(qn("w:numPr"))
        if num_pr is not None:
            num_id_node, ilvl_node = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
            num_id = num_id_node.get(qn("w:val")) if num_id_node is not None else None
            ilvl = int(ilvl_node.get(qn("w:val"), "0")) if ilvl_node is not None else 0
        else:
            style = ppr.find(qn("w:pStyle"))
            found = self._style_numpr.get(style.get(qn("w:val"))) if style is not None else None
            if found is None:
                return ""
            num_id, ilvl = found
        levels = self._levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id or "", [0] * 9)
        ilvl = min(ilvl, 8)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][0]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        _start, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def render(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            level_fmt = levels.get(level, (1, "decimal", ""))[1]
            value = counters[level] or levels.get(level, (1, "", ""))[0]
            return format_number(value, level_fmt)

        label = _PLACEHOLDER.sub(render, text)
        return label if not label[-1:].isascii() or label[-1:] in ")]" else label + " "
