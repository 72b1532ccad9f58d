"""The hand-labelled national 2018 -> 2019 pairs: pairing F1 and verdict accuracy thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.review.evaluation import evaluate, load_labels

LABELS = Path(__file__).parent / "data" / "national-2018-2019-pairs.json"


def test_labels_resolve_to_the_quoted_figures(shared_eval: Path) -> None:
    t = (shared_eval / "texts" / "national-2018.txt").read_text(encoding="utf-8")
    o = (shared_eval / "texts" / "national-2019.txt").read_text(encoding="utf-8")
    labels = load_labels(LABELS, t, o)
    assert len(labels) >= 40
    for lab in labels:
        assert t[slice(*lab.target_span)] == lab.raw["target"]["figure"]
        if lab.outcome_span:
            assert o[slice(*lab.outcome_span)] == lab.raw["outcome"]["figure"]
        else:
            assert lab.verdict == "no_outcome"


def test_review_on_gold_items_meets_the_thresholds(shared_eval: Path) -> None:
    scores = evaluate(LABELS, shared_eval / "texts", shared_eval / "gold")
    gold = scores["gold"]
    assert gold.f1 >= 0.9, gold.errors
    assert gold.verdict_accuracy >= 0.95, gold.errors
    assert gold.no_outcome_right == gold.no_outcome_total, gold.errors


def test_review_on_extraction_meets_the_thresholds(shared_eval: Path) -> None:
    score = evaluate(LABELS, shared_eval / "texts")["extraction"]
    if score.targets_found == 0:
        pytest.skip("extraction finds no targets yet (engine placeholder)")
    assert score.f1 >= 0.9, score.summary() + "\n" + "\n".join(score.errors)
    assert score.verdict_accuracy >= 0.95, score.summary() + "\n" + "\n".join(score.errors)


@pytest.mark.parametrize("damage", ["none", "last4", "first4", "empty"])
def test_pairing_survives_poorly_named_indicators(shared_eval: Path, damage: str) -> None:
    """Gold items with their indicators cut short or dropped: the clause around each figure stands in."""
    from dataclasses import replace

    from luoshi.review.evaluation import gold_outcomes, label_targets, score_results
    from luoshi.review.verdicts import review_items

    cut = {"none": lambda s: s, "last4": lambda s: s[-4:], "first4": lambda s: s[:4], "empty": lambda s: ""}[
        damage
    ]
    t = (shared_eval / "texts" / "national-2018.txt").read_text(encoding="utf-8")
    o = (shared_eval / "texts" / "national-2019.txt").read_text(encoding="utf-8")
    labels = load_labels(LABELS, t, o)
    targets = [replace(x, indicator=cut(x.indicator)) for x in label_targets(labels, t)]
    outcomes = [
        replace(x, indicator=cut(x.indicator))
        for x in gold_outcomes(shared_eval / "gold" / "national-2019.json", o)
    ]
    score = score_results(review_items(targets, outcomes, target_text=t, outcome_text=o), labels)
    assert score.precision == 1.0, score.errors
    assert score.f1 >= 0.9, score.summary()
    assert score.verdict_accuracy >= 0.95, score.errors
