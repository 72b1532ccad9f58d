"""The panel: one row per jurisdiction × plan year × codebook indicator, joined to next year's outcome.

The target is the first mention of the indicator in the best document of that jurisdiction and
year (a full report before a plan-execution report, a news write-up, a 民生实事 list); the outcome
comes from the year-end matcher (:func:`luoshi.review.verdicts.review_plans`) run on the next
year's document of the same jurisdiction, so the panel and ``luoshi review`` agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from luoshi.corpus.codebook import load_codebook
from luoshi.extraction.model import Plan
from luoshi.review.verdicts import ReviewResult, review_plans

__all__ = ["GENRE_RANK", "PANEL_ITEM_KEYS", "build_panel"]

GENRE_RANK = {"report": 0, "plan-execution": 1, "news": 2, "livelihood-list": 3}
# the item-table columns build_panel reads of a target (besides doc_id)
PANEL_ITEM_KEYS: tuple[str, ...] = (
    "role", "codebook_id", "deadline", "start", "end", "indicator", "surface", "value", "value_max",
    "unit", "comparator", "direction", "hedge", "hedge_word", "sentence_text",
)  # fmt: skip


def _doc_key(doc: dict[str, Any]) -> tuple[int, str]:
    return GENRE_RANK.get(doc.get("genre") or "", 9), doc["path"]


def build_panel(
    documents: Sequence[dict[str, Any]],
    items: Sequence[dict[str, Any]],
    load_plan: Callable[[str], Plan],
) -> list[dict[str, Any]]:
    """Panel rows from document and item rows; ``load_plan(doc_id)`` gives a document's Plan."""
    codebook = load_codebook()
    docs = {d["doc_id"]: d for d in documents}
    by_place_year: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for d in documents:
        if d.get("jurisdiction") and d.get("plan_year") is not None:
            by_place_year[(d["jurisdiction"], d["plan_year"])].append(d)
    chosen: dict[tuple[str, int, str], tuple[tuple[int, str, int], dict[str, Any]]] = {}
    for it in items:
        doc = docs[it["doc_id"]]
        if it["role"] != "target" or not it.get("codebook_id") or not doc.get("jurisdiction"):
            continue
        year = doc.get("plan_year")
        if year is None or (it.get("deadline") is not None and it["deadline"] != year):
            continue  # a several-year goal is not this year's target
        key = (doc["jurisdiction"], year, it["codebook_id"])
        rank = (*_doc_key(doc), it["start"])
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, it)
    plans: dict[str, Plan] = {}
    reviews: dict[tuple[str, str], list[ReviewResult]] = {}

    def plan(doc_id: str) -> Plan:
        if doc_id not in plans:
            plans[doc_id] = load_plan(doc_id)
        return plans[doc_id]

    rows = []
    for (place, year, indicator_id), (_rank, it) in sorted(chosen.items()):
        doc = docs[it["doc_id"]]
        row = _target_row(doc, it, codebook.by_id(indicator_id).name_zh, codebook.version)
        for nxt in sorted(by_place_year.get((place, year + 1), []), key=_doc_key):
            pair = (doc["doc_id"], nxt["doc_id"])
            if pair not in reviews:
                reviews[pair] = review_plans(plan(doc["doc_id"]), plan(nxt["doc_id"]))
            result = _result_for(plan(doc["doc_id"]), reviews[pair], it)
            if result is None:
                continue
            if row["verdict"] is None or result.outcome is not None:
                row.update(_outcome_cols(result, nxt))
            if result.outcome is not None:
                break
        rows.append(row)
    return rows


def _target_row(doc: dict[str, Any], it: dict[str, Any], name: str, version: str) -> dict[str, Any]:
    return {
        "jurisdiction": doc["jurisdiction"], "level": doc.get("level"), "plan_year": doc["plan_year"],
        "indicator": it["codebook_id"], "indicator_name": name, "codebook_version": version,
        "raw_indicator": it["indicator"], "doc_id": doc["doc_id"], "path": doc["path"], "genre": doc.get("genre"),
        "target_surface": it["surface"], "target_value": it["value"], "target_value_max": it.get("value_max"),
        "unit": it["unit"], "comparator": it["comparator"], "direction": it.get("direction"),
        "hedge": it.get("hedge"), "hedge_word": it.get("hedge_word") or None,
        "target_start": it["start"], "target_end": it["end"], "target_sentence": it["sentence_text"],
        "verdict": None,
    }  # fmt: skip


def _result_for(plan: Plan, results: list[ReviewResult], it: dict[str, Any]) -> ReviewResult | None:
    for target, result in zip(plan.targets, results, strict=True):
        if target.span == (it["start"], it["end"]):
            return result
    return None


def _outcome_cols(result: ReviewResult, nxt: dict[str, Any]) -> dict[str, Any]:
    out = result.outcome
    cols: dict[str, Any] = {
        "verdict": result.verdict,
        "ratio": result.ratio,
        "match_score": round(result.score, 6),
    }
    if out is None:
        return cols
    target = result.target
    # the outcome on the target's axis: a move the other way counts negative (as the review reads it)
    signed = (
        -out.value if target.direction and out.direction and out.direction != target.direction else out.value
    )
    cols.update(
        outcome_doc_id=nxt["doc_id"], outcome_path=nxt["path"], outcome_indicator=out.indicator,
        outcome_surface=out.surface, outcome_value=out.value, outcome_unit=out.unit,
        outcome_start=out.span[0], outcome_end=out.span[1],
        gap=round(signed - target.value, 10) if out.unit == target.unit else None,
    )  # fmt: skip
    return cols
