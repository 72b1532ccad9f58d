"""Score our own labels for national-2018 (no shared gold: labelled by hand in
tests/extraction/data/heldout, following ANNOTATION.md) with the unchanged score.py.

The rules were not tuned on this text before it was labelled, so it shows how the extractor
does on a report it has not seen; it is scored as written and converted to traditional.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from tests.extraction.test_dev_score import hard_wrap, score

from luoshi.extraction import extract_text

LABELS = Path(__file__).parent / "data" / "heldout"
THRESHOLDS = {"target": 0.95, "outcome": 0.93}
DETECTION = 0.97


def _run(shared_eval: Path, tmp_path: Path, convert, wrap: int = 0) -> dict:  # type: ignore[no-untyped-def, type-arg]
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    for label_path in sorted(LABELS.glob("*.json")):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        raw = (shared_eval / "texts" / labels["doc"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == labels["sha256"], "the labelled text changed"
        text = raw.decode("utf-8")
        new = convert(text)
        assert len(new) == len(text)  # spans stay where they were
        if wrap:
            new, where = hard_wrap(new, wrap)
            for item in labels["items"]:
                item["span"] = [where[item["span"][0]], where[item["span"][1] - 1] + 1]
        plan = extract_text(new, labels["doc"])
        (pred_dir / label_path.name).write_text(json.dumps(plan.to_dict(), ensure_ascii=False), "utf-8")
        for item in labels["items"]:
            item["indicator"], item["unit"] = convert(item["indicator"]), convert(item["unit"])
        (gold_dir / label_path.name).write_text(json.dumps(labels, ensure_ascii=False), "utf-8")
    return score(shared_eval, gold_dir, pred_dir)


def test_labels_are_well_formed(shared_eval: Path) -> None:
    for label_path in sorted(LABELS.glob("*.json")):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        text = (shared_eval / "texts" / labels["doc"]).read_text(encoding="utf-8")
        spans = [tuple(i["span"]) for i in labels["items"]]
        assert len(spans) == len(set(spans))
        for item in labels["items"]:
            a, b = item["span"]
            assert 0 <= a < b <= len(text) and text[a:b].strip()
            assert item["role"] in ("target", "outcome") and item["comparator"] in (
                "=",
                ">=",
                "<=",
                "~",
                "range",
            )


@pytest.mark.parametrize("script", ["simplified", "traditional", "hard-wrapped", "narrow-columns"])
def test_heldout_meets_thresholds(shared_eval: Path, tmp_path: Path, script: str) -> None:
    if script == "traditional":
        import opencc

        convert = opencc.OpenCC("s2tw").convert
    else:

        def convert(s: str) -> str:
            return s

    wrap = {"hard-wrapped": 28, "narrow-columns": 18}.get(script, 0)  # PDF page / two-column layout
    summary = _run(shared_eval, tmp_path, convert, wrap=wrap)
    for role, threshold in THRESHOLDS.items():
        assert summary[role]["strict"]["f1"] >= threshold, (role, summary[role])
        assert summary[role]["detect"]["f1"] >= DETECTION, (role, summary[role])
