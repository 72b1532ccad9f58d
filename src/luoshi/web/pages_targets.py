"""目标 pages: the filterable target table and one target's page."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.accounts.users import usernames
from luoshi.store.models import Target, User
from luoshi.tracking import listing
from luoshi.tracking.queries import (
    TargetDetail,
    as_of,
    current_report,
    target_detail,
    target_lines,
)
from luoshi.tracking.services import get_target
from luoshi.tracking.status import STATUS_CODES
from luoshi.web.charts import line_chart
from luoshi.web.highlight import Mark, highlight
from luoshi.web.line_sort import sorted_lines
from luoshi.web.paging import page_of
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.status import today
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/targets")
def targets_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    p = request.query_params
    report_id = as_int(p.get("report"))
    if report_id is None:
        latest = current_report(db)
        report_id = latest.id if latest else None
    area_id, dept_id = as_int(p.get("area")), as_int(p.get("department"))
    status = p.get("status") if p.get("status") in STATUS_CODES else None
    q = (p.get("q") or "").strip()[:200]
    lines = target_lines(
        db,
        request.app.state.settings,
        report_id,
        area=area_id,
        department=dept_id,
        status=status,
        q=q or None,
    )
    ordered, order = sorted_lines(lines, p)
    shown = page_of(p.get("page"), len(ordered))
    rows = shown.rows(ordered)
    return render(
        request,
        "targets.html",
        {
            "rows": rows,
            "co": listing.co_department_names(db, [x.row.id for x in rows]),
            **shown.context(),
            "report_id": report_id,
            "area_id": area_id,
            "department_id": dept_id,
            "status": status or "",
            "q": q,
            "reports": listing.report_choices(db),
            "areas": listing.areas_of(db, report_id),
            "departments": listing.departments(db),
            "all_ids": [x.row.id for x in lines],  # what "筛选出的全部" applies a bulk action to
            **order,
            "as_of": as_of(request.app.state.settings),
        },
    )


def history_chart(d: TargetDetail) -> Markup:
    t = d.view.target
    year = t.report.year
    return line_chart(
        d.history,
        title=f"{t.title} 进展",
        start=date(year, 1, 1),
        end=t.deadline or date(year, 12, 31),
        target=t.target_value,
        pace=d.pace,
        unit=t.unit or "",
    )


@router.get("/targets/{target_id}")
def target_page(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    return target_response(request, db, get_target(db, target_id))


def target_response(
    request: Request, db: Session, target: Target, form: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """The target page; ``form`` (``name``, ``error``, ``values``, for 更正 ``update_id``) shows a
    refused form again with what was typed and the reason (the forms in luoshi.web.forms_targets)."""
    allow(request, policy.VIEW_TARGET, target)
    user = request.state.user
    internal = policy.can(user, policy.VIEW_INTERNAL)
    settings = request.app.state.settings
    d = target_detail(db, settings, target)
    updates = d.updates
    if not internal:  # public page: accepted, current, non-internal progress only; no names, no files
        updates = [
            u
            for u in updates
            if u.state == "accepted" and u.superseded_by is None and not u.update.narrative_internal
        ]
    authors = {}
    if internal and d.comments:
        ids = {c.user_id for c in d.comments if c.user_id}
        authors = usernames(db, ids)
    sentence = None
    if d.sentence:
        marks = [Mark(d.figure[0], d.figure[1])] if d.figure else []
        sentence = highlight(d.sentence, marks)
    return render(
        request,
        "target.html",
        {
            "t": target,
            "report": target.report,
            "r": d.view.status,
            "updates": updates,
            "internal": internal,
            "comments": d.comments if internal else [],
            "authors": authors,
            "milestones": d.milestones,
            "chart": history_chart(d),
            "sentence": sentence,
            "can_report": policy.can(user, policy.ADD_PROGRESS, target),
            "can_upload": policy.can(user, policy.UPLOAD_EVIDENCE, target),
            "can_comment": policy.can(user, policy.COMMENT, target),
            "can_check": policy.can(user, policy.REVIEW_PROGRESS, target),
            "can_edit": policy.can(user, policy.EDIT_TARGET, target),
            "today": today(settings),
            "following": internal and _following(db, user, target.id),
            "target_orders": _orders(db, target.id) if internal else [],
            "form": form or {"name": None, "values": {}},
        },
        status_code=status_code,
    )


def _orders(db: Session, target_id: int) -> list[object]:
    from luoshi.supervision.orders import orders_of_target

    return list(orders_of_target(db, target_id))


def _following(db: Session, user: User, target_id: int) -> bool:
    from luoshi.notify.follows import is_following

    return is_following(db, user, target_id)
