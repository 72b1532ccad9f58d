"""Login form at /login, logout. Throttling and password checks are luoshi.accounts.login's."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts.login import LoginFailed, LoginThrottled, authenticate
from luoshi.web.csrf import csrf_token
from luoshi.web.security import get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _safe_next(raw: str | None) -> str:
    # Only local paths: "//evil.example" or "https://..." would turn the form into an open redirect.
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "username": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    db: Session = Depends(get_db),
) -> Response:
    address = request.client.host if request.client else ""
    error: str | None = None
    status = 200
    try:  # authenticate commits its attempt record itself, so a failure counts
        user = authenticate(db, username, password, address, settings=request.app.state.settings)
        uid, role = user.id, user.role
    except LoginThrottled as exc:
        error, status = f"登录失败次数过多，请在 {exc.retry_after} 秒后再试。", 429
    except LoginFailed:
        error, status = "用户名或密码错误。", 401
    if error:
        return render(request, "login.html", {"next": _safe_next(next), "username": username, "error": error},
                      status_code=status)
    # A fresh session (and CSRF token) on login: no fixation of a pre-login session.
    request.session.clear()
    request.session["uid"] = uid
    request.session["role"] = role
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/public", status_code=303)
