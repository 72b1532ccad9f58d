"""Year-end review: judge each target of year Y against the outcome reported in year Y+1. Pure.

Verdict rules (``tolerance`` t, default 5 %, relative to the target value):

* Each target is read on a "goodness" axis. A ``down`` target (降低/减少/压减 X) counts the size
  of the decrease, so a larger decrease is better; an outcome moving the other way counts as
  negative. Otherwise higher is better, except for ceilings: ``<=`` targets and ``~``/``=``/range
  targets whose indicator is a lower-is-better quantity (失业率, 居民消费价格, 赤字率 …).
* Higher is better: ``>=`` and ``=`` are met from the target value on; ``~`` from T·(1−t);
  ``range`` from its low end. Beyond T·(1+t) (for a range: beyond its high end) it is
  ``exceeded``. Below the bar a *quantity* (a count, a length, a sum of money) is
  ``partly_met`` with ``ratio`` = outcome / target when the ratio is at least ``partly_floor``
  (default 0.5), else ``not_met``. A *rate or level* (unit % or 百分点: a growth rate, a share,
  a cut in %) is reached or not: a shortfall is ``not_met`` (growing 3 % against a 5.5 % goal is
  not "55 % of the promise"); its ratio is still reported.
* Ceilings: met when the outcome is at most the ceiling (``~``: T·(1+t); range: its high end),
  else ``not_met``; a ceiling has no completion ratio. A deficit ratio planned at 3 % with an
  outcome of 2.8 % is therefore met, with 3.2 % not met.
* No outcome paired: ``no_outcome`` (silence is itself a finding); several close candidates
  with different values: ``ambiguous``, left for a person to pick.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from luoshi.extraction.model import Item, Plan
from luoshi.review.lexicon import LOWER_IS_BETTER
from luoshi.review.matching import MatchConfig, match_items, normalize_indicator, simplified

__all__ = [
    "RATE_UNITS",
    "VERDICTS",
    "Judgement",
    "ReviewConfig",
    "ReviewResult",
    "Verdict",
    "clause_before",
    "higher_is_better",
    "judge",
    "judge_progress",
    "review_items",
    "review_plans",
    "section_headings",
]

Verdict = Literal["met", "exceeded", "partly_met", "not_met", "no_outcome", "ambiguous"]
VERDICTS: tuple[str, ...] = ("met", "exceeded", "partly_met", "not_met", "no_outcome", "ambiguous")
_EPS = 1e-9
RATE_UNITS = frozenset({"%", "百分点", "‰"})
_CMP_WORDS = {">=": "以上", "<=": "以内", "~": "左右", "=": "", "range": ""}


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    tolerance: float = 0.05  # relative band of "~" targets and the margin for "exceeded"
    partly_floor: float = 0.5  # below this completion ratio a shortfall is not_met
    match: MatchConfig = field(default_factory=MatchConfig)


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    ratio: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """One target of year Y with what year Y+1 says about it."""

    target: Item
    outcome: Item | None
    verdict: Verdict
    ratio: float | None
    reason: str
    candidates: tuple[Item, ...] = ()
    score: float = 0.0
    evidence: Literal["report", "progress", "none"] = "report"

    def to_dict(self) -> dict[str, Any]:
        """The object printed by ``luoshi review --format json``."""
        return {
            "target": self.target.to_dict(),
            "outcome": self.outcome.to_dict() if self.outcome else None,
            "verdict": self.verdict,
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "reason": self.reason,
            "candidates": [c.to_dict() for c in self.candidates],
        }


def higher_is_better(target: Item, clause: str = "") -> bool:
    """Whether more of the target's figure is the good outcome (False: it is a ceiling).

    ``clause``: the words of the target's clause before its figure, read when the indicator
    says too little (a poorly named indicator must not turn a ceiling into a floor).
    """
    if target.comparator == ">=":
        return True
    if target.comparator == "<=":
        return False
    if target.direction == "down":
        return True  # the figure is the size of a cut: a bigger cut is better
    name = normalize_indicator(target.indicator) + simplified(target.indicator + "|" + clause)
    return not any(word in name for word in LOWER_IS_BETTER)


_CLAUSE_START = re.compile(r"[，,；;。：:！？\n]")


def clause_before(item: Item, text: str) -> str:
    """The words of the item's clause before its figure (back to the last ，；。：)."""
    if not text:
        return ""
    start = max(item.sentence[0], 0)
    cut = max((m.end() for m in _CLAUSE_START.finditer(text, start, item.span[0])), default=start)
    return text[cut : item.span[0]]


def _signed(target: Item, outcome: Item) -> float:
    """The outcome's value on the target's axis (a move the other way counts negative)."""
    if target.direction and outcome.direction and outcome.direction != target.direction:
        return -outcome.value
    return outcome.value


def _figure(item: Item) -> str:
    surface = item.surface.strip()
    word = _CMP_WORDS.get(item.comparator, "")
    if item.role == "target" and word and word not in surface:
        surface += word
    return f"“{item.indicator}{surface}”" if item.indicator else f"“{surface}”"


def judge(
    target: Item, outcome: Item | None, config: ReviewConfig | None = None, clause: str = ""
) -> Judgement:
    """The verdict, completion ratio and one-sentence zh-CN reason for one pair."""
    cfg = config or ReviewConfig()
    if outcome is None:
        return Judgement("no_outcome", None, f"次年报告未报告可与目标{_figure(target)}对照的结果。")
    tol = cfg.tolerance
    actual = _signed(target, outcome)
    head = f"目标{_figure(target)}，实际{_figure(outcome)}"
    low = target.value
    high = target.value_max if target.comparator == "range" and target.value_max is not None else low
    if not higher_is_better(target, clause):
        ceiling = high * (1 + tol) if target.comparator == "~" else high * (1 + _EPS) + _EPS
        if actual <= ceiling:
            return Judgement("met", None, f"{head}，未超过目标上限，已完成。")
        return Judgement("not_met", None, f"{head}，超过目标上限，未完成。")
    ratio = actual / low if low > 0 else None
    if target.comparator == "~":
        met_bar, exceed_bar = low * (1 - tol), low * (1 + tol)
    elif target.comparator == "range":
        met_bar, exceed_bar = low, high
    else:
        met_bar, exceed_bar = low, low * (1 + tol)
    met_bar -= abs(met_bar) * _EPS + _EPS
    if actual > exceed_bar + abs(exceed_bar) * _EPS:
        extra = f"，超出目标{(ratio - 1):.0%}" if ratio is not None else ""
        return Judgement("exceeded", ratio, f"{head}{extra}，超额完成。")
    if actual >= met_bar:
        return Judgement("met", ratio, f"{head}，达到目标，已完成。")
    if ratio is not None and ratio >= cfg.partly_floor and target.unit not in RATE_UNITS:
        return Judgement("partly_met", ratio, f"{head}，完成目标的{ratio:.0%}，部分完成。")
    share = (
        f"，仅完成目标的{ratio:.0%}"
        if ratio is not None and ratio > 0 and target.unit not in RATE_UNITS
        else ""
    )
    return Judgement("not_met", ratio, f"{head}{share}，未达到目标，未完成。")


def judge_progress(
    target: Item, value: float, as_of: str, config: ReviewConfig | None = None, clause: str = ""
) -> ReviewResult:
    """Judge a target on the latest accepted progress report when no outcome was reported."""
    evidence = replace(target, role="outcome", value=value, surface=f"{value:g}{target.unit}", value_max=None)
    evidence = replace(evidence, comparator="=")
    j = judge(target, evidence, config, clause)
    reason = f"（依据进度填报，截至{as_of}）{j.reason}"
    return ReviewResult(target, None, j.verdict, j.ratio, reason, (), 0.0, "progress")


def review_items(
    targets: Sequence[Item],
    outcomes: Sequence[Item],
    *,
    target_text: str = "",
    outcome_text: str = "",
    config: ReviewConfig | None = None,
    target_headings: Sequence[str] | None = None,
    outcome_headings: Sequence[str] | None = None,
) -> list[ReviewResult]:
    """Match and judge every target; one result per target, in order."""
    cfg = config or ReviewConfig()
    matches = match_items(
        targets,
        outcomes,
        target_text=target_text,
        outcome_text=outcome_text,
        config=cfg.match,
        target_headings=target_headings,
        outcome_headings=outcome_headings,
    )
    results: list[ReviewResult] = []
    for m in matches:
        target = targets[m.target_index]
        if m.ambiguous:
            cands = tuple(outcomes[j] for j in m.candidates)
            shown = "、".join(_figure(c) for c in cands)
            reason = f"目标{_figure(target)}有{len(cands)}个可能对应的结果（{shown}），需人工确认。"
            results.append(ReviewResult(target, None, "ambiguous", None, reason, cands, m.score))
            continue
        outcome = outcomes[m.outcome_index] if m.outcome_index is not None else None
        j = judge(target, outcome, cfg, clause_before(target, target_text))
        evidence: Literal["report", "none"] = "report" if outcome is not None else "none"
        results.append(ReviewResult(target, outcome, j.verdict, j.ratio, j.reason, (), m.score, evidence))
    return results


def review_plans(plan_y: Plan, plan_next: Plan, config: ReviewConfig | None = None) -> list[ReviewResult]:
    """Review the targets of ``plan_y`` against the outcomes of the next year's ``plan_next``."""
    return review_items(
        plan_y.targets,
        plan_next.outcomes,
        target_text=plan_y.text,
        outcome_text=plan_next.text,
        config=config,
        target_headings=section_headings(plan_y, plan_y.targets),
        outcome_headings=section_headings(plan_next, plan_next.outcomes),
    )


def section_headings(plan: Plan, items: Sequence[Item]) -> list[str]:
    """The heading of the section each item stands in ("" when unknown)."""
    heads = [s.heading for s in plan.sections]
    out = []
    for it in items:
        if it.section is not None and 0 <= it.section < len(heads):
            out.append(heads[it.section])
        else:
            out.append(next((s.heading for s in plan.sections if s.span[0] <= it.span[0] < s.span[1]), ""))
    return out
