"""Read side of the year-end review pages: each function answers one question the scorecard pages ask.

The web routes call these and do no ORM queries of their own. ``public_only`` means "as an
anonymous reader may see it": public, reviewed targets only, and published scorecards only
where a function says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from luoshi.errors import NotFoundError
from luoshi.review.matching import indicator_similarity
from luoshi.review.publish import published_ids
from luoshi.review.store import EXCLUDED_STATES, review_rows
from luoshi.review.verdicts import VERDICTS
from luoshi.store.models import Jurisdiction, Report, Target
from luoshi.store.models import ReviewResult as ReviewRow
from luoshi.tracking.public import published_clause

__all__ = [
    "MET",
    "TrendPoint",
    "find_jurisdiction",
    "has_public_targets",
    "indicator_trend",
    "public_report_ids",
    "scorecard_reports",
    "share_met",
    "verdict_counts_by_report",
]

MET = ("met", "exceeded")
# A trend point is the year's target whose indicator is closest to the one asked, if this close.
TREND_MIN_SIMILARITY = 0.6


def _public_reports_query() -> Select[Any]:
    return select(Target.report_id).where(published_clause()).distinct()


def public_report_ids(session: Session) -> set[int]:
    """Ids of the reports that have at least one public, reviewed target (the ones the public may see)."""
    return set(session.scalars(_public_reports_query()))


def has_public_targets(session: Session, report_id: int) -> bool:
    """Does this report have a public, reviewed target (may an anonymous reader see its scorecard)?"""
    found = session.scalar(
        select(Target.id)
        .where(
            Target.report_id == report_id,
            published_clause(),
        )
        .limit(1)
    )
    return found is not None


def scorecard_reports(session: Session, *, public_only: bool = False) -> list[Report]:
    """The reports listed on /review, by jurisdiction then newest year first; for the public only
    those with a public target."""
    stmt = select(Report).join(Jurisdiction).order_by(Jurisdiction.name, Report.year.desc())
    if public_only:
        stmt = stmt.where(Report.id.in_(_public_reports_query()))
    return list(session.scalars(stmt))


def verdict_counts_by_report(session: Session, *, public_only: bool = False) -> dict[int, Counter[str]]:
    """Stored verdicts counted per report (reviewed, unmerged targets); for the public only public
    targets of published scorecards (drafts are the office's until published)."""
    stmt = (
        select(Target.report_id, ReviewRow.verdict, func.count())
        .join(ReviewRow, ReviewRow.target_id == Target.id)
        .where(Target.review_state.not_in(EXCLUDED_STATES), Target.merged_into_id.is_(None))
        .group_by(Target.report_id, ReviewRow.verdict)
    )
    if public_only:
        stmt = stmt.where(published_clause())
    tally: dict[int, Counter[str]] = {}
    for report_id, verdict, n in session.execute(stmt):
        tally.setdefault(report_id, Counter())[verdict] += n
    if public_only:
        published = published_ids(session)
        tally = {rid: c for rid, c in tally.items() if rid in published}
    return tally


def share_met(counts: Mapping[str, int]) -> float:
    """Share (percent) met or exceeded among the EVALUATED targets: counts of anything that is not a
    verdict (open targets, 未评估) do not count; 0.0 when nothing is evaluated yet."""
    judged = sum(n for verdict, n in counts.items() if verdict in VERDICTS)
    return 100.0 * sum(counts.get(v, 0) for v in MET) / judged if judged else 0.0


def find_jurisdiction(session: Session, name: str) -> Jurisdiction:
    """The jurisdiction of this name; raises NotFoundError."""
    place = session.scalar(select(Jurisdiction).where(Jurisdiction.name == name.strip()).limit(1))
    if place is None:
        raise NotFoundError(f"没有 {name} 的报告")
    return place


@dataclass(frozen=True)
class TrendPoint:
    """One year of an indicator's trend: the target closest to the indicator asked and its result."""

    year: int
    indicator: str
    target: float | None
    value_max: float | None
    unit: str | None
    comparator: str | None
    outcome: float | None
    verdict: str | None


def indicator_trend(
    session: Session, jurisdiction_id: int, indicator: str, *, public_only: bool = False
) -> list[TrendPoint]:
    """How one indicator fared across a jurisdiction's years: per report (oldest first), its target
    most similar to ``indicator`` with the stored outcome and verdict. The public sees published
    scorecards only."""
    reports = session.scalars(
        select(Report).where(Report.jurisdiction_id == jurisdiction_id).order_by(Report.year, Report.id)
    ).all()
    published = published_ids(session) if public_only else set()
    points: list[TrendPoint] = []
    for rep in reports:
        if public_only and rep.id not in published:
            continue  # a draft scorecard is not shown to the public
        best = None
        for line in review_rows(session, rep.id, public_only=public_only):
            sim = indicator_similarity(indicator, line.target.indicator)
            if sim >= TREND_MIN_SIMILARITY and (best is None or sim > best[0]):
                best = (sim, line)
        if best is None:
            continue
        x = best[1]
        points.append(
            TrendPoint(
                year=rep.year,
                indicator=x.target.indicator,
                target=x.target.target_value,
                value_max=x.target.value_max,
                unit=x.target.unit,
                comparator=x.target.comparator,
                outcome=x.outcome.value if x.outcome else None,
                verdict=x.result.verdict if x.result else None,
            )
        )
    return points
