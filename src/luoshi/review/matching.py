"""Pair each target of year Y with the outcome of year Y+1 that reports on it. Pure functions.

Score of a (target, outcome) pair = indicator similarity (character n-grams after folding
synonyms and dropping direction/filler words), context similarity (the words just before each
figure in its sentence) and kind agreement (direction), multiplied by unit compatibility (a
growth rate never pairs with a count or a sum of money). Pairs are then chosen one-to-one,
best score first; a target whose best outcomes are close in score but differ in value is
``ambiguous``. Repeated mentions of the same target share one outcome.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from luoshi.extraction.model import Item
from luoshi.review.lexicon import (
    DIRECTION_WORDS,
    FILLER_WORDS,
    MULTI_YEAR_MARKERS,
    MULTI_YEAR_OPENERS,
    ONE_YEAR_OPENERS,
    SYNONYMS,
    UNIT_GROUPS,
)

__all__ = [
    "Match",
    "MatchConfig",
    "context_before",
    "indicator_similarity",
    "multi_year_spans",
    "match_items",
    "normalize_indicator",
    "pair_score",
    "simplified",
    "unit_factor",
]

_COUNT_GROUPS = frozenset({"people", "households", "entities", "dwellings"})
_SYNONYM_RE = re.compile("|".join(re.escape(k) for k in sorted(SYNONYMS, key=len, reverse=True)))
_DROP_RE = re.compile(
    "|".join(re.escape(w) for w in sorted((*DIRECTION_WORDS, *FILLER_WORDS), key=len, reverse=True))
)
_MULTI_OPEN_RE = re.compile(f"(?:{MULTI_YEAR_OPENERS})")
_ONE_OPEN_RE = re.compile(f"(?:{ONE_YEAR_OPENERS})")
_PART_HEADING_RE = re.compile(r"[一二三四五六七八九十]+、")
_CLAUSE_RE = re.compile(r"[，,；;。：:、！？\n]")
_NOISE_RE = re.compile(r"[\s\d.．%％,，、；;：:（）()“”\"'《》—\-]+")


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Knobs of the matcher (defaults measured on the national 2018→2019 labelled pairs)."""

    threshold: float = 0.4  # below this score a target gets no outcome
    margin: float = 0.05  # candidates closer than this to the best one make it ambiguous
    w_indicator: float = 0.78
    w_context: float = 0.22
    context_chars: int = 16
    multi_year_factor: float = 0.3  # a several-year figure (五年累计, 年均) against a one-year target
    w_section: float = 0.08  # share of the score that depends on the two section headings agreeing


@dataclass(frozen=True, slots=True)
class Match:
    """Result of matching one target: indices into the outcome list."""

    target_index: int
    outcome_index: int | None
    score: float
    candidates: tuple[int, ...] = ()  # set when ambiguous: best first

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # imported lazily: most reports are in simplified characters

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def simplified(text: str) -> str:
    """``text`` in simplified characters (the word lists are kept in simplified)."""
    if not text or text.isascii():
        return text
    try:
        return str(_t2s().convert(text))
    except Exception:  # noqa: BLE001 - an odd code point must not stop a review
        return text


@lru_cache(maxsize=4096)
def normalize_indicator(text: str) -> str:
    """Fold synonyms, drop direction and filler words, digits and punctuation (in simplified)."""
    folded = _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], simplified(text or ""))
    return _NOISE_RE.sub("", _DROP_RE.sub("", folded))


def _ngrams(text: str, n: int) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@lru_cache(maxsize=16384)
def indicator_similarity(a: str, b: str) -> float:
    """0..1: how likely two indicator phrases name the same measured thing."""
    na, nb = normalize_indicator(a), normalize_indicator(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    bigram = _dice(_ngrams(na, 2), _ngrams(nb, 2))
    # character sets catch reordered wording (新增城镇就业 / 城镇新增就业)
    chars = _dice(set(na), set(nb))
    short, long_ = sorted((na, nb), key=len)
    contained = 0.6 + 0.4 * len(short) / len(long_) if len(short) >= 2 and short in long_ else 0.0
    return max(bigram, 0.75 * chars, contained)


def context_before(item: Item, text: str, chars: int = 16) -> str:
    """The words naming a figure in its text: its clause before it (back to the last ，；、);
    when that names nothing (``近1400万农业转移人口…``), the words right after the figure; else
    the last ``chars`` characters of its sentence before it.

    A backup for a poorly named indicator, and a second opinion for a good one.
    """
    if not text:
        return ""
    window = max(item.sentence[0], item.span[0] - chars, 0)
    cut = max((m.end() for m in _CLAUSE_RE.finditer(text, window, item.span[0])), default=window)
    before = text[cut : item.span[0]]
    if normalize_indicator(before):
        return before
    # nothing in its clause before the figure names it: read on, past the figure and its unit
    after = max(item.span[1], item.span[0] + len(item.surface))
    end = min(after + chars, item.sentence[1] if item.sentence[1] > after else len(text))
    stop = _CLAUSE_RE.search(text, after, end)
    following = text[after : stop.start() if stop else end].lstrip("多余万亿千百十")
    if item.unit and following.startswith(item.unit):
        following = following[len(item.unit) :]
    if len(normalize_indicator(following)) >= 2:
        return before + following
    return text[window : item.span[0]]


def multi_year_spans(text: str) -> list[tuple[int, int]]:
    """Stretches of a review that sum up several years (an end-of-term report's 过去五年 part).

    Paragraph openers switch the state: 过去五年/五年来/本届政府 on, 过去一年/刚刚过去的2017年 off;
    a part heading (一、二、…) resets it.
    """
    spans: list[tuple[int, int]] = []
    multi = False
    pos = 0
    for line in text.splitlines(keepends=True):
        head = simplified(line.strip().lstrip("—-－ 　")[:40])
        if _PART_HEADING_RE.match(head):
            multi = bool(_MULTI_OPEN_RE.search(head)) and not _ONE_OPEN_RE.search(head)
        elif _ONE_OPEN_RE.match(head):
            multi = False
        elif _MULTI_OPEN_RE.match(head):
            multi = True
        if multi and head:
            if spans and spans[-1][1] == pos:
                spans[-1] = (spans[-1][0], pos + len(line))
            else:
                spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _mentions_years(context: str, item: Item) -> bool:
    words = simplified(context + "|" + item.indicator)
    return any(m in words for m in MULTI_YEAR_MARKERS)


def unit_factor(target: Item, outcome: Item) -> float:
    """1 for the same kind of unit, less for a looser fit, 0 when incomparable."""
    tu, ou = target.unit.strip(), outcome.unit.strip()
    if tu == ou:
        return 1.0
    tg, og = UNIT_GROUPS.get(tu), UNIT_GROUPS.get(ou)
    if not tu or not ou:
        other = og if not tu else tg
        return 0.9 if other in _COUNT_GROUPS or other is None else 0.0
    if tg is not None and tg == og:
        return 0.95
    if tg in _COUNT_GROUPS and og in _COUNT_GROUPS:
        return 0.7  # 人 vs 户 of the same programme: possible, less likely
    if tg is None and og is None:
        return 0.5
    return 0.0


def _kind_agreement(target: Item, outcome: Item) -> float:
    if target.direction == outcome.direction:
        return 1.0
    if target.direction is None or outcome.direction is None:
        return 0.9  # extractors miss a direction more often than a report changes kind
    return 0.75  # opposite movement of the same thing is still a report on it, but rarer


def _magnitude_factor(target: Item, outcome: Item) -> float:
    a, b = abs(target.value), abs(outcome.value)
    if a == 0 or b == 0:
        return 1.0
    ratio = max(a, b) / min(a, b)
    return 1.0 if ratio <= 10 else max(0.6, 1.0 - 0.1 * math.log10(ratio))


def pair_score(
    target: Item,
    outcome: Item,
    target_context: str = "",
    outcome_context: str = "",
    config: MatchConfig | None = None,
) -> float:
    """0..1 score that ``outcome`` reports on ``target``."""
    cfg = config or MatchConfig()
    units = unit_factor(target, outcome)
    if units == 0.0:
        return 0.0
    ind = indicator_similarity(target.indicator, outcome.indicator)
    ctx = indicator_similarity(target_context, outcome_context) if target_context and outcome_context else ind
    if min(len(normalize_indicator(target.indicator)), len(normalize_indicator(outcome.indicator))) <= 2:
        # a bare verb (开工, 完成) names nothing: the words before the figure stand in
        ind = max(ind, ctx)
    raw = (cfg.w_indicator * ind + cfg.w_context * ctx) / (cfg.w_indicator + cfg.w_context)
    return raw * _kind_agreement(target, outcome) * units * _magnitude_factor(target, outcome)


def _same_target(a: Item, b: Item) -> bool:
    return (
        a.value == b.value
        and a.unit == b.unit
        and a.direction == b.direction
        and indicator_similarity(a.indicator, b.indicator) >= 0.6
    )


def match_items(
    targets: Sequence[Item],
    outcomes: Sequence[Item],
    *,
    target_text: str = "",
    outcome_text: str = "",
    config: MatchConfig | None = None,
    target_headings: Sequence[str] | None = None,
    outcome_headings: Sequence[str] | None = None,
) -> list[Match]:
    """One :class:`Match` per target, in the targets' order.

    ``target_headings``/``outcome_headings`` (one per item, "" when unknown) let the sections
    the figures stand in break near-ties (三大攻坚战 with 三大攻坚战).
    """
    cfg = config or MatchConfig()
    # repeated mentions of one target (the goal restated later) share the first one's outcome
    leader: list[int] = list(range(len(targets)))
    for i in range(len(targets)):
        for j in range(i):
            if leader[j] == j and _same_target(targets[j], targets[i]):
                leader[i] = j
                break
    leaders = [i for i in range(len(targets)) if leader[i] == i]
    t_ctx = [context_before(t, target_text, cfg.context_chars) for t in targets]
    o_ctx = [context_before(o, outcome_text, cfg.context_chars) for o in outcomes]
    multi = multi_year_spans(outcome_text) if outcome_text else []
    o_multi = [
        _mentions_years(o_ctx[j], o) or any(a <= o.span[0] < b for a, b in multi)
        for j, o in enumerate(outcomes)
    ]
    scores: dict[tuple[int, int], float] = {}
    for i in leaders:
        t_multi = _mentions_years(t_ctx[i], targets[i])
        for j, o in enumerate(outcomes):
            s = pair_score(targets[i], o, t_ctx[i], o_ctx[j], cfg)
            if o_multi[j] and not t_multi:
                s *= cfg.multi_year_factor
            if target_headings and outcome_headings and target_headings[i] and outcome_headings[j]:
                agree = indicator_similarity(target_headings[i], outcome_headings[j])
                s *= 1 - cfg.w_section + cfg.w_section * agree
            if s >= cfg.threshold:
                scores[(i, j)] = s
    # one-to-one, best score first; ties broken by document order for stable output
    assigned_t: dict[int, tuple[int, float]] = {}
    assigned_o: dict[int, tuple[int, float]] = {}
    for (i, j), s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if i in assigned_t or j in assigned_o:
            continue
        assigned_t[i] = (j, s)
        assigned_o[j] = (i, s)
    result: dict[int, Match] = {}
    for i in leaders:
        if i not in assigned_t:
            result[i] = Match(i, None, 0.0)
            continue
        j, s = assigned_t[i]
        best = outcomes[j]
        rivals = [
            (s2, j2)
            for (i2, j2), s2 in scores.items()
            if i2 == i
            and j2 != j
            and s2 >= s - cfg.margin
            and (outcomes[j2].value, outcomes[j2].unit) != (best.value, best.unit)
            and (j2 not in assigned_o or assigned_o[j2][1] < s2)
        ]
        if rivals:
            cands = (j, *(j2 for _s, j2 in sorted(rivals, key=lambda r: (-r[0], r[1]))))
            result[i] = Match(i, None, s, cands)
        else:
            result[i] = Match(i, j, s)
    return [
        Match(i, result[leader[i]].outcome_index, result[leader[i]].score, result[leader[i]].candidates)
        for i in range(len(targets))
    ]
