"""Setting up without the command line: import a report, departments, one's own password.

The work is the services' (luoshi.tracking.importer, luoshi.tracking.departments,
luoshi.accounts.users); these routes read forms, call them and surface their errors.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError
from luoshi.tracking import listing
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PREVIEW_ROWS = 30


# -- departments ----------------------------------------------------------------------------------


@router.get("/admin/departments")
def departments_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_DEPARTMENTS)
    return _departments_response(request, db)


def _departments_response(request: Request, db: Session, form: dict[str, object] | None = None) -> Response:
    """The departments page; ``form`` shows a refused form again with what was typed and why (400)."""
    from luoshi.tracking.departments import department_usage

    if form is not None:
        db.rollback()  # nothing of the refused change is kept (all or nothing)
    return render(
        request,
        "admin_departments.html",
        {
            "departments": listing.departments(db),
            "usage": department_usage(db),
            "message": request.query_params.get("ok"),
            "form": form or {"name": None, "values": {}},
        },
        status_code=200 if form is None else 400,
    )


@router.post("/admin/departments")
def add_department(request: Request, name: str = Form(""), db: Session = Depends(get_db)) -> Response:
    from luoshi.tracking.departments import create_department

    allow(request, policy.MANAGE_DEPARTMENTS)
    created = 0
    try:
        # several at once, one per line, all or none
        for line in name.splitlines():  # (the 牵头单位 list of a fresh install)
            if line.strip():
                create_department(db, line, actor=request.state.user)
                created += 1
        if not created:
            raise InputError("单位名称不能为空")
    except InputError as exc:
        return _departments_response(
            request, db, {"name": "add", "error": str(exc), "values": {"name": name}}
        )
    return RedirectResponse(f"/admin/departments?ok=已新增 {created} 个单位", status_code=303)


@router.post("/admin/departments/{department_id}/rename")
def rename(
    department_id: int, request: Request, name: str = Form(""), db: Session = Depends(get_db)
) -> Response:
    from luoshi.tracking.departments import rename_department

    allow(request, policy.MANAGE_DEPARTMENTS)
    try:
        rename_department(db, department_id, name, actor=request.state.user)
    except InputError as exc:
        return _departments_response(
            request,
            db,
            {"name": "rename", "department_id": department_id, "error": str(exc), "values": {"name": name}},
        )
    return RedirectResponse("/admin/departments?ok=已改名", status_code=303)


@router.post("/admin/departments/{department_id}/merge")
def merge(
    department_id: int, request: Request, into: str = Form(""), db: Session = Depends(get_db)
) -> Response:
    """Merge this department INTO ``into`` (this one disappears; its targets, users … move)."""
    from luoshi.tracking.departments import merge_departments

    allow(request, policy.MANAGE_DEPARTMENTS)
    keep = as_int(into)
    if keep is None:
        raise InputError("请选择并入哪个单位")
    moved = merge_departments(db, keep, [department_id], actor=request.state.user)
    return RedirectResponse(
        f"/admin/departments?ok=已合并：牵头目标 {moved['lead']} 项、用户 {moved['users']} 个转入",
        status_code=303,
    )


# -- import a report ------------------------------------------------------------------------------


@router.get("/admin/import")
def import_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.IMPORT_REPORT)
    return render(request, "admin_import.html", {"reports": listing.reports(db), "result": None})


@router.post("/admin/import")
async def import_form(
    request: Request,
    report_file: UploadFile = File(...),
    jurisdiction: str = Form(""),
    year: str = Form(""),
    parent: str = Form(""),
    force: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Upload -> the import service (extract + store, one transaction) -> its preview.

    A report stating another year than the one given is not stored: a confirm step asks first."""
    from luoshi.sources import SUPPORTED_SUFFIXES
    from luoshi.sources.limits import InputLimits
    from luoshi.tracking.importer import YearMismatch, import_report, imported_targets

    allow(request, policy.IMPORT_REPORT)
    name = Path(report_file.filename or "").name
    if not name:
        raise InputError("请选择要导入的报告文件")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError(f"{name}: 不支持的文件类型（支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}）")
    if not jurisdiction.strip():
        raise InputError("请填写地区（如 张店区）")
    try:
        plan_year = int(year)
    except ValueError:
        raise InputError(f"年份须为数字（如 2024）：{year!r}") from None
    data = await report_file.read()
    if not data:
        raise InputError(f"{name}: 文件为空")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            result = import_report(
                db,
                path,
                jurisdiction.strip(),
                plan_year,
                parent=parent.strip() or None,
                actor=request.state.user,
                limits=InputLimits.from_settings(request.app.state.settings),
                force=bool(force),
            )
        except YearMismatch as exc:
            return render(
                request,
                "review/confirm_year.html",
                {
                    "message": str(exc),
                    "name": name,
                    "given": exc.given,
                    "action": "/admin/import",
                    "back": "/admin/import",
                    "button": "确认年份无误，仍然导入",
                    "hidden": {
                        "jurisdiction": jurisdiction.strip(),
                        "year": plan_year,
                        "parent": parent.strip(),
                    },
                },
                status_code=409,
            )
    rows = imported_targets(db, result.report.id, PREVIEW_ROWS)
    return render(
        request,
        "admin_import.html",
        {
            "reports": listing.reports(db),
            "result": result,
            "rows": rows,
            "preview_rows": PREVIEW_ROWS,
            "proposed": listing.count_proposed(db, result.report.id),
        },
    )
