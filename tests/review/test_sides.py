"""luoshi.review.sides: the two sides of a review (file or stored report) and the review of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.errors import InputError, NotFoundError
from luoshi.review.sides import review_sides, side_of_file, side_of_report
from luoshi.review.store import ReviewYearError
from luoshi.review.verdicts import ReviewConfig
from tests.review.conftest import TEXT_2023, TEXT_2024

CONFIG = ReviewConfig(tolerance=0.05)


def test_stored_sides_review_and_save(store, two_reports) -> None:  # noqa: ANN001
    a, b = two_reports
    with store.session() as s:
        targets, outcomes = side_of_report(s, f"report:{a}"), side_of_report(s, "示例区/2024")
        assert (targets.report_id, outcomes.report_id, targets.year, outcomes.year) == (a, b, 2023, 2024)
        assert len(targets.targets) == len(targets.target_ids) == 5 and targets.text == TEXT_2023
        results = review_sides(targets, outcomes, config=CONFIG, session=s)
        verdicts = {r.target.indicator: r.verdict for r in results}
        assert verdicts["城镇新增就业"] == "exceeded" and verdicts["城镇登记失业率"] == "no_outcome"
        saved = review_sides(targets, outcomes, config=CONFIG, session=s, save=True, actor="test")
        assert len(saved) == 5
        with pytest.raises(ReviewYearError, match="2024"):  # outcomes must be of the year after
            review_sides(outcomes, targets, config=CONFIG, session=s)
        with pytest.raises(NotFoundError):
            side_of_report(s, "示例区/2030")


def test_file_sides_are_extracted_and_cannot_be_saved(tmp_path: Path) -> None:
    y, y1 = tmp_path / "a-2023.txt", tmp_path / "a-2024.txt"
    y.write_text(TEXT_2023, encoding="utf-8")
    y1.write_text(TEXT_2024, encoding="utf-8")
    targets, outcomes = side_of_file(y), side_of_file(y1)
    assert targets.report_id is None and targets.text == TEXT_2023 and targets.targets
    assert len(targets.target_headings) == len(targets.targets)
    results = review_sides(targets, outcomes, config=CONFIG)
    assert len(results) == len(targets.targets) and {r.verdict for r in results} - {"no_outcome"}
    with pytest.raises(InputError, match="--save needs two stored reports"):
        review_sides(targets, outcomes, config=CONFIG, save=True)
    with pytest.raises(InputError, match="missing.txt"):
        side_of_file(tmp_path / "missing.txt")
