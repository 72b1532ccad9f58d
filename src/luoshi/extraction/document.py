"""Document facts: title, jurisdiction, report year and plan year."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache

from luoshi.extraction import lexicon, patterns

__all__ = ["implied_plan_year", "jurisdiction", "plan_year", "report_year", "says_plan_year", "title"]

_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}部分)"
)
_PLACE_PREFIX = re.compile(r"^.*[在于向日年月]")
_DATED = re.compile(r"(?<!\d)(20\d\d|19\d\d)年\d{1,2}月\d{1,2}日")
_HEADING_YEAR = re.compile(r"^[ \t]*[一二三四五六七八九十]{1,2}、[^\n。]{0,12}?(20\d\d)年", re.MULTILINE)
_REVIEW_YEAR = re.compile(r"(?=20\d\d年)(?<!\d)(20\d\d)年(?:政府)?工作回顾")  # (?=…): a fast scan


def title(text: str) -> str | None:
    """A line naming the report, else the first short line that is not the salutation."""
    lines = [ln.strip() for ln in text[:3000].splitlines() if 2 <= len(ln.strip()) <= 60]
    for line in lines:
        if "工作报告" in line and len(line) <= 20 and not line.endswith("。"):
            return line
    for line in lines:
        if _NUMBERED.match(line):
            break  # the body has begun: a title comes before the first section
        if line.startswith(("各位代表", "各位委员", "——")) or any(c in line for c in "，。,"):
            continue
        if sum("\u4e00" <= c <= "\u9fff" for c in line) >= 4:
            return line
    return None


def jurisdiction(norm: str) -> str | None:
    head = norm[:20000]
    if "国务院" in head[:3000] or "我代表国务院" in head:
        return "全国"
    places = Counter(_PLACE_PREFIX.sub("", m.group(1)) for m in place_matches(head))
    if places:
        return places.most_common(1)[0][0]
    return None


# every match of place_re holds one of these words, 3 to _place_reach() characters after its start
# (a name of 2 to 12, the longest suffix, and "第十四届" before 人民代表大会)
_PLACE_WORDS = re.compile("(?=人民政府|人民代表大会|人大)")


@cache
def _place_reach() -> int:
    return 6 + 12 + max(len(w) for w in lexicon.words("place_suffixes.txt"))


def place_matches(head: str) -> Iterator[re.Match[str]]:
    """``place_re().finditer(head)``, tried only before the words a match holds."""
    return patterns.finditer_near(patterns.place_re(), head, _PLACE_WORDS, 3, _place_reach())


def report_year(norm: str) -> int | None:
    m = _DATED.search(norm[:3000])
    return int(m.group(1)) if m else None


def plan_year(norm: str, report: int | None) -> int | None:
    m = patterns.plan_year_re().search(norm[:200000])
    if m:
        return int(m.group(1) or m.group(2))
    m = _REVIEW_YEAR.search(norm[:200000])
    if m:
        return int(m.group(1)) + 1
    years = {int(y) for y in _HEADING_YEAR.findall(norm[:200000])}
    if len(years) >= 2:
        return max(years)  # "一、关于2023年工作" … "二、关于2024年工作": the later year is planned
    return report


def says_plan_year(norm: str, year: int) -> bool:
    """True when the report names ``year`` as the year of its plan (not inferred)."""
    m = patterns.plan_year_re().search(norm[:200000])
    return bool(m and int(m.group(1) or m.group(2)) == year)


_OPENING_YEAR = re.compile(r"^[ \t]*(20\d\d)年[,，]", re.MULTILINE)


def implied_plan_year(norm: str) -> int | None:
    """Year after the latest paragraph that opens with a year, when the text looks ahead to
    "新的一年"/"今年" (news reports: "2023年，XX区…" then "新的一年，XX区将…")."""
    head = norm[:200000]
    years = [int(y) for y in _OPENING_YEAR.findall(head)]
    if not years:
        return None
    latest = max(years)
    return latest + 1 if ("新的一年" in head or "明年" in head) else latest
