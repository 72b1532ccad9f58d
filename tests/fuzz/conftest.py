"""Fuzz fixtures: real report sentences to mutate (bundled demo + the shared texts when present)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SHARED_TEXTS = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "texts"


def report_sentences(demo_report_path: Path) -> list[str]:
    texts = [demo_report_path.read_text(encoding="utf-8")]
    if SHARED_TEXTS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SHARED_TEXTS.glob("*.txt"))]
    sentences = [s for text in texts for s in re.split(r"(?<=[。；！？\n])", text) if s.strip()]
    return sentences


@pytest.fixture(scope="session")
def sentences(demo_report_path: Path) -> list[str]:
    found = report_sentences(demo_report_path)
    assert len(found) > 50
    return found
