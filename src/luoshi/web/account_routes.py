"""我的账号: one's own API tokens (create: shown once; revoke) and login sessions (see, end).
Tokens are luoshi.accounts.tokens', sessions luoshi.accounts.sessions'."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy, sessions, tokens
from luoshi.errors import NotFoundError, PermissionDenied
from luoshi.store.models import ApiToken
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(request: Request, db: Session, new: str | None) -> Response:
    user = request.state.user
    return render(request, "account.html", {
        "tokens": tokens.list_tokens(db, user), "new": new,
        "sessions": sessions.list_sessions(db, user), "current_session": getattr(request.state, "session_id", None),
    })


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


@router.post("/account/sessions/end-others")
def end_other_sessions(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_OWN_SESSIONS)
    sessions.end_user_sessions(db, request.state.user.id, "ended_by_user",
                               except_id=getattr(request.state, "session_id", None))
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
    row = db.get(ApiToken, token_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {token_id} 的令牌")
    user = request.state.user
    if row.user_id != user.id and not policy.can(user, policy.MANAGE_USERS):
        raise PermissionDenied("只能撤销自己的令牌")
    tokens.revoke_token(db, row.id, actor=user)
    return RedirectResponse("/account", status_code=303)
