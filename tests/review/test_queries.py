"""luoshi.review.queries and the store's look-ups on a real SQLite file: what the scorecard pages ask,
for office users and for the public (public targets only, published scorecards only)."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from luoshi.errors import NotFoundError
from luoshi.review.publish import publish_scorecard
from luoshi.review.queries import (
    find_jurisdiction,
    has_public_targets,
    indicator_trend,
    public_report_ids,
    scorecard_reports,
    share_met,
    verdict_counts_by_report,
)
from luoshi.review.store import report_outcomes, result_with_target, review_rows, run_stored_review
from luoshi.store.models import Target
from luoshi.tracking import services


def _make_public(store, report_id: int, indicators: set[str]) -> None:
    with store.session() as s:
        for t in s.scalars(select(Target).where(Target.report_id == report_id)):
            if t.indicator in indicators:  # published = accepted in 审核 and made public
                services.accept_target(s, t, actor="test")
                services.set_public(s, t, True, actor="test")


def test_office_and_public_see_what_they_may(store, two_reports) -> None:
    a, b = two_reports
    with store.session() as s:
        run_stored_review(s, a, b, actor="test")
    with store.session() as s:
        counts = verdict_counts_by_report(s)
        assert counts == {a: Counter(met=1, exceeded=2, partly_met=1, no_outcome=1)}
        assert share_met(counts[a]) == 60.0
        assert [r.id for r in scorecard_reports(s)] == [b, a]  # newest year first
        # nothing public yet: the public sees no report and no count
        assert not has_public_targets(s, a) and public_report_ids(s) == set()
        assert scorecard_reports(s, public_only=True) == []
        assert verdict_counts_by_report(s, public_only=True) == {}
    _make_public(store, a, {"城镇新增就业", "新建5G基站"})
    with store.session() as s:
        assert has_public_targets(s, a) and not has_public_targets(s, b)
        assert [r.id for r in scorecard_reports(s, public_only=True)] == [a]
        assert verdict_counts_by_report(s, public_only=True) == {}  # a draft until published
        publish_scorecard(s, a, actor="test")
    with store.session() as s:
        assert verdict_counts_by_report(s, public_only=True) == {a: Counter(exceeded=1, partly_met=1)}


def test_indicator_trend_hides_drafts_from_the_public(store, two_reports) -> None:
    a, b = two_reports
    with store.session() as s:
        run_stored_review(s, a, b, actor="test")
        place = find_jurisdiction(s, "示例区").id
        (point,) = indicator_trend(s, place, "新增城镇就业")  # a paraphrase of 城镇新增就业
        assert (point.year, point.target, point.outcome, point.verdict) == (2023, 12000, 13500, "exceeded")
        assert indicator_trend(s, place, "新增城镇就业", public_only=True) == []
        assert indicator_trend(s, place, "粮食产量") == []
    _make_public(store, a, {"城镇新增就业"})
    with store.session() as s:
        assert indicator_trend(s, place, "新增城镇就业", public_only=True) == []  # public, but a draft
        publish_scorecard(s, a, actor="test")
    with store.session() as s:
        assert [p.year for p in indicator_trend(s, place, "新增城镇就业", public_only=True)] == [2023]
        with pytest.raises(NotFoundError):
            find_jurisdiction(s, "无此区")


def test_result_and_outcome_look_ups(store, two_reports) -> None:
    a, b = two_reports
    with store.session() as s:
        run_stored_review(s, a, b, actor="test")
        line = next(x for x in review_rows(s, a) if x.target.indicator == "新建5G基站")
        assert line.result is not None
        row, target = result_with_target(s, line.result.id)
        assert row.id == line.result.id and target.id == line.target.id
        with pytest.raises(NotFoundError):
            result_with_target(s, 10**6)
        assert [o.value for o in report_outcomes(s, b)] == [6.2, 13500, 3.6, 420]  # report order
        assert report_outcomes(s, a) == []
