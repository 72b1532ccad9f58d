"""Sentences and clauses with their spans, including layout that stands in for punctuation.

Text copied from web pages often lays out a list with spaces, " - " or list markers instead of
punctuation ("新增停车位500个 改造老旧小区10个 - 建设口袋公园3座 ①…②…"). Such a space is a
clause boundary only where it acts as punctuation: it follows a word (not a digit: "2024 年",
"3.46 万亿元" are spacing inside a figure) and the item before it holds a figure of its own, so
a stray space inside a phrase ("传统风貌区 和胜利巷") is not one.

Everything here is a pure function of the normalised text (see :mod:`normalize`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from luoshi.extraction.sections import next_break, sentence_bounds

__all__ = ["CLAUSE_BREAKS", "Span", "clauses", "layout_break_after", "layout_break_before", "sentences"]

CLAUSE_BREAKS = ",;:。!?"
_ITEM_WINDOW = 40  # how far back an item's own figure may lie
# " - " between items, a circled number, or "(2)" opening an item ("(20万方)" is a figure)
_HINT = re.compile("[ (\u2460-\u2473]")  # a character any layout break needs
_MARKER = re.compile(r" [-—–] |[\u2460-\u2473]|\(\d{1,2}\)(?=[\u4e00-\u9fff])")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _item_break(norm: str, i: int, j: int) -> bool:
    """Is the run of spaces ``norm[i:j]`` a boundary between two list items?"""
    prev = norm[i - 1] if i else ""
    nxt = norm[j] if j < len(norm) else ""
    if not ((_is_cjk(prev) or prev in "%)") and (_is_cjk(nxt) or nxt.isdigit())):
        return False
    lo = max(0, i - _ITEM_WINDOW)
    punct = max(norm.rfind(ch, lo, i) for ch in CLAUSE_BREAKS + "\n ")
    return any(ch.isdigit() for ch in norm[max(lo, punct + 1) : i])


def layout_break_before(norm: str, lo: int, pos: int) -> int:
    """Index of the last layout break in ``norm[lo:pos]`` (its last character), else -1."""
    best = -1
    if not _HINT.search(norm, lo, pos):
        return best  # the common case: nothing that could be layout
    for m in _MARKER.finditer(norm, lo, pos):
        best = m.end() - 1 if m.group(0)[0] == " " else m.start() - 1 if m.group(0)[0] == "(" else m.start()
    j = pos
    while True:
        i = norm.rfind(" ", max(lo, best + 1), j)
        if i < 0:
            return best
        k = i
        while k > lo and norm[k - 1] == " ":
            k -= 1
        end = i + 1
        if _item_break(norm, k, end):
            return max(best, i)
        j = k


def layout_break_after(norm: str, pos: int, hi: int) -> int:
    """Index of the first layout break in ``norm[pos:hi]``, else -1."""
    if not _HINT.search(norm, pos, hi):
        return -1
    m = _MARKER.search(norm, pos, hi)
    best = m.start() if m else -1
    i = norm.find(" ", pos, hi)
    while i >= 0:
        prev = norm[i - 1] if i else ""
        j = i
        while j < hi and norm[j] == " ":
            j += 1
        nxt = norm[j] if j < len(norm) else ""
        if (
            (_is_cjk(prev) or prev in "%)")
            and _is_cjk(nxt)
            and any(ch.isdigit() for ch in norm[max(0, pos - 12) : i])
        ):
            return i if best < 0 else min(best, i)
        i = norm.find(" ", j, hi)
    return best


class Span(NamedTuple):
    start: int
    end: int

    def text(self, norm: str) -> str:
        return norm[self.start : self.end]


def sentences(norm: str) -> list[Span]:
    """Sentences in text order (split at 。!? and hard line breaks), without surrounding blanks."""
    out: list[Span] = []
    pos = 0
    n = len(norm)
    while pos < n:
        while pos < n and norm[pos] in " \t\n":
            pos += 1
        if pos >= n:
            break
        start, end = sentence_bounds(norm, pos)
        start = max(start, pos)
        if end <= start:
            end = start + 1
        out.append(Span(start, end))
        pos = end
    return out


def clauses(norm: str, start: int, end: int) -> list[Span]:
    """Clauses of the sentence ``norm[start:end]``: split at ,;: and at layout breaks."""
    out: list[Span] = []
    pos = start
    while pos < end:
        brk = next_break(norm, pos, end, CLAUSE_BREAKS)
        lay = layout_break_after(norm, pos, end)
        cut = min(x for x in (brk, lay, end) if x >= 0)
        if cut == lay and cut >= 0:
            m = _MARKER.match(norm, cut)
            stop, nxt = cut, m.end() if m else cut + 1
        else:
            stop, nxt = cut, cut + 1
        piece = norm[pos:stop]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append(Span(pos + lead, pos + trail))
        pos = max(nxt, pos + 1)
        while pos < end and norm[pos] == " ":
            pos += 1
    return out
