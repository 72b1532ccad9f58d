"""Score the year-end review against hand-labelled target→outcome pairs.

The label file (e.g. tests/review/data/national-2018-2019-pairs.json) lists every quantified
target of report Y; each names its figure by ``context`` (an exact quote), its ``occurrence``
and the ``figure`` inside it, plus the outcome figure of report Y+1 it is reported by (or null)
and the correct verdict. Rows marked ``optional`` count neither way.

Pairing: a predicted pair is correct when its target overlaps a labelled target and its
outcome overlaps that label's outcome. Verdict accuracy is measured on the correct pairs.

Run: ``python -m luoshi.review.evaluation LABELS TEXTS_DIR [--gold GOLD_DIR]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from luoshi.extraction.model import Item
from luoshi.review.verdicts import ReviewConfig, ReviewResult, review_items, review_plans

__all__ = ["Label", "Score", "evaluate", "gold_outcomes", "label_targets", "load_labels", "score_results"]

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


@dataclass(frozen=True, slots=True)
class Label:
    target_span: tuple[int, int]
    outcome_span: tuple[int, int] | None
    verdict: str
    optional: bool
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int
    verdict_right: int
    no_outcome_right: int
    no_outcome_total: int
    targets_found: int
    targets_total: int
    errors: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def verdict_accuracy(self) -> float:
        return self.verdict_right / self.tp if self.tp else 0.0

    def summary(self) -> str:
        return (
            f"pairs P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn}); verdict accuracy on correct pairs "
            f"{self.verdict_accuracy:.3f} ({self.verdict_right}/{self.tp}); no_outcome right "
            f"{self.no_outcome_right}/{self.no_outcome_total}; labelled targets extracted "
            f"{self.targets_found}/{self.targets_total}"
        )


def _locate(text: str, quote: dict[str, Any]) -> tuple[int, int]:
    context, figure, nth = quote["context"], quote["figure"], int(quote.get("occurrence", 1))
    pos = -1
    for _ in range(nth):
        pos = text.find(context, pos + 1)
        if pos < 0:
            raise ValueError(f"quote {context!r} (occurrence {nth}) not found")
    offset = context.find(figure)
    if offset < 0:
        raise ValueError(f"figure {figure!r} is not inside {context!r}")
    return pos + offset, pos + offset + len(figure)


def load_labels(path: Path, target_text: str, outcome_text: str) -> list[Label]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    labels = []
    for row in doc["pairs"]:
        o = row.get("outcome")
        labels.append(
            Label(
                _locate(target_text, row["target"]),
                _locate(outcome_text, o) if o else None,
                row["verdict"],
                bool(row.get("optional")),
                row,
            )
        )
    return labels


def _overlaps(a: Sequence[int], b: Sequence[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _sentence_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, span[0])), default=0)
    m = _SENTENCE_END.search(text, span[1])
    return start, m.end() if m else len(text)


def label_targets(labels: Sequence[Label], text: str) -> list[Item]:
    """The labelled targets as items (the control run: no extraction errors)."""
    items = []
    for lab in labels:
        t = lab.raw["target"]
        items.append(
            Item(
                role="target",
                span=lab.target_span,
                surface=t["figure"],
                value=float(t["value"]),
                unit=t["unit"],
                comparator=t["comparator"],
                indicator=t["indicator"],
                sentence=_sentence_of(text, lab.target_span),
                direction=t.get("direction"),
            )
        )
    return items


def gold_outcomes(gold_path: Path, text: str) -> list[Item]:
    """Outcomes of a gold file of the shared evaluation kit as items."""
    doc = json.loads(gold_path.read_text(encoding="utf-8"))
    items = []
    for g in doc["items"]:
        if g["role"] != "outcome":
            continue
        span = (int(g["span"][0]), int(g["span"][1]))
        items.append(
            Item(
                role="outcome",
                span=span,
                surface=text[span[0] : span[1]],
                value=float(str(g["value"]).split("|")[0]),
                unit=g.get("unit") or "",
                comparator=g.get("comparator") or "=",
                indicator=g.get("indicator") or "",
                sentence=_sentence_of(text, span),
                direction=g.get("direction") or None,
            )
        )
    return items


def score_results(results: Sequence[ReviewResult], labels: Sequence[Label]) -> Score:
    tp_labels: set[int] = set()
    fp = verdict_right = no_right = no_total = 0
    errors: list[str] = []
    found: set[int] = set()
    for r in results:
        hit = next((k for k, lab in enumerate(labels) if _overlaps(r.target.span, lab.target_span)), None)
        if hit is not None:
            found.add(hit)
        lab = labels[hit] if hit is not None else None
        if lab is not None and lab.optional:
            continue
        if lab is not None and lab.outcome_span is None:
            no_total += 1
            no_right += r.verdict == "no_outcome"
        if r.outcome is None:
            if lab is not None and lab.outcome_span is not None:
                errors.append(f"missed: {lab.raw['target']['context']} ({r.verdict}: {r.reason})")
            continue
        if lab is not None and lab.outcome_span and _overlaps(r.outcome.span, lab.outcome_span):
            if hit not in tp_labels:
                tp_labels.add(hit)  # type: ignore[arg-type]
                if r.verdict == lab.verdict:
                    verdict_right += 1
                else:
                    errors.append(f"verdict {r.verdict} != {lab.verdict}: {r.reason}")
            continue
        fp += 1
        where = lab.raw["target"]["context"] if lab else f"unlabelled target {r.target.surface}"
        errors.append(f"wrong pair: {where} -> {r.outcome.indicator} {r.outcome.surface}")
    fn = sum(
        1 for k, lab in enumerate(labels) if lab.outcome_span and not lab.optional and k not in tp_labels
    )
    scored = [k for k, lab in enumerate(labels) if not lab.optional]
    return Score(
        len(tp_labels),
        fp,
        fn,
        verdict_right,
        no_right,
        no_total,
        len(found & set(scored)),
        len(scored),
        tuple(errors),
    )


def evaluate(
    labels_path: Path, texts_dir: Path, gold_dir: Path | None = None, config: ReviewConfig | None = None
) -> dict[str, Score]:
    """Score the review on real extraction output, and on gold items when ``gold_dir`` is given."""
    from luoshi.reading import read_plan

    doc = json.loads(labels_path.read_text(encoding="utf-8"))
    # The one "read a file and extract it" (luoshi.reading): labels index the text as it decodes.
    read_t, plan_t = read_plan(path=texts_dir / doc["targets_text"], name=doc["targets_text"])
    read_o, plan_o = read_plan(path=texts_dir / doc["outcomes_text"], name=doc["outcomes_text"])
    t_text, o_text = read_t.text, read_o.text
    labels = load_labels(labels_path, t_text, o_text)
    scores = {"extraction": score_results(review_plans(plan_t, plan_o, config), labels)}
    gold = gold_dir / Path(doc["outcomes_text"]).with_suffix(".json").name if gold_dir else None
    if gold is not None and gold.exists():
        control = review_items(
            label_targets(labels, t_text),
            gold_outcomes(gold, o_text),
            target_text=t_text,
            outcome_text=o_text,
            config=config,
        )
        scores["gold"] = score_results(control, labels)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labels", type=Path)
    ap.add_argument("texts", type=Path)
    ap.add_argument("--gold", type=Path, default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    for name, score in evaluate(args.labels, args.texts, args.gold).items():
        print(f"{name}: {score.summary()}")
        if args.verbose:
            for e in score.errors:
                print(f"  {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
