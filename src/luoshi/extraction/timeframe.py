"""The time frame of every clause: which period a figure speaks of, hence target or outcome.

A report (or a write-up about one) moves between periods: "2023年，…增长5%" then "新的一年，…将
新建…". Each *anchor* (a year, 去年/今年/新的一年, 过去五年, 上半年, 到2025年, 十四五…) sets the
current period, which is carried across sentences and paragraphs until the next anchor. A figure's
role follows from its period against the plan year: before it -> outcome, the plan year or later
-> target. Where no anchor has been seen, clause-level tense evidence decides (past: 同比, 获评,
居…第N位; future: 将, 力争, 确保 …). Words are data (``period_anchors.tsv``, ``tense_cues.tsv``);
the structural patterns are below. Pure functions of the normalised text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from luoshi.extraction import lexicon, patterns
from luoshi.extraction.model import Basis, Role

__all__ = ["Anchor", "TimeFrame", "anchor_patterns", "is_wrapped", "tense_patterns"]

Tense = Literal["past", "future"]
Strength = Literal["strong", "weak"]

# a year that opens a period: "2023年，" / "报告显示，2023年" / "2024年工作回顾"; not a date
# ("2024年1月23日"), a comparison base ("比2020年") or part of a range ("2021-2025年")
# (a line break may fall inside any of these: text from PDFs is hard-wrapped; see _wrappable)
_YEAR = (
    r"(?P<year>(?:19|20)\n?\d\n?\d)\s?年"
    r"(?P<ytail>以来|底前|年底前|末前|前|度)?(?![ \t]?\d{1,2}[ \t]?月|\d)"
)
_NOT_BEFORE_YEAR = frozenset("0123456789.-—~比较与同于和、")  # checked in code, as are 到/至
# (deadline), 截至 (past, until_words.txt): a leading look-behind would cost the pattern its fast
# first-character scan
# "2009年到期的…政策", "2023年的目标": a year that qualifies a noun sets no period
_ATTRIBUTIVE = re.compile(r"(?!是|为|,)[^,;:。!?\n\d]{0,6}?的")  # ("2023年是极不平凡的一年" does)
_FIVE = r"(?P<five>十\n?[三四五六]\n?五)[”\"]?(?P<ftail>以来|时期|期间|末)?"
# a dateline at the head of a page ("2025-01-07 19:33", "2024.1.24"): reports are delivered,
# and written up, in the year they plan (a mid-year report too)
_DATELINE = re.compile(r"(?<!\d)(20\d\d)(?:-[01]?\d-[0-3]?\d|\.[01]?\d\.[0-3]?\d)(?![\d.])")


_Cue = tuple[int, int, Tense, bool]  # start, end, tense, strong


@dataclass(frozen=True, slots=True)
class Anchor:
    """A word that sets the period: its span, tense, and whether it holds beyond its sentence."""

    start: int
    end: int
    tense: Tense
    carried: bool
    year: int | None = None  # for year anchors, whose tense depends on the plan year
    next_period: bool = False  # 新的一年 / 明年: the period named before it was reviewed
    half: Tense | None = None  # part of a year: 上半年 (reported) / 下半年 (ahead)


@cache
def _anchor_words() -> dict[str, str]:
    return lexicon.mapping("period_anchors.tsv")


@cache
def _tense_words() -> dict[str, str]:
    return lexicon.mapping("tense_cues.tsv")


def _wrappable(word: str) -> str:
    """``word`` as a pattern that also matches it cut by a hard line break ("新的一\\n年")."""
    return "\\n?".join(re.escape(ch) for ch in word)


def _alternation(words: dict[str, str], wrapped: bool) -> str:
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "|".join(_wrappable(w) if wrapped else re.escape(w) for w in ordered)


def _plain(pattern: str) -> str:
    return pattern.replace("\\n?", "")


_MID_SENTENCE_BREAK = re.compile(r"[^\s。!?;:”\"]\n[^\s]")  # (what is_wrapped counts)
_SENTENCE_STOPS = '。!?;:”"'


def is_wrapped(norm: str) -> bool:
    """Text hard-wrapped inside sentences (PDF text): then words may be cut by a line break, and
    the patterns that allow one are used: three matches of ``_MID_SENTENCE_BREAK`` in the first
    100,000 characters, found from the line breaks (a scan for the pattern's leading character
    class tries every position: 40x slower)."""
    found, end = 0, 0
    i = norm.find("\n", 1, 99999)
    while 0 <= i < len(norm) - 1:
        before, after = norm[i - 1], norm[i + 1]
        if i - 1 >= end and before not in _SENTENCE_STOPS and not before.isspace() and not after.isspace():
            found, end = found + 1, i + 2  # (matches do not overlap, like finditer's)
            if found == 3:
                return True
        i = norm.find("\n", i + 1, 99999)
    return False


def _unwrap(s: str) -> str:
    return s.replace("\n", "")


@cache
def anchor_patterns(wrapped: bool = False) -> tuple[re.Pattern[str], ...]:
    """The period anchors: years (also 截至YYYY年, 到YYYY年), 十X五, and the words of the data file (with
    ``wrapped``, also cut by hard line breaks). Separate patterns, each keeping the regex
    engine's fast scan for its first characters (one joined alternation loses it: 10x slower)."""
    parts = (_YEAR, _FIVE, rf"(?P<word>{_alternation(_anchor_words(), wrapped)})")
    return tuple(re.compile(p if wrapped else _plain(p)) for p in parts)


@cache
def tense_patterns(wrapped: bool = False) -> tuple[re.Pattern[str], ...]:
    """Tense cues: the "居…第N位" rankings and the words of the data file."""
    return re.compile(rf"(?P<struct>{patterns.ranking_re().pattern})"), re.compile(
        rf"(?P<word>{_alternation(_tense_words(), wrapped)})"
    )


def _scan(
    patterns: tuple[re.Pattern[str], ...], norm: str, lo: int = 0, hi: int | None = None
) -> list[re.Match[str]]:
    """Matches of all ``patterns`` in text order; where two overlap, the earlier pattern's wins."""
    found: list[re.Match[str]] = []
    for pattern in patterns:
        found.extend(pattern.finditer(norm, lo, len(norm) if hi is None else hi))
    if len(patterns) > 1:
        found.sort(key=lambda m: m.start())
    return found


_CLAUSE_BREAKS = ',;:。!?\n“”"《》()[]【】|'


@cache
def _lead_ins() -> tuple[str, ...]:
    return lexicon.words("period_lead_ins.txt")


def _opens_clause(norm: str, pos: int) -> bool:
    """A year at the start of its clause, or after a lead-in (报告对 / 洪湖市), sets the period for
    the text after it; one after a verb ("提出2020年…目标") does not."""
    lo = max(0, pos - 12)
    i = pos
    while i > lo and norm[i - 1] not in _CLAUSE_BREAKS:
        i -= 1
    prefix = norm[i:pos].strip()
    if i == lo and lo > 0 and norm[lo - 1] not in _CLAUSE_BREAKS:
        return False  # a long run with no break: mid-clause
    return not prefix or prefix.endswith(_lead_ins())


def _add_half(out: list[Anchor], half: Anchor, norm: str) -> None:
    """上半年 / 下半年: alone, its own period; right after a year or 今年 ("2023年上半年"), that year's
    half; after a past or a next year ("去年下半年", "明年上半年"), part of that period."""
    prev = out[-1] if out and not norm[out[-1].end : half.start].strip() else None
    if prev is None:
        out.append(half)
    elif prev.year is not None or (prev.tense == "future" and not prev.next_period):
        out[-1] = Anchor(prev.start, half.end, half.tense, prev.carried, prev.year, half=half.tense)
    # else: 去年下半年 / 明年上半年: the period named before governs


def _anchors(norm: str, plan_year: int | None, wrapped: bool) -> list[Anchor]:
    words = _anchor_words()
    out: list[Anchor] = []
    for m in _scan(anchor_patterns(wrapped), norm):
        groups = m.groupdict()
        if groups.get("word"):
            kind = words[_unwrap(m.group("word"))]
            if kind == "none":
                continue
            tense: Tense = "past" if kind in ("past", "half-past") else "future"
            if kind.startswith("half"):
                _add_half(
                    out, Anchor(m.start(), m.end(), tense, _opens_clause(norm, m.start()), half=tense), norm
                )
                continue
            # like a year, a word sets the period beyond its sentence only where it opens a clause
            # ("新的一年，…"), not in passing ("为今后发展打下基础")
            carried = _opens_clause(norm, m.start())
            out.append(Anchor(m.start(), m.end(), tense, carried, next_period=kind == "next"))
        elif groups.get("year"):
            start = m.start()
            raw = norm[max(0, start - 5) : start]
            before = raw.rstrip(" \t\n")
            at = start - (len(raw) - len(before))  # where the word before the year ends
            year = int(_unwrap(groups["year"]))
            until = next((w for w in lexicon.words("until_words.txt") if before.endswith(w)), None)
            if until:
                out.append(Anchor(at - len(until), m.end(), "past", True))  # 截至2023年底: a state reached
                continue
            if before.endswith(("到", "至")):
                if before[-2:-1] == "年" or before[-2:-1].isdigit():
                    continue  # "2019年至2023年": a range, which the first year anchors
                out.append(Anchor(at - 1, m.end(), "future", False))  # 到2025年: a deadline
                continue
            if raw[-1:] in _NOT_BEFORE_YEAR:
                continue
            tail = groups["ytail"] or ""
            if tail == "以来":
                out.append(Anchor(start, m.end(), "past", True))
            elif tail.endswith("前"):
                out.append(Anchor(start, m.end(), "future", False))  # "2025年底前": a deadline
            else:
                carried = _opens_clause(norm, start) and not _ATTRIBUTIVE.match(norm, m.end())
                out.append(Anchor(start, m.end(), "past", carried, year))
        else:
            five, tail = groups["five"], groups["ftail"]
            if tail is None:
                continue  # "十四五" named in passing ("“十四五”规划纲要"): no period
            end = lexicon.five_year_end(_unwrap(five))
            past = tail == "以来" or (plan_year is not None and end < plan_year)
            out.append(Anchor(m.start(), m.end(), "past" if past else "future", False))
    out.sort(key=lambda a: a.start)  # 截至 / 到 start before their year
    return out


class TimeFrame:
    """Period anchors and tense cues of one text, queried by position in O(log n)."""

    def __init__(self, norm: str, plan_year: int | None) -> None:
        self.norm = norm
        self.wrapped = is_wrapped(norm)
        self.anchors = _anchors(norm, plan_year, self.wrapped)
        self._starts = [a.start for a in self.anchors]
        # index of the latest carried anchor at or before each anchor (-1: none), so that
        # carried_before is one look-up, not a walk back over every anchor (quadratic in a text
        # with many anchors and few carried ones)
        self._carried: list[int] = []
        last = -1
        for i, a in enumerate(self.anchors):
            if a.carried:
                last = i
            self._carried.append(last)
        self._sentence: tuple[int, int, list[_Cue]] = (-1, -1, [])  # cues of the last sentence asked
        self.plan_year = plan_year if plan_year is not None else self._infer_plan_year()

    def cues(self, lo: int, hi: int) -> list[_Cue]:
        """Tense cues in ``norm[lo:hi]`` in text order: (start, end, tense, strong). Scanned on
        demand, per sentence, since only sentences with figures are asked about."""
        if self._sentence[:2] == (lo, hi):
            return self._sentence[2]
        words = _tense_words()
        out: list[_Cue] = []
        for m in _scan(tense_patterns(self.wrapped), self.norm, lo, hi):
            kind = "past" if m.re.groupindex.get("struct") else words[_unwrap(m.group("word"))]
            if kind != "none":
                tense, _, weak = kind.partition("-")
                out.append((m.start(), m.end(), tense, not weak))  # type: ignore[arg-type]
        self._sentence = (lo, hi, out)
        return out

    def _infer_plan_year(self) -> int | None:
        """The year of a dateline at the head; else one year after the latest year the text
        reports on in the past tense (its stretch up to the next anchor holds more past than
        future cues, or a 新的一年 follows it); else the latest year named."""
        m = _DATELINE.search(self.norm, 0, 600)
        if m:
            return int(m.group(1))
        years = [a for a in self.anchors if a.year is not None]
        if not years:
            return None
        past: list[int] = []
        latest = max(a.year or 0 for a in years)
        for a in years:
            if not a.carried:
                continue  # "提出2020年…目标": not a period the text reports on
            i = bisect.bisect_right(self._starts, a.start)
            nxt = self.anchors[i] if i < len(self.anchors) else None
            stop = min(nxt.start if nxt else len(self.norm), a.end + 1500)
            if nxt is not None and nxt.next_period and nxt.start - a.end < 1500:
                past.append(a.year or 0)
                continue
            found = self.cues(a.end, stop)
            if sum(c[2] == "past" for c in found) > sum(c[2] == "future" for c in found):
                past.append(a.year or 0)
        return max(past) + 1 if past and max(past) + 1 > latest else latest

    def anchor_role(self, a: Anchor) -> Role:
        """The role a figure in the period of ``a`` has: outcome before the plan year."""
        if a.year is not None and self.plan_year is not None and (a.half is None or a.year != self.plan_year):
            return "outcome" if a.year < self.plan_year else "target"
        return "outcome" if a.tense == "past" else "target"  # 2023年上半年 in a 2023 mid-year report

    def _basis(self, start: int, end: int) -> Basis:
        return Basis(_unwrap(self.norm[start:end]), (start, end))

    def basis_of(self, a: Anchor) -> Basis:
        return self._basis(a.start, a.end)

    def anchor_before(self, pos: int, lo: int) -> Anchor | None:
        """The latest anchor in ``[lo, pos)`` (any scope)."""
        i = bisect.bisect_left(self._starts, pos) - 1
        if i >= 0 and self.anchors[i].start >= lo and self.anchors[i].end <= pos:
            return self.anchors[i]
        return None

    def carried_before(self, pos: int) -> Anchor | None:
        """The latest anchor before ``pos`` whose period holds beyond its sentence."""
        i = bisect.bisect_left(self._starts, pos) - 1
        j = self._carried[i] if i >= 0 else -1
        return self.anchors[j] if j >= 0 else None

    def cue_near(self, pos: int, lo: int, hi: int, strong: bool, sentence: tuple[int, int]) -> _Cue | None:
        """The tense cue (only strong ones if ``strong``) nearest before ``pos`` in ``[lo, pos)``,
        else the first in ``[pos, hi)``; ``[lo, hi)`` lies in ``sentence``."""
        found = self.cues(*sentence)
        before = [c for c in found if lo <= c[0] and c[1] <= pos and (c[3] or not strong)]
        if before:
            return before[-1]
        return next((c for c in found if pos <= c[0] and c[1] <= hi and (c[3] or not strong)), None)

    def judge(self, pos: int, stop: int, s_start: int, c_start: int, s_end: int) -> tuple[Role, Basis | None]:
        """Role of the figure at ``[pos, stop)`` (sentence ``[s_start, s_end)``, clause from
        ``c_start``) and the anchor or cue that decided it, first found of: an anchor in the
        sentence; a strong tense cue in the clause, then in the sentence; the period carried from
        before; a weak tense cue in the clause, then in the sentence. With none, a target."""
        a = self.anchor_before(pos, s_start)
        if a is not None:
            return self.anchor_role(a), self._basis(a.start, a.end)
        c_end = min((i for i in (self.norm.find(ch, stop, s_end) for ch in ",;") if i >= 0), default=s_end)
        sentence = (s_start, s_end)
        cue = self.cue_near(pos, c_start, c_end, True, sentence) or self.cue_near(
            pos, s_start, s_end, True, sentence
        )
        if cue is None:
            a = self.carried_before(s_start)
            if a is not None:
                return self.anchor_role(a), self._basis(a.start, a.end)
            cue = self.cue_near(pos, c_start, c_end, False, sentence) or self.cue_near(
                pos, s_start, s_end, False, sentence
            )
        if cue is not None:
            return ("outcome" if cue[2] == "past" else "target"), self._basis(cue[0], cue[1])
        return "target", None
