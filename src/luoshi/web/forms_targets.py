"""Forms that change a target: add progress (with evidence), 复核, 批示, edit, assign departments.

Thin: parse the form, check the rule (luoshi.accounts.policy), call luoshi.tracking, redirect.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError, NotFoundError
from luoshi.tracking import listing, services
from luoshi.tracking.current import is_superseded
from luoshi.tracking.services import get_target
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render
from luoshi.web.uploads import check_upload, resolve_stored, store_upload

__all__ = ["parse_period", "parse_value", "refresh_now", "router"]

router = APIRouter(include_in_schema=False)


def parse_period(raw: str | None) -> date:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError as exc:
        raise InputError(f"日期格式不正确：{raw!r}（应为 YYYY-MM-DD）") from exc


def parse_value(raw: str | None, field: str = "数值", unit: str | None = None) -> float | None:
    """A typed figure ("280万", "1361万元", "3,000") in ``unit``: the one parser,
    :func:`luoshi.tracking.figures.parse_figure`; a Chinese message naming ``field`` otherwise."""
    from luoshi.tracking.figures import parse_figure

    return parse_figure(raw, field, unit)


def _back(target_id: int) -> RedirectResponse:
    return RedirectResponse(f"/targets/{target_id}", status_code=303)


def _refused(
    request: Request,
    db: Session,
    target_id: int,
    name: str,
    exc: InputError,
    values: dict[str, object],
    **extra: object,
) -> Response:
    """The target page again, the refused form filled with what was typed and the reason (400)."""
    from luoshi.web.pages_targets import target_response

    db.rollback()  # nothing of the refused form is kept (a savepoint would not survive a full disk)
    form = {"name": name, "error": str(exc), "values": values, **extra}
    return target_response(request, db, get_target(db, target_id), form, status_code=400)


def refresh_now(request: Request, db: Session, *target_ids: int) -> None:
    """Kept for callers outside this package: the write services now mark what they change and
    the commit refreshes it (luoshi.tracking.touched), so routes need not call this."""
    from luoshi.tracking.touched import touch

    touch(db, *target_ids)


@router.post("/targets/{target_id}/updates")
def add_update_form(
    target_id: int,
    request: Request,
    period: str = Form(...),
    value: str = Form(""),
    narrative: str = Form(""),
    internal: str = Form(""),
    evidence: UploadFile | None = File(None),
    db: Session = Depends(get_db),
) -> Response:
    target = get_target(db, target_id)
    allow(request, policy.ADD_PROGRESS, target)
    checked = None
    if evidence is not None and evidence.filename:
        allow(request, policy.UPLOAD_EVIDENCE, target)
    try:
        if evidence is not None and evidence.filename:
            checked = check_upload(evidence, request.app.state.settings.upload_max_bytes)
        # the whole form is validated and the row flushed before the file is written
        services.add_update(
            db,
            target,
            period=parse_period(period),
            value=value,
            narrative=narrative.strip(),
            internal=bool(internal),
            evidence_path=checked.stored if checked else None,
            evidence_name=checked.display if checked else None,
            actor=request.state.user,
        )
    except InputError as exc:
        typed = {"period": period, "value": value, "narrative": narrative, "internal": bool(internal)}
        return _refused(request, db, target.id, "progress", exc, typed)
    if checked is not None:
        store_upload(checked, request.app.state.upload_dir, db)
    return _back(target.id)


@router.post("/updates/{update_id}/correct")
def correct_update_form(
    update_id: int,
    request: Request,
    value: str = Form(""),
    narrative: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """更正: a new version of a progress report pointing at the old one (the old one is kept)."""
    update = services.get_update(db, update_id)
    target = get_target(db, update.target_id)
    allow(request, policy.ADD_PROGRESS, target)
    changes: dict[str, object] = {"value": value.strip() or None}  # read by the one figure parser
    if narrative.strip():
        changes["narrative"] = narrative.strip()
    try:
        services.correct_update(db, update, actor=request.state.user, **changes)
    except InputError as exc:
        db.rollback()
        newer = is_superseded(db, update_id)
        # a superseded version has no 更正 form on the page: the reason is shown above the list
        return _refused(
            request,
            db,
            target.id,
            "correct",
            exc,
            {"value": value, "narrative": narrative},
            update_id=update_id,
            inline=newer is None,
        )
    return _back(target.id)


@router.post("/targets/{target_id}/milestones")
def add_milestone_form(
    target_id: int,
    request: Request,
    title: str = Form(...),
    due: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    target = get_target(db, target_id)
    allow(request, policy.EDIT_TARGET, target)
    services.add_milestone(
        db, target, title, parse_period(due) if due.strip() else None, actor=request.state.user
    )
    return _back(target.id)


@router.post("/milestones/{milestone_id}/done")
def milestone_done_form(
    milestone_id: int,
    request: Request,
    done: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Mark a milestone done on a day (empty: not done), by whoever may report on its target."""
    milestone = listing.get_milestone(db, milestone_id)
    target = get_target(db, milestone.target_id)
    allow(request, policy.ADD_PROGRESS, target)
    services.set_milestone_done(
        db, milestone, parse_period(done) if done.strip() else None, actor=request.state.user
    )
    return _back(target.id)


@router.post("/updates/{update_id}/check")
def check_update_form(
    update_id: int,
    request: Request,
    decision: str = Form(...),
    comment: str = Form(""),
    back: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    update = services.get_update(db, update_id)
    target = get_target(db, update.target_id)
    allow(request, policy.REVIEW_PROGRESS, target)
    if decision not in ("accepted", "returned"):
        raise InputError("复核结论只能是 通过 或 退回")
    # the department hears of a return at once: the commit tells it (luoshi.tracking.touched)
    services.check_update(db, update, decision, comment.strip(), actor=request.state.user)
    if back == "/inbox":  # one-click 复核 from the office's 待办
        return RedirectResponse("/inbox", status_code=303)
    return _back(target.id)


@router.post("/targets/{target_id}/comments")
def comment_form(
    target_id: int, request: Request, body: str = Form(""), db: Session = Depends(get_db)
) -> Response:
    target = get_target(db, target_id)
    allow(request, policy.COMMENT, target)
    try:
        if not body.strip():
            raise InputError("批示内容不能为空")
        services.add_comment(db, target, body.strip(), actor=request.state.user)
    except InputError as exc:
        return _refused(request, db, target.id, "comment", exc, {"body": body})
    return _back(target.id)


@router.get("/evidence/{update_id}")
def evidence_file(update_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    try:
        update = services.get_update(db, update_id)
    except NotFoundError:
        update = None
    if update is None or not update.evidence_path:
        raise NotFoundError("没有这个附件")
    allow(request, policy.VIEW_EVIDENCE, get_target(db, update.target_id))
    path, media = resolve_stored(request.app.state.upload_dir, update.evidence_path)
    # attachment + nosniff: an uploaded file is never rendered as a page of this site
    return FileResponse(
        path,
        media_type=media,
        filename=update.evidence_name or path.name,
        content_disposition_type="attachment",
    )


@router.get("/targets/{target_id}/edit")
def edit_page(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    target = get_target(db, target_id)
    allow(request, policy.EDIT_TARGET, target)
    return render(
        request,
        "target_edit.html",
        {
            "t": target,
            "departments": listing.departments(db),
            "areas": listing.areas_of(db, target.report_id),
        },
    )


EDITABLE = ("title", "indicator", "unit", "comparator", "direction", "kind", "cadence")


@router.post("/targets/{target_id}/edit")
def edit_form(
    target_id: int,
    request: Request,
    title: str = Form(...),
    indicator: str = Form(""),
    target_value: str = Form(""),
    baseline: str = Form(""),
    unit: str = Form(""),
    comparator: str = Form(">="),
    kind: str = Form("count"),
    deadline: str = Form(""),
    cadence: str = Form("monthly"),
    area: str = Form(""),
    public: str = Form(""),
    lead: str | None = Form(None),
    co: list[str] = Form([]),
    status: str | None = Form(None),
    note: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """One 保存 for every field of the edit page: fields, departments and a manual status, all or
    nothing; refused input shows the form again with what was typed and the reason."""
    target = get_target(db, target_id)
    allow(request, policy.EDIT_TARGET, target)
    typed = {
        "title": title,
        "indicator": indicator,
        "target_value": target_value,
        "baseline": baseline,
        "unit": unit,
        "comparator": comparator,
        "kind": kind,
        "deadline": deadline,
        "cadence": cadence,
        "area": area,
        "public": bool(public),
        "note": note,
    }
    if lead is not None:
        typed.update(lead=lead, co=co)
    if status is not None:
        typed["status"] = status
    user = request.state.user
    try:
        with db.begin_nested():  # all or nothing: a refused status note undoes the field changes too
            if not title.strip():
                raise InputError("工作任务不能为空")
            changes = {
                "title": title.strip(),
                "indicator": indicator.strip(),
                "unit": unit.strip(),
                "target_value": target_value.strip() or None,
                "baseline": baseline.strip() or None,
                "comparator": comparator,
                "kind": kind,
                "cadence": cadence,
                "deadline": parse_period(deadline) if deadline.strip() else None,
                "area_id": as_int(area),
                "public": bool(public),
            }
            services.edit_target(db, target, changes, actor=user)
            if lead is not None:
                allow(request, policy.ASSIGN_DEPARTMENTS, target)
                lead_id = as_int(lead)
                co_ids = [i for i in (as_int(c) for c in co) if i is not None and i != lead_id]
                services.assign_departments(db, target, lead_id, co_ids, actor=user)
            if status is not None and (
                (status or None) != target.status_override
                or (note.strip() or None) != target.status_override_note
            ):
                allow(request, policy.OVERRIDE_STATUS, target)
                services.override_status(db, target, status or None, note, actor=user)
    except InputError as exc:
        db.expire_all()  # show the stored values where nothing was typed
        return render(
            request,
            "target_edit.html",
            {
                "t": get_target(db, target_id),
                "departments": listing.departments(db),
                "areas": listing.areas_of(db, target.report_id),
                "v": typed,
                "error": str(exc),
            },
            status_code=400,
        )
    return _back(target.id)


@router.post("/targets/{target_id}/status")
def override_form(
    target_id: int,
    request: Request,
    status: str = Form(""),
    note: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """人工认定: set a status by hand (with a reason) or clear it (empty status)."""
    target = get_target(db, target_id)
    allow(request, policy.OVERRIDE_STATUS, target)
    services.override_status(db, target, status or None, note, actor=request.state.user)
    return _back(target.id)


@router.post("/targets/{target_id}/assign")
def assign_form(
    target_id: int,
    request: Request,
    lead: str = Form(""),
    co: list[str] = Form([]),
    db: Session = Depends(get_db),
) -> Response:
    target = get_target(db, target_id)
    allow(request, policy.ASSIGN_DEPARTMENTS, target)
    lead_id = as_int(lead)
    co_ids = [i for i in (as_int(c) for c in co) if i is not None and i != lead_id]
    services.assign_departments(db, target, lead_id, co_ids, actor=request.state.user)
    return _back(target.id)
