"""Login form at /login, logout. Throttling and password checks are luoshi.accounts.login's,
server-side sessions luoshi.accounts.sessions'."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import sessions
from luoshi.accounts.login import (
    LoginFailed,
    LoginThrottled,
    begin_login_released,
    check_password,
    finish_login,
)
from luoshi.store.models import User
from luoshi.web.client import client_address
from luoshi.web.csrf import csrf_token
from luoshi.web.security import SESSION_KEY, get_db
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
async def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    db: Session = Depends(get_db),
) -> Response:
    """Three steps (see luoshi.accounts.login): argon2 runs in a worker thread with no transaction
    open and no lock held, so wrong-password loops cost CPU in the pool, not others' waiting time."""
    address = client_address(request)
    settings = request.app.state.settings
    error: str | None = None
    status = 200
    try:
        check = await run_in_threadpool(begin_login_released, db, username, address, settings)
        outcome = await run_in_threadpool(check_password, check, password)
        user = await run_in_threadpool(finish_login, db, check, outcome)  # commits: a failure counts
        key = await run_in_threadpool(_start, db, user, address, request.headers.get("user-agent", ""))
    except LoginThrottled as exc:
        error, status = f"登录失败次数过多，请在 {exc.retry_after} 秒后再试。", 429
    except LoginFailed:
        error, status = "用户名或密码错误。", 401
    if error:
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "username": username, "error": error},
            status_code=status,
        )
    # A fresh cookie (and CSRF token) on login: no fixation of a pre-login session.
    request.session.clear()
    request.session[SESSION_KEY] = key
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


def _start(db: Session, user: User, address: str, user_agent: str) -> str:
    key = sessions.start_session(db, user, address, user_agent)
    db.commit()
    return key


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)) -> Response:
    """Ends every session of the user (a copied cookie stops working too), then this cookie."""
    user = getattr(request.state, "user", None)
    if user is not None:
        sessions.end_user_sessions(db, user.id, "logout")
    else:
        sessions.end_session(db, request.session.get(SESSION_KEY), "logout")
    request.session.clear()
    return RedirectResponse("/public", status_code=303)
