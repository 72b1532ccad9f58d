"""Publishing is a decision: a year-end scorecard is a draft until an admin publishes it (审定后发布).

Interface::

    is_published(session, report_id) -> bool
    published_ids(session) -> set[int]              # report ids whose scorecard is published
    publication(session, report_id) -> ScorecardPublication | None
    publish_scorecard(session, report_id, actor) -> ScorecardPublication   # needs a run review
    unpublish_scorecard(session, report_id, actor) -> None                 # back to draft

Both changes are audited (``publish_scorecard`` / ``unpublish_scorecard`` on the report).
The public (anyone without internal access) sees a scorecard only once it is published.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.store.audit import Actor, actor_fields, record_audit
from luoshi.store.models import Report, ReviewResult, ScorecardPublication, Target

__all__ = ["is_published", "publication", "publish_scorecard", "published_ids", "unpublish_scorecard"]


def publication(session: Session, report_id: int) -> ScorecardPublication | None:
    return session.scalar(select(ScorecardPublication).where(ScorecardPublication.report_id == report_id))


def is_published(session: Session, report_id: int) -> bool:
    return publication(session, report_id) is not None


def published_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ScorecardPublication.report_id)))


def publish_scorecard(session: Session, report_id: int, actor: Actor = None) -> ScorecardPublication:
    """Publish the scorecard of ``report_id`` (idempotent); refused while no review has been run."""
    if session.get(Report, report_id) is None:
        raise NotFoundError(f"没有编号为 {report_id} 的报告")
    found = publication(session, report_id)
    if found is not None:
        return found
    reviewed = session.scalar(
        select(ReviewResult.id)
        .join(Target, Target.id == ReviewResult.target_id)
        .where(Target.report_id == report_id)
        .limit(1)
    )
    if reviewed is None:
        raise InputError("尚未进行年终评估，不能发布评估结果")
    by_id, by_name = actor_fields(actor)
    row = ScorecardPublication(report_id=report_id, by_id=by_id, by_name=by_name)
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor,
        "publish_scorecard",
        "report",
        report_id,
        {"published": False},
        {"published": True, "at": row.published_at},
    )
    return row


def unpublish_scorecard(session: Session, report_id: int, actor: Actor = None) -> None:
    """Withdraw a published scorecard: a draft again, hidden from the public."""
    found = publication(session, report_id)
    if found is None:
        return
    at = found.published_at
    session.delete(found)
    session.flush()
    record_audit(
        session,
        actor,
        "unpublish_scorecard",
        "report",
        report_id,
        {"published": True, "at": at},
        {"published": False},
    )
