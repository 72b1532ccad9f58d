"""Score the shared dev set with the unchanged score.py and hold the quality thresholds.

Skips (with a reason) where ../shared/eval is absent, as on a user's machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from luoshi.extraction import extract_text

THRESHOLDS = {"target": 0.95, "outcome": 0.93}
DETECTION = 0.97


def extract_dir(texts: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(texts.glob("*.txt")):
        plan = extract_text(path.read_text(encoding="utf-8"), path.name)
        with open(out / f"{path.stem}.json", "w", encoding="utf-8") as f:
            json.dump(plan.to_dict(), f, ensure_ascii=False)


def test_dev_set_meets_thresholds(shared_eval: Path, tmp_path: Path) -> None:
    extract_dir(shared_eval / "texts", tmp_path)
    proc = subprocess.run(
        [sys.executable, str(shared_eval / "score.py"), str(shared_eval / "gold"), str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(proc.stdout)["summary"]
    for role, threshold in THRESHOLDS.items():
        assert summary[role]["strict"]["f1"] >= threshold, (role, summary[role])
        assert summary[role]["detect"]["f1"] >= DETECTION, (role, summary[role])


def test_spans_show_the_figure(shared_eval: Path) -> None:
    for path in sorted((shared_eval / "texts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        plan = extract_text(text, path.name)
        assert plan.targets or plan.outcomes
        for item in plan.items():
            shown = text[item.span[0]: item.span[1]]
            assert shown and shown in item.surface, (path.name, item)
            assert item.sentence[0] <= item.span[0] < item.span[1] <= item.sentence[1]
