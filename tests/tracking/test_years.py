"""Years and periods that cannot be mixed up (issue 9: national-2023 could be stored as the 2020
report, and `luoshi review --targets 2019 --outcomes 2018` ran with exit 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from luoshi.review.store import ReviewYearError, run_stored_review
from luoshi.store.models import Report
from luoshi.tracking.importer import YearMismatch, import_report

from .conftest import SAMPLE_TEXT, make_plan


def luoshi(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point (domain errors become clean messages and exit 2 there)."""
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], capture_output=True, text=True, timeout=120
    )


def test_import_refuses_a_report_stating_another_year_naming_both(store) -> None:  # noqa: ANN001
    with pytest.raises(YearMismatch) as caught, store.session() as s:
        import_report(s, SAMPLE_TEXT, "张店区", 2020)
    assert "2024" in str(caught.value) and "2020" in str(caught.value)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 0  # nothing half-written
        assert import_report(s, SAMPLE_TEXT, "张店区", 2020, force=True).report.year == 2020
    with store.session() as s:
        assert import_report(s, SAMPLE_TEXT + "\n", "张店区", 2024).report.year == 2024


def test_cli_import_exits_2_on_a_year_mismatch_unless_forced(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(SAMPLE_TEXT, encoding="utf-8")
    db = tmp_path / "cli.db"
    bad = luoshi("import", str(report), "--jurisdiction", "张店区", "--year", "2020", "--db", str(db))
    assert bad.returncode == 2, bad.stderr
    assert "2024" in bad.stderr and "2020" in bad.stderr and "--force" in bad.stderr
    assert "Traceback" not in bad.stderr
    ok = luoshi(
        "import", str(report), "--jurisdiction", "张店区", "--year", "2020", "--force", "--db", str(db)
    )
    assert ok.returncode == 0, ok.stderr


def test_review_refuses_outcomes_not_from_the_next_year(store, tmp_path: Path) -> None:  # noqa: ANN001
    with store.session() as s:
        targets = import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan()).report.id
        earlier = import_report(
            s, SAMPLE_TEXT + "。", "张店区", 2023, plan=make_plan(SAMPLE_TEXT + "。")
        ).report.id
        later = import_report(
            s, SAMPLE_TEXT + "！", "张店区", 2026, plan=make_plan(SAMPLE_TEXT + "！")
        ).report.id
    for wrong in (earlier, later):
        with pytest.raises(ReviewYearError, match="2024.*2025.*20(23|26)"), store.session() as s:
            run_stored_review(s, targets, wrong)
    url = str(store.engine.url.render_as_string(hide_password=False))
    result = luoshi("review", "--targets", "张店区/2024", "--outcomes", "张店区/2023", "--db", url)
    assert result.returncode == 2, result.stderr
    assert "2024" in result.stderr and "2023" in result.stderr and "Traceback" not in result.stderr


def test_a_news_headline_is_not_taken_for_the_reports_name() -> None:
    from luoshi.tracking.importer import report_title

    assert report_title("谱写 强富美优新篇章", "张店区", 2024) == "张店区2024年政府工作报告"
    assert report_title(None, "张店区", 2024) == "张店区2024年政府工作报告"
    assert report_title("2024年国务院政府工作报告", "全国", 2024) == "2024年国务院政府工作报告"
    assert report_title("2020年大事和民生实事", "甘谷县", 2020) == "2020年大事和民生实事"
