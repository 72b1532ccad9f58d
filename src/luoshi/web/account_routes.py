"""我的账号: one's own API tokens (create: shown once; revoke) and login sessions (see, end).
Tokens are luoshi.accounts.tokens', sessions luoshi.accounts.sessions'."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy, sessions, tokens, users
from luoshi.accounts.login import (
    LoginFailed,
    LoginThrottled,
    begin_login_released,
    check_password,
    finish_login,
)
from luoshi.accounts.passwords import check_policy
from luoshi.errors import InputError, PermissionDenied
from luoshi.web.client import client_address
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: Session, new: str | None) -> Response:
    user = request.state.user
    return render(
        request,
        "account.html",
        {
            "tokens": tokens.list_tokens(db, user),
            "new": new,
            "sessions": sessions.list_sessions(db, user),
            "current_session": getattr(request.state, "session_id", None),
        },
    )


@router.get("/account")
def account_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_OWN_TOKENS)
    return _page(request, db, None)


@router.post("/account/sessions/{session_id}/end")
def end_session(session_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    """End one of one's own sessions (a lost phone, a shared computer)."""
    allow(request, policy.MANAGE_OWN_SESSIONS)
    sessions.end_own_session(db, request.state.user, session_id)
    if session_id == getattr(request.state, "session_id", None):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password")
async def change_password(
    request: Request,
    current_password: str = Form(""),
    new_password: str = Form(""),
    new_password2: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Change one's own password: the current one is checked like a login (throttled, argon2 in a
    worker thread); on success every session ends, this one too, and the user logs in again."""
    allow(request, policy.CHANGE_OWN_PASSWORD)
    if new_password != new_password2:
        raise InputError("两次输入的新密码不一致")
    check_policy(new_password)
    user = request.state.user
    address = client_address(request)
    try:
        check = await run_in_threadpool(
            begin_login_released, db, user.username, address, request.app.state.settings
        )
        outcome = await run_in_threadpool(check_password, check, current_password)
        await run_in_threadpool(finish_login, db, check, outcome)
    except LoginThrottled as exc:
        raise InputError(f"密码错误次数过多，请在 {exc.retry_after} 秒后再试") from exc
    except LoginFailed as exc:
        raise InputError("当前密码不正确") from exc
    await run_in_threadpool(_set, db, user.id, new_password)
    request.session.clear()
    return RedirectResponse("/login?next=/account", status_code=303)


def _set(db: Session, user_id: int, password: str) -> None:
    user = users.user_by_id(db, user_id)
    users.set_password(db, user, password, actor=user)


@router.post("/account/sessions/end-others")
def end_other_sessions(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_OWN_SESSIONS)
    sessions.end_user_sessions(
        db, request.state.user.id, "ended_by_user", except_id=getattr(request.state, "session_id", None)
    )
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens")
def create_token(request: Request, name: str = Form(""), db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_OWN_TOKENS)
    plain, _row = tokens.create_token(db, request.state.user, name, actor=request.state.user)
    # shown once, on this response only; the database keeps its hash
    response = _page(request, db, plain)
    response.headers["cache-control"] = "no-store"
    return response


@router.post("/account/tokens/{token_id}/revoke")
def revoke(token_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_OWN_TOKENS)
    row = tokens.get_token(db, token_id)
    user = request.state.user
    if row.user_id != user.id and not policy.can(user, policy.MANAGE_USERS):
        raise PermissionDenied("只能撤销自己的令牌")
    tokens.revoke_token(db, row.id, actor=user)
    return RedirectResponse("/account", status_code=303)
