"""管理 · 登录限制 (admins only): see which (account, address) pairs and addresses are slowed
down after failed logins, and lift one. The rule itself is luoshi.accounts.login's."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.accounts.login import lift_throttle, list_throttles
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/admin/throttles")
def throttles_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_USERS)
    settings = request.app.state.settings
    return render(
        request,
        "admin_throttles.html",
        {
            "throttles": list_throttles(db, settings=settings),
            "settings": settings,
            "lifted": request.query_params.get("lifted"),
        },
    )


@router.post("/admin/throttles/lift")
def lift(
    request: Request, username: str = Form(""), address: str = Form(""), db: Session = Depends(get_db)
) -> Response:
    allow(request, policy.MANAGE_USERS)
    cleared = lift_throttle(db, username.strip()[:100], address.strip()[:100], actor=request.state.user)
    return RedirectResponse(f"/admin/throttles?lifted={cleared}", status_code=303)
