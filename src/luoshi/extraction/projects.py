"""Named key projects (…项目, …产业园, …工程) and counts of planned projects."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from luoshi.extraction import lexicon, patterns
from luoshi.extraction.model import Project, ProjectCount
from luoshi.extraction.numerals import MULTIPLIERS
from luoshi.extraction.sections import sentence_bounds

__all__ = ["find_project_counts", "find_projects"]

_NAME_BREAKS = ",;:。!?\n、“”()《》 等和及与"
# the last break before a keyword, in one call (greedy .* gives back from the end of the window
# to the last break: a third of the time of rfind for each break)
_LAST_BREAK = re.compile(rf"(?s:.*)[{re.escape(_NAME_BREAKS)}]")
_COUNT_BEFORE = re.compile(r"(?<!\d)(\d{1,6})个([\u4e00-\u9fff]{0,8}?项目)")
_COUNT_AFTER = re.compile(r"([\u4e00-\u9fff]{1,8}项目)(\d{1,6})个")
_MAX_NAME = 30


@cache
def _verbs() -> tuple[str, ...]:
    return lexicon.words("project_verbs.txt")


@cache
def _generic() -> frozenset[str]:
    return frozenset(lexicon.words("generic_projects.txt"))


def category(name: str) -> str | None:
    """Category of a project from words in its name (工业, 服务业, 民生, 城建 ...)."""
    for word, cat in lexicon.rows("project_categories.tsv"):
        if word in name:
            return cat
    return None


def _investment(norm: str, pos: int) -> float | None:
    window = norm[pos : pos + 40]
    end = min((i for i in (window.find("。"), window.find(";")) if i >= 0), default=len(window))
    m = patterns.invest_re().search(window[:end])
    if not m:
        return None
    return _amount(m.group(1), m.group(2))


def _amount(number: str, multiplier: str | None) -> float:
    return float(Decimal(number) * Decimal(int(MULTIPLIERS[multiplier]) if multiplier else 1))


def _strip_verbs(name: str) -> str:
    if not name.startswith(_verbs()):
        return name  # (the common case, tested in C: no verb opens the name)
    changed = True
    while changed:
        changed = False
        for v in _verbs():
            if name.startswith(v) and len(name) > len(v) + 2:
                name, changed = name[len(v) :], True
                break
    return name


def find_projects(text: str, norm: str) -> list[Project]:
    out: list[Project] = []
    seen: set[str] = set()
    bad_starts = lexicon.words("project_bad_starts.txt")
    bad_inside = lexicon.words("project_bad_inside.txt")
    generic_ends = lexicon.words("project_generic_ends.txt")
    for m in patterns.alternation("project_keywords.txt").finditer(norm):
        lo = max(0, m.start() - _MAX_NAME)
        brk = _LAST_BREAK.match(norm, lo, m.start())
        start = brk.end() if brk else lo
        if start == m.start() or norm[start - 1 : start] == "等" or norm[m.start() - 1] == "等":
            continue
        raw = norm[start : m.end()]
        name = _strip_verbs(raw)
        prefix = name[: -len(m.group(0))]
        if len(prefix) < 3 or prefix in _generic() or any(ch.isdigit() for ch in prefix):
            continue
        if prefix.startswith(bad_starts) or "个" in prefix[:3] or any(w in prefix for w in bad_inside):
            continue
        if prefix.endswith(generic_ends) and len(prefix) < 8:
            continue
        s = m.end() - len(name)
        original = text[s : m.end()]
        if original in seen:
            continue
        seen.add(original)
        out.append(
            Project(
                name=original,
                span=(s, m.end()),
                category=category(name),
                investment=_investment(norm, m.end()),
            )
        )
    return out


def find_project_counts(text: str, norm: str) -> list[ProjectCount]:
    out: list[ProjectCount] = []
    done = -1
    for k in re.finditer(r"项目", norm):
        if k.start() < done:
            continue  # each sentence is read once
        s0, s1 = sentence_bounds(norm, k.start())
        done = s1
        chunk = norm[s0:s1]
        found: list[tuple[int, int, str, int]] = []
        for m in _COUNT_BEFORE.finditer(chunk):
            found.append((s0 + m.start(1), s0 + m.end(1), m.group(2), int(m.group(1))))
        for m in _COUNT_AFTER.finditer(chunk):
            cat = _strip_verbs(m.group(1).removeprefix("其中"))
            found.append((s0 + m.start(2), s0 + m.end(2), cat, int(m.group(2))))
        if not found:
            continue
        found.sort()
        invest = patterns.invest_re().search(chunk)
        total = None
        if invest:
            total = _amount(invest.group(1), invest.group(2))
        original = text[s0:s1]
        back = (
            {ord(x): y for x, y in zip(chunk, original, strict=True) if x != y} if original != chunk else {}
        )
        for i, (a, b, cat, n) in enumerate(found):
            cat = cat.translate(back)  # in the document's own characters
            out.append(ProjectCount(category=cat, count=n, span=(a, b), investment=total if i == 0 else None))
    return out
