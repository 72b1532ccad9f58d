"""待办 at ``/inbox``: the office's work queue, or a department's (本单位待办) — luoshi.notify.inbox."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.notify import inbox
from luoshi.notify.events import OFFICE_ROLE, today_of
from luoshi.tracking.listing import get_targets
from luoshi.tracking.services import get_target
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/inbox")
def inbox_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INBOX)
    user = request.state.user
    settings = request.app.state.settings
    if user.role in (OFFICE_ROLE, "leader"):  # a leader reads the office's 待办 (acts by 批示 only)
        box = inbox.office_inbox(db, settings)
        ids = {u.target_id for u in box.awaiting}
        targets = {t.id: t for t in get_targets(db, ids)} if ids else {}
        return render(request, "inbox.html", {"office": box, "targets": targets, "day": box.day})
    dept = inbox.department_inbox(db, settings, user.department_id)
    return render(request, "inbox_department.html", {"box": dept, "day": dept.day})


@router.post("/inbox/urge/{target_id}")
def urge_form(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    """One-click 催办 from the office's 待办: the lead department is told at once."""
    from fastapi.responses import RedirectResponse

    allow(request, policy.BULK_CHANGE)  # office only, as every change made from 待办
    target = get_target(db, target_id)
    allow(request, policy.REVIEW_PROGRESS, target)
    sent = inbox.urge(db, target, today_of(request.app.state.settings), actor=request.state.user)
    return RedirectResponse(f"/inbox?urged={target.id if sent else 0}#overdue", status_code=303)
