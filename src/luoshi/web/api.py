"""JSON API (OpenAPI docs at /docs). Public targets need no login; writes need a session with a
CSRF token or ``Authorization: Bearer TOKEN`` of a user allowed to report on the target."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError, NotFoundError
from luoshi.store.faults import StorageUnavailable, classify
from luoshi.store.health import read_check
from luoshi.tracking import listing
from luoshi.tracking.projects import project_rollup
from luoshi.tracking.queries import DEFAULT_PAGE, MAX_PAGE, InvalidCursor, page_targets, target_detail
from luoshi.tracking.services import get_target
from luoshi.tracking.status import STATUS_CODES
from luoshi.web.security import allow, get_db
from luoshi.web.serialize import (
    BatchCreated,
    Department,
    Error,
    Health,
    HealthError,
    InternalTargetDetail,
    InternalUpdate,
    ProjectRollup,
    PublicTarget,
    PublicTargetDetail,
    PublicUpdate,
    ReportOut,
    TargetPage,
    report_model,
    target_model,
    update_model,
)

__all__ = ["router"]

# Every error is ``{"detail": "<中文说明>"}`` (luoshi.web.security), validation errors included.
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error, "description": what}
    for code, what in (
        (400, "输入有误"),
        (401, "请先登录"),
        (403, "无权访问"),
        (404, "未找到"),
        (422, "请求有误"),
        (503, "数据库暂时无法处理"),
    )
}
router = APIRouter(tags=["API"], responses=_ERRORS)


class NewUpdate(BaseModel):
    period: date = Field(description="截至日期 YYYY-MM-DD")
    value: float | str | None = Field(
        None, description='本期完成值，按目标的单位；也可写成 "280万"、"1361万元"（按目标单位换算）'
    )
    narrative: str = Field("", max_length=10_000)
    internal: bool = Field(False, description="narrative visible to internal users only")


@router.get(
    "/healthz",
    summary="health check for monitoring: reads the database; 503 when it cannot",
    response_model=Health,
    responses={503: {"model": HealthError, "description": "数据库无法读取"}},
)
def healthz(db: Session = Depends(get_db)) -> Health | Response:
    try:  # a real read of a table (``select 1`` would not even open the file)
        read_check(db)
    except Exception as exc:
        fault = classify(exc) or StorageUnavailable(f"数据库无法读取：{str(exc).splitlines()[0]}")
        return JSONResponse(
            {"status": "error", "detail": str(fault)}, status_code=503, headers={"Retry-After": "5"}
        )
    return Health(status="ok")


def _internal(request: Request) -> bool:
    return policy.can(request.state.user, policy.VIEW_INTERNAL)


@router.get("/api/reports", summary="reports (anonymous: those with public targets)")
def api_reports(request: Request, db: Session = Depends(get_db)) -> list[ReportOut]:
    allow(request, policy.VIEW_PUBLIC)
    return [report_model(r) for r in listing.reports(db, public_only=not _internal(request))]


@router.get(
    "/api/targets", summary="targets with their computed status (filters: area, department, status, q)"
)
def api_targets(
    request: Request,
    report: int | None = Query(None, description="report id (default: every report)"),
    area: str | None = Query(None, description="area id or heading"),
    department: str | None = Query(None, description="department id or name (lead or co-department)"),
    status: str | None = Query(None, description="one of " + ", ".join(STATUS_CODES)),
    q: str = Query("", max_length=200, description="text search in title and indicator"),
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"targets per page (at most {MAX_PAGE})"),
    cursor: str | None = Query(None, max_length=200, description="next_cursor of the previous page"),
    db: Session = Depends(get_db),
) -> TargetPage:
    """One page of targets: ``{"items": [...], "next_cursor": "…" | null}`` (null on the last page)."""
    allow(request, policy.VIEW_PUBLIC)
    internal = _internal(request)
    try:
        page = page_targets(
            db,
            request.app.state.settings,
            limit=limit,
            cursor=cursor,
            report_id=report,
            area=area,
            department=department,
            status=status,
            q=q.strip() or None,
            public_only=not internal,
        )
    except InvalidCursor as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    items = [target_model(v.to_dict(public=not internal), public=not internal) for v in page.items]
    return TargetPage(items=items, next_cursor=page.next_cursor)


@router.get(
    "/api/targets/{target_id}",
    summary="one target with its status and source sentence",
    response_model=InternalTargetDetail | PublicTargetDetail,
)
def api_target(target_id: int, request: Request, db: Session = Depends(get_db)) -> PublicTarget:
    target = get_target(db, target_id)
    allow(request, policy.VIEW_TARGET, target)
    d = target_detail(db, request.app.state.settings, target)
    public = not _internal(request)
    out = d.view.to_dict(public=public)
    out["source_sentence"] = d.sentence or None
    return target_model(out, public=public)


@router.get(
    "/api/targets/{target_id}/updates",
    summary="progress updates (public: accepted ones only)",
    response_model=list[InternalUpdate | PublicUpdate],
    response_model_exclude_unset=True,
)
def api_updates(target_id: int, request: Request, db: Session = Depends(get_db)) -> list[PublicUpdate]:
    target = get_target(db, target_id)
    allow(request, policy.VIEW_TARGET, target)
    internal = _internal(request)
    # the public sees the current readings only: accepted, not superseded
    rows = listing.progress_updates(db, target.id, current_only=not internal)
    return [update_model(u, internal=internal) for u in rows]


@router.post(
    "/api/targets/{target_id}/updates",
    status_code=201,
    summary="add a progress update (Bearer token, or session + X-CSRF-Token)",
)
def api_add_update(
    target_id: int, body: NewUpdate, request: Request, db: Session = Depends(get_db)
) -> InternalUpdate:
    from luoshi.tracking import services

    target = get_target(db, target_id)
    allow(request, policy.ADD_PROGRESS, target)
    if body.narrative and "\x00" in body.narrative:
        raise InputError("narrative contains a NUL character")
    update = services.add_update(
        db,
        target,
        period=body.period,
        value=body.value,
        narrative=body.narrative.strip(),
        internal=body.internal,
        evidence_path=None,
        evidence_name=None,
        actor=request.state.user,
    )
    made = update_model(update, internal=True, state="submitted")
    assert isinstance(made, InternalUpdate)
    return made


class NewUpdateFor(NewUpdate):
    target_id: int


MAX_BATCH = 1000


@router.post(
    "/api/updates",
    status_code=201,
    summary="add many progress updates at once (all or none; at most 1000 per request)",
)
def api_add_updates(
    body: list[NewUpdateFor], request: Request, db: Session = Depends(get_db)
) -> BatchCreated:
    """For scripts and sheet-like uploads: one transaction, every target checked against the rule."""
    from luoshi.tracking import services

    if not body:
        raise InputError("no updates given")
    if len(body) > MAX_BATCH:
        raise InputError(f"at most {MAX_BATCH} updates per request ({len(body)} given)")
    targets = {t.id: t for t in listing.get_targets(db, {u.target_id for u in body})}
    user = request.state.user
    for item in body:
        target = targets.get(item.target_id)
        if target is None:
            raise NotFoundError(f"没有编号为 {item.target_id} 的目标")
        allow(request, policy.ADD_PROGRESS, target)
    made = services.add_updates(
        db,
        [
            services.NewProgress(targets[u.target_id], u.period, u.value, u.narrative.strip(), u.internal)
            for u in body
        ],
        actor=user,
    )
    return BatchCreated(created=len(made), ids=[u.id for u in made])


@router.get("/api/departments", summary="departments")
def api_departments(request: Request, db: Session = Depends(get_db)) -> list[Department]:
    allow(request, policy.VIEW_PUBLIC)
    return [Department(id=d.id, name=d.name, short_name=d.short_name) for d in listing.departments(db)]


@router.get(
    "/api/projects",
    summary="key projects: planned vs completed investment (元) per project, per category, in total",
)
def api_projects(request: Request, report: int | None = None, db: Session = Depends(get_db)) -> ProjectRollup:
    allow(request, policy.VIEW_INTERNAL)
    rollup = project_rollup(db, request.app.state.settings, report)
    return ProjectRollup.model_validate(rollup.to_dict())
