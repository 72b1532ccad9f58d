"""管理 (admins only): users (luoshi.accounts.users) and the audit trail (browse, CSV export)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy.orm import Session

from luoshi.accounts import policy, users
from luoshi.errors import InputError, NotFoundError
from luoshi.store import audit_export
from luoshi.tracking import listing
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
AUDIT_PAGE = 100


@router.get("/admin/users")
def users_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_USERS)
    return _users_response(request, db)


def _users_response(request: Request, db: Session, form: dict[str, object] | None = None) -> Response:
    """The users page; ``form`` shows a refused form again with what was typed and why (400)."""
    if form is not None:
        db.rollback()  # nothing of the refused change is kept (all or nothing)
    return render(
        request,
        "admin_users.html",
        {
            "users": users.list_users(db),
            "departments": listing.departments(db),
            "message": request.query_params.get("ok"),
            "form": form or {"name": None, "values": {}},
        },
        status_code=200 if form is None else 400,
    )


@router.post("/admin/users")
def add_user(
    request: Request,
    username: str = Form(""),
    role: str = Form(""),
    department: str = Form(""),
    password: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    allow(request, policy.MANAGE_USERS)
    try:
        users.create_user(
            db,
            username,
            role,
            department=department or None,
            password=password or None,
            actor=request.state.user,
        )
    except (InputError, NotFoundError) as exc:  # the password is not sent back into the page
        return _users_response(
            request,
            db,
            {
                "name": "add",
                "error": str(exc),
                "values": {"username": username, "role": role, "department": department},
            },
        )
    return RedirectResponse("/admin/users?ok=1", status_code=303)


@router.post("/admin/users/{user_id}")
def change_user(
    user_id: int,
    request: Request,
    role: str = Form(""),
    department: str = Form(""),
    password: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    allow(request, policy.MANAGE_USERS)
    target = users.user_by_id(db, user_id)
    dept_id = as_int(department)
    try:
        # role, department and password together, or none of them
        users.update_user(db, target, request.state.user, role=role, department=dept_id)
        if password:  # the password policy is users.set_password's (the CLI's too)
            users.set_password(db, target, password, actor=request.state.user)
    except (InputError, NotFoundError) as exc:
        return _users_response(
            request,
            db,
            {
                "name": "change",
                "user_id": user_id,
                "error": str(exc),
                "values": {"role": role, "department": dept_id},
            },
        )
    return RedirectResponse("/admin/users?ok=1", status_code=303)


@router.post("/admin/users/{user_id}/deactivate")
def deactivate_user(user_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_USERS)
    target = users.user_by_id(db, user_id)
    if target.id == request.state.user.id:
        raise InputError("不能停用自己的账号")
    users.deactivate(db, target, actor=request.state.user)
    return RedirectResponse("/admin/users?ok=1", status_code=303)


def _audit_filters(request: Request) -> dict[str, object]:
    p = request.query_params
    out: dict[str, object] = {}
    for key in ("actor", "action", "object_type", "object_id"):
        if p.get(key):
            out[key] = p[key][:100]
    for key in ("since", "until"):
        if p.get(key):
            try:
                out[key] = date.fromisoformat(p[key])
            except ValueError as exc:
                raise InputError(f"日期格式不正确：{p[key]!r}") from exc
    return out


@router.get("/admin/audit")
def audit_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_AUDIT)
    filters = _audit_filters(request)
    page = max(1, as_int(request.query_params.get("page")) or 1)
    rows = list(audit_export.iter_audit(db, limit=page * AUDIT_PAGE + 1, **filters))  # type: ignore[arg-type]
    more = len(rows) > page * AUDIT_PAGE
    rows = rows[(page - 1) * AUDIT_PAGE : page * AUDIT_PAGE]
    from luoshi.web.audit_text import describe_rows

    return render(
        request,
        "admin_audit.html",
        {
            "rows": list(zip(rows, describe_rows(db, rows), strict=True)),
            "page": page,
            "more": more,
            "f": {k: str(v) for k, v in filters.items()},
        },
    )


@router.get("/admin/audit.csv")
def audit_csv(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_AUDIT)
    filters = _audit_filters(request)
    lines = list(audit_export.audit_csv_lines(db, **filters))  # read inside the request's session
    lines[0] = "\ufeff" + lines[0]  # a UTF-8 BOM: Excel opens the Chinese intact
    return StreamingResponse(
        iter(lines),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": "attachment; filename=luoshi-audit.csv"},
    )
