"""通知: the acting user's in-app notices (luoshi.notify.notices) and follow/unfollow of targets."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.notify import follows, notices
from luoshi.tracking.services import get_target
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/notices")
def notices_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_NOTICES)
    user = request.state.user
    from luoshi.notify.inbox import digest

    rows = notices.notices_for(db, user, limit=500)
    # one digest per cause per day, the list behind it (42 逾期未报 are one line, not 42)
    return render(
        request,
        "notices.html",
        {"digests": digest(rows), "kinds": notices.KINDS, "unread": notices.unread_count(db, user)},
    )


@router.post("/notices/read")
def mark_all_read(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_NOTICES)
    notices.mark_read(db, request.state.user)
    return RedirectResponse("/notices", status_code=303)


@router.post("/targets/{target_id}/follow")
def follow_target(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    target = get_target(db, target_id)
    allow(request, policy.FOLLOW, target)
    if follows.is_following(db, request.state.user, target.id):
        follows.unfollow(db, request.state.user, target.id)
    else:
        follows.follow(db, request.state.user, target.id)
    return RedirectResponse(f"/targets/{target.id}", status_code=303)
