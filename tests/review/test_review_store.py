"""Stored review on a real SQLite file: run, progress evidence, confirm/override kept on re-run."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from luoshi.errors import InputError, NotFoundError
from luoshi.review.store import (
    confirm_result,
    override_result,
    report_of_ref,
    review_rows,
    run_stored_review,
)
from luoshi.store.models import AuditLog, ProgressCheck, ProgressUpdate, Target


def _verdicts(store, report_id: int) -> dict[str, str]:
    with store.session() as s:
        return {r.target.indicator: r.result.verdict for r in review_rows(s, report_id) if r.result}


def test_run_review_pairs_and_judges(store, two_reports) -> None:
    a, b = two_reports
    with store.session() as s:
        rows = run_stored_review(s, a, actor="test")
        assert len(rows) == 5
    assert _verdicts(store, a) == {
        "地区生产总值增长": "met",
        "城镇新增就业": "exceeded",
        "单位GDP能耗下降": "exceeded",
        "新建5G基站": "partly_met",
        "城镇登记失业率": "no_outcome",
    }
    with store.session() as s:
        row = next(r for r in review_rows(s, a) if r.target.indicator == "新建5G基站")
        assert row.outcome is not None and row.outcome.value == 420 and row.outcome.report_id == b
        assert row.result.ratio == pytest.approx(0.84)
        assert s.scalar(select(AuditLog).where(AuditLog.action == "review_run")) is not None


def test_report_of_ref_syntax(store, two_reports) -> None:
    a, b = two_reports
    with store.session() as s:
        assert report_of_ref(s, f"report:{a}").id == a
        assert report_of_ref(s, str(b)).id == b
        assert report_of_ref(s, "示例区/2024").id == b
        with pytest.raises(NotFoundError):
            report_of_ref(s, "示例区/2019")
        with pytest.raises(InputError):
            report_of_ref(s, "nonsense")


def test_progress_readings_are_evidence_when_no_outcome(store, two_reports) -> None:
    a, _b = two_reports
    with store.session() as s:
        t = s.scalar(select(Target).where(Target.report_id == a, Target.indicator == "城镇登记失业率"))
        old = ProgressUpdate(target_id=t.id, period=date(2023, 6, 30), reported_value=4.0)
        s.add(old)
        s.flush()
        s.add(ProgressCheck(update_id=old.id, decision="accepted"))
        newer = ProgressUpdate(target_id=t.id, period=date(2023, 12, 31), reported_value=4.8)
        s.add(newer)  # submitted but returned: must not count
        s.flush()
        s.add(ProgressCheck(update_id=newer.id, decision="returned"))
    with store.session() as s:
        run_stored_review(s, a)
        row = next(r for r in review_rows(s, a) if r.target.indicator == "城镇登记失业率")
        assert row.result.verdict == "met" and row.outcome is None
        assert "进度填报" in row.result.reason and "2023-06-30" in row.result.reason


def test_overrides_are_audited_and_kept_on_rerun(store, two_reports) -> None:
    a, _b = two_reports
    with store.session() as s:
        rows = run_stored_review(s, a)
        by = {s.get(Target, r.target_id).indicator: r for r in rows}
        gdp, jobs = by["地区生产总值增长"].id, by["城镇新增就业"].id
        override_result(s, gdp, "admin", verdict="not_met", reason="统计口径不同")
        confirm_result(s, jobs, "admin")
    with store.session() as s:
        run_stored_review(s, a)
    with store.session() as s:
        rows = {r.target.indicator: r for r in review_rows(s, a)}
        assert rows["地区生产总值增长"].result.verdict == "not_met"
        assert rows["地区生产总值增长"].result.state == "overridden"
        assert rows["地区生产总值增长"].result.reason == "统计口径不同"
        assert rows["城镇新增就业"].result.state == "confirmed"
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "review_override")).all()
        assert (
            len(audit) == 1 and audit[0].before["verdict"] == "met" and audit[0].after["verdict"] == "not_met"
        )
        assert audit[0].actor_name == "admin"
    with store.session() as s, pytest.raises(InputError):
        override_result(s, gdp, "admin", verdict="great")
