"""Target or outcome? From the part of the report and cues in the sentence; plus deadlines."""

from __future__ import annotations

import re
from functools import cache

from luoshi.extraction import lexicon, patterns
from luoshi.extraction.model import Basis, Part, Role
from luoshi.extraction.timeframe import TimeFrame

__all__ = [
    "aspirational",
    "classify_role",
    "judge_role",
    "deadline",
    "document_default",
    "ends_with_state_noun",
    "is_achieved",
    "is_state_noun",
    "is_state_only",
]

_WITHIN = re.compile(r"([一二两三四五]|\d)年内")
_BY_YEAR = re.compile(r"(?:到|至|在)(20\d\d)年|(20\d\d)年(?:底|末)?前")
_OPENING_YEAR = re.compile(r"\s*(20\d\d)年")
_WINDOW = 300  # cues further back than this belong to another thought
_FIVE_YEAR_PLAN = re.compile(r'(十[三四五六]五)[”"]?(?:时期|期间|末|规划目标|规划)')
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


@cache
def _cues() -> tuple[dict[str, str], re.Pattern[str]]:
    words = lexicon.mapping("cues.tsv")
    return words, patterns.alternation("cues.tsv")


@cache
def _strong() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return patterns.strong_cue_re("review"), patterns.strong_cue_re("plan")


def _score(text: str) -> tuple[int, int]:
    """Distinct plan cues and review cues in ``text``."""
    words, pattern = _cues()
    found = set(pattern.findall(text))
    plan = sum(1 for w in found if words[w] == "plan")
    review = sum(1 for w in found if words[w] == "review")
    return plan, review


def document_default(norm: str) -> Part:
    """For text outside any classified section: which way does the report lean?"""
    sample = norm[:200000]
    lean = lexicon.rows("lean_words.tsv")
    plan = sum(sample.count(w) for w, part in lean if part == "plan")
    review = sum(sample.count(w) for w, part in lean if part == "review")
    return "plan" if plan >= review else "review"


def classify_role(
    part: Part,
    sentence_left: str,
    default: Part,
    paragraph_left: str = "",
    clause: str = "",
    plan_year: int | None = None,
) -> Role:
    """Role of a figure given its section part and the text before it.

    ``sentence_left``: the sentence up to the figure; ``paragraph_left``: the paragraph up to the
    figure (its opening words often say 过去一年 / 新的一年); ``clause``: the clause of the figure.
    """
    if part == "review":
        return "outcome"
    sentence_left = sentence_left[-_WINDOW:]
    review_re, plan_re = _strong()
    if part == "plan":
        if patterns.past_clause_re().match(clause):
            return "outcome"  # "去年增长5%，今年预期增长6%"
        if patterns.past_period_re().search(sentence_left) and not plan_re.search(sentence_left):
            return "outcome"
        return "target"
    if patterns.past_clause_re().match(clause):
        return "outcome"
    plan, review = _score(sentence_left)
    strong_review = review_re.search(sentence_left) is not None
    strong_plan = plan_re.search(sentence_left) is not None
    if strong_review and not strong_plan:
        return "outcome"
    if plan > review:
        return "target"
    if review > plan:
        return "outcome"
    opening = paragraph_left[:12]
    year = _OPENING_YEAR.match(opening)
    if year and plan_year:
        return "outcome" if int(year.group(1)) < plan_year else "target"
    words = lexicon.rows("opening_words.tsv")
    if any(w in opening for w, part in words if part == "review"):
        return "outcome"
    if any(w in opening for w, part in words if part == "plan"):
        return "target"
    return "target" if default == "plan" else "outcome"


def judge_role(
    part: Part,
    frame: TimeFrame,
    pos: int,
    stop: int,
    sentence: tuple[int, int],
    clause_start: int,
    heading: Basis | None = None,
) -> tuple[Role, Basis | None]:
    """Role of the figure at ``[pos, stop)`` and its basis (the anchor, cue or heading word).

    In a review or plan section the section decides (a plan section's "去年增长5%" clause or a
    过去五年 sentence aside); elsewhere the clause's time frame does (:mod:`timeframe`).
    """
    s_start, s_end = sentence
    if part == "review":
        return "outcome", heading
    if part == "plan":
        norm = frame.norm
        clause = norm[clause_start:pos].lstrip("、和与及 ")
        m = patterns.past_clause_re().match(clause)
        if m:
            at = pos - len(clause)
            return "outcome", Basis(m.group(0), (at, at + m.end()))
        a = frame.anchor_before(pos, s_start)
        if a is not None and frame.anchor_role(a) == "outcome":
            return "outcome", frame.basis_of(a)  # "2023年增长5.2%" / "上半年…" in a plan section
        lo = max(s_start, pos - _WINDOW)
        left = norm[lo:pos]
        m = patterns.past_period_re().search(left)
        if m and not _strong()[1].search(left):
            return "outcome", Basis(m.group(0), (lo + m.start(), lo + m.end()))
        return "target", heading
    return frame.judge(pos, stop, s_start, clause_start, s_end)


def is_state_only(clause_left: str) -> bool:
    """'现有…' / '现行16%的税率': a description of the present, not a commitment."""
    return bool(patterns.state_only_re().search(clause_left[-20:]))


def is_achieved(clause_left: str) -> bool:
    """'已有…' / '已建成…': the present state in a plan, but a result when reviewing a year."""
    return bool(patterns.achieved_re().search(clause_left[-20:]))


_AREA_PREFIX = re.compile(r"^(?:全[国省市县区州镇乡]|[今明]年|当年)+")


def is_state_noun(indicator: str) -> bool:
    """'高校毕业生' / '全县常住人口' named bare: a head count of the present, not a goal."""
    return _AREA_PREFIX.sub("", indicator) in lexicon.words("state_nouns.txt")


def ends_with_state_noun(clause_left: str) -> bool:
    """Cheap pre-check for ``is_state_noun``: the clause ends with one of the nouns."""
    return clause_left.rstrip().endswith(lexicon.words("state_nouns.txt"))


def aspirational(sentence_left: str) -> bool:
    return any(w in sentence_left[-_WINDOW:] for w in lexicon.words("aspirational.txt"))


def deadline(sentence: str, plan_year: int | None, heading: str = "") -> int | None:
    """Deadline year of a target: 到2025年 / 2025年底前 / 两年内, else the plan year (or the end
    of the five years when the sentence or its section heading looks five years ahead)."""
    m = _BY_YEAR.search(sentence)
    if m:
        return int(m.group(1) or m.group(2))
    m = _WITHIN.search(sentence)
    if m and plan_year:
        n = _CN_SMALL.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 1)
        return plan_year + n - 1
    if "今明两年" in sentence and plan_year:
        return plan_year + 1
    for context in (sentence, heading):
        m = _FIVE_YEAR_PLAN.search(context)
        if m:  # "“十四五”时期 …": the end year of the five-year plan
            return lexicon.five_year_end(m.group(1))
        if ("今后五年" in context or "未来五年" in context) and plan_year:
            return plan_year + 4
    return plan_year
