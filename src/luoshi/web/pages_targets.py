"""目标 pages: the filterable target table and one target's page."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.store.models import Comment, ProgressUpdate, Report, User
from luoshi.web import queries
from luoshi.web.charts import line_chart
from luoshi.web.highlight import sentence_with_figure
from luoshi.web.security import allow, get_db
from luoshi.web.status import statuses, today
from luoshi.web.templating import render

__all__ = ["PAGE_SIZE", "router", "target_filter"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def target_filter(request: Request, db: Session, public_only: bool) -> tuple[queries.TargetFilter, str | None]:
    """The filter from the query string (bad values are ignored, never passed on to SQL)."""
    p = request.query_params
    report_id = queries.as_int(p.get("report"))
    if report_id is None:
        latest = queries.latest_report(db)
        report_id = latest.id if latest else None
    status = p.get("status") or None
    return queries.TargetFilter(
        report_id=report_id,
        area_id=queries.as_int(p.get("area")),
        department_id=queries.as_int(p.get("department")),
        q=(p.get("q") or "")[:200],
        public_only=public_only,
    ), status


@router.get("/targets")
def targets_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    settings = request.app.state.settings
    f, status = target_filter(request, db, public_only=False)
    rows = queries.select_targets(db, f)
    results = statuses(db, settings, rows)
    if status:
        rows = [t for t in rows if results[t.id].code == status]
    page = max(1, queries.as_int(request.query_params.get("page")) or 1)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render(request, "targets.html", {
        "rows": shown, "results": results, "total": len(rows), "page": page, "pages": pages,
        "f": f, "status": status or "", "reports": queries.list_reports(db),
        "areas": queries.areas_of(db, f.report_id), "departments": queries.departments(db),
    })


def history_chart(target, report: Report, updates: list[ProgressUpdate], accepted: set[int]):  # noqa: ANN001, ANN201
    points = sorted((u.period, u.reported_value) for u in updates
                    if u.id in accepted and u.reported_value is not None)
    start = date(report.year, 1, 1)
    end = target.deadline or date(report.year, 12, 31)
    pace = target.kind in ("count", "level") and target.comparator != "<="
    return line_chart(points, title=f"{target.title} 进展", start=start, end=end, target=target.target_value,
                      baseline=target.baseline or 0.0, unit=target.unit or "", pace=pace)


@router.get("/targets/{target_id}")
def target_page(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    target = queries.get_target(db, target_id)
    allow(request, policy.VIEW_TARGET, target)
    user = request.state.user
    internal = policy.can(user, policy.VIEW_INTERNAL)
    settings = request.app.state.settings
    report = target.report
    result = statuses(db, settings, [target])[target.id]
    updates = list(db.scalars(select(ProgressUpdate).where(ProgressUpdate.target_id == target.id)
                              .order_by(ProgressUpdate.period.desc(), ProgressUpdate.id.desc())))
    superseded = {u.supersedes_id for u in updates if u.supersedes_id}
    state = {u.id: (u.checks[-1].decision if u.checks else "submitted") for u in updates}
    accepted = {u.id for u in updates if state[u.id] == "accepted" and u.id not in superseded}
    if not internal:  # public page: accepted, current, non-internal progress only; no names, no files
        updates = [u for u in updates if u.id in accepted and not u.narrative_internal]
    comments = []
    if internal:
        comments = list(db.execute(
            select(Comment, User.username).outerjoin(User, User.id == Comment.user_id)
            .where(Comment.target_id == target.id).order_by(Comment.id.desc())))
    return render(request, "target.html", {
        "t": target, "report": report, "r": result, "updates": updates, "state": state,
        "superseded": superseded, "internal": internal, "comments": comments,
        "chart": history_chart(target, report, updates, accepted),
        "sentence": sentence_with_figure(report.text, (target.sentence_start, target.sentence_end),
                                         (target.span_start, target.span_end)),
        "can_report": policy.can(user, policy.ADD_PROGRESS, target),
        "can_upload": policy.can(user, policy.UPLOAD_EVIDENCE, target),
        "can_comment": policy.can(user, policy.COMMENT, target),
        "can_check": policy.can(user, policy.REVIEW_PROGRESS, target),
        "can_edit": policy.can(user, policy.EDIT_TARGET, target),
        "today": today(settings),
    })
