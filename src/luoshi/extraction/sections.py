"""Section headings, the part each belongs to (review / plan / other), and sentence bounds."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from luoshi.extraction import lexicon
from luoshi.extraction.model import Part, Section

__all__ = [
    "SectionIndex",
    "classify_heading",
    "find_sections",
    "heading_cue",
    "is_hard_newline",
    "last_break",
    "next_break",
    "sentence_bounds",
]

_CN = "一二三四五六七八九十"
# level-1 "一、..." / "第一部分"; level-2 "(一)..." (its heading is the lead sentence); short
# stand-alone lines (news-style subheadings) are level 1 too.
_HEADING_RE = re.compile(
    rf"^[ \t]*(?:(?P<l1>[{_CN}]{{1,3}}、|第[{_CN}]{{1,3}}部分)|(?P<l2>\([{_CN}]{{1,3}}\)))"
    r"(?P<rest>[^\n]{0,200})"
    r"|^[ \t]*(?P<short>[^\n。,;:!?]{4,32}+)[ \t]*$",
    re.MULTILINE,
)  # (short is possessive: giving back characters never lets [ \t]*$ match where it failed, and
#   the backtracking at each long line's start cost a sixth of sectioning; the matches are the same)
_NUMBERED_L1 = re.compile(rf"[{_CN}]{{1,3}}、|第[{_CN}]{{1,3}}部分")
_YEAR_RE = re.compile(r"(?<!\d)(20\d\d|19\d\d)年(?!\d{1,2}月)")  # a date ("2023年3月5日") is no period
_SENT_END = "。!?\n"
_MAX_SENTENCE = 600


@dataclass(slots=True)
class _Heading:
    start: int
    level: int
    text: str


@cache
def _heading_words() -> tuple[tuple[str, str], ...]:
    return lexicon.rows("headings.tsv")  # type: ignore[return-value]


def classify_heading(heading: str, plan_year: int | None = None) -> Part:
    """review / plan / other from the words (and year) of a heading."""
    for word, part in _heading_words():
        if part == "review" and word in heading:
            return "review"
    m = _YEAR_RE.search(heading)
    if m and plan_year:
        year = int(m.group(1))
        if year < plan_year:
            return "review"
        return "plan"
    for word, part in _heading_words():
        if part == "plan" and word in heading:
            return "plan"
    return "other"


def heading_cue(heading: str, plan_year: int | None = None) -> tuple[str, int] | None:
    """The word (or year) of a heading that gives its part, and its offset: the basis of the
    roles in the section. Mirrors :func:`classify_heading`."""
    for word, part in _heading_words():
        if part == "review" and word in heading:
            return word, heading.index(word)
    m = _YEAR_RE.search(heading)
    if m and plan_year:
        return m.group(0), m.start()
    for word, part in _heading_words():
        if part == "plan" and word in heading:
            return word, heading.index(word)
    return None


def _headings(norm: str) -> list[_Heading]:
    out: list[_Heading] = []
    for m in _HEADING_RE.finditer(norm):
        if m.group("short") is not None:
            text = m.group("short").strip()
            if text[-1:] in "。,;:、" or sum(ch.isdigit() for ch in text) > 6:
                continue
            # a line ending without punctuation after a sentence-like line is a heading only
            # when it is followed by a blank line or a longer paragraph
            out.append(_Heading(m.start("short"), 1, text))
            continue
        level = 1 if m.group("l1") else 2
        rest = m.group("rest")
        if level == 2:
            cut = min((i for i in (rest.find("。"), rest.find("!")) if i >= 0), default=len(rest))
            rest = rest[:cut]
        elif len(rest) > 60:
            continue  # a long "一、" line is a numbered paragraph, not a heading
        start = m.start("l1") if level == 1 else m.start("l2")
        out.append(
            _Heading(
                start,
                level,
                norm[
                    start : start + len(m.group(0).strip()) if level == 1 else m.end("l2") + len(rest)
                ].strip(),
            )
        )
    return out


_INLINE_RE = re.compile(rf"(?=[{_CN}])(?:^|(?<=[。!?\s]))([{_CN}]{{1,2}})、")  # (?=…): 2-3x faster
_ORDER = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def _inline_headings(norm: str) -> list[_Heading]:
    """Numbered headings run into the text (HTML or text without line breaks): "…。二、2024年…"."""
    out: list[_Heading] = []
    for m in _INLINE_RE.finditer(norm):
        if len(out) >= len(_ORDER) or m.group(1) != _ORDER[len(out)]:
            continue  # only 一、 二、 三、 … in order are sections
        rest = norm[m.end() : m.end() + 30]
        cut = min((i for i in (rest.find(ch) for ch in "。,;:!?") if i >= 0), default=len(rest))
        out.append(_Heading(m.start(), 1, norm[m.start() : m.end() + cut]))
    return out if len(out) >= 2 else []


def find_sections(text: str, norm: str, plan_year: int | None) -> list[Section]:
    """Sections in text order; level-2 parts inherit the part of their level-1 section."""
    heads = _headings(norm)
    numbered = any(h.text[:1] in _CN for h in heads if h.level == 1)
    if not numbered:
        inline = _inline_headings(norm)
        if inline:
            heads, numbered = inline, True
    if numbered:  # numbered outline: plain short lines are titles, not sections
        # (a wrapped line that merely starts with a numeral, "一系列…", "二十国集团…", is no section)
        heads = [h for h in heads if h.level == 2 or _NUMBERED_L1.match(h.text)]
    # where each section ends: a level-2 one at the next heading, a level-1 one at the next
    # level-1 heading (one backward pass: linear in the number of headings)
    ends = [len(text)] * len(heads)
    next_l1 = len(text)
    for i in range(len(heads) - 1, -1, -1):
        h = heads[i]
        ends[i] = next_l1 if h.level == 1 else (heads[i + 1].start if i + 1 < len(heads) else len(text))
        if h.level == 1:
            next_l1 = h.start
    sections: list[Section] = []
    parent: Part = "other"
    for i, h in enumerate(heads):
        end = ends[i]
        part = classify_heading(h.text, plan_year)
        if h.level == 1:
            if part == "other" and parent == "plan" and h.text[:1] in _CN:
                part = "plan"  # numbered sections after the plan ("四、加强政府自身建设") still plan
            elif part == "other" and h.text[:1] not in _CN and not h.text.startswith("第"):
                part = parent  # an unnumbered subheading continues the part it sits in
            parent = part
        elif part == "other" or parent != "other":
            part = parent
        heading = text[h.start : h.start + len(h.text)]
        sections.append(Section(heading=heading, span=(h.start, end), part=part))
    return sections


class SectionIndex:
    """Innermost section containing a position, in O(log n)."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self._starts = [s.span[0] for s in sections]

    def at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        while i >= 0:
            s = self.sections[i]
            if s.span[0] <= pos < s.span[1]:
                return i
            i -= 1
        return None


def is_hard_newline(norm: str, i: int) -> bool:
    """A line break that ends a sentence or paragraph, not a hard wrap inside one (PDF text)."""
    prev = norm[i - 1] if i else "\n"
    nxt = norm[i + 1] if i + 1 < len(norm) else "\n"
    if prev in '。!?;:\n \t”"' or nxt in "\n \t":
        return True
    if (prev.isdigit() or prev == ".") and (nxt.isdigit() or nxt == "."):
        return False  # a figure cut by the wrap: "6.\n5%"
    line_start = norm.rfind("\n", max(0, i - 24), i)
    if line_start < 0 and i >= 24:
        return False
    # a short line is a heading or a list entry, unless it is one of a run of lines cut at the
    # same width (narrow PDF columns): the line before or after it has the same length
    width = i - line_start - 1
    if width >= 12:
        before = norm.rfind("\n", max(0, line_start - width - 1), line_start) if line_start > 0 else -2
        after = norm.find("\n", i + 1, i + width + 2)
        if before >= -1 and line_start - before - 1 == width or after >= 0 and after - i - 1 == width:
            return False
    return True


def last_break(norm: str, lo: int, pos: int, chars: str) -> int:
    """Index of the last break in ``norm[lo:pos]`` (``chars`` or a hard newline), else lo - 1."""
    best = -1
    for ch in chars:  # a plain loop: a generator here cost a tenth of the whole extraction
        i = norm.rfind(ch, lo, pos)
        if i > best:
            best = i
    j = pos
    while j > best + 1:
        j = norm.rfind("\n", best + 1, j)
        if j < 0:
            break
        if is_hard_newline(norm, j):
            return j
    return best if best >= lo else lo - 1


def next_break(norm: str, pos: int, hi: int, chars: str) -> int:
    """Index of the first break in ``norm[pos:hi]`` (``chars`` or a hard newline), else -1."""
    best = hi
    for ch in chars:
        i = norm.find(ch, pos, best)
        if i >= 0:
            best = i
    j = pos
    while True:
        j = norm.find("\n", j, best)
        if j < 0:
            break
        if is_hard_newline(norm, j):
            return j
        j += 1
    return best if best < hi else -1


def sentence_bounds(norm: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` (split at 。!? and line breaks, at most ~600 chars each way)."""
    lo = max(0, pos - _MAX_SENTENCE)
    start = last_break(norm, lo, pos, "。!?") + 1
    hi = min(len(norm), pos + _MAX_SENTENCE)
    e = next_break(norm, pos, hi, "。!?")
    end = e + 1 if e >= 0 else hi
    if end > start and norm[end - 1] == "\n":
        end -= 1
    while start < end and norm[start] in " \t\n":
        start += 1
    return start, end
