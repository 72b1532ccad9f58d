"""Excel 任务分解表: download the sheet, upload a filled-in one (errors listed per row).

Reading and applying the sheet is luoshi.tracking.sheet's (all rows valid or nothing applied).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError
from luoshi.tracking import listing
from luoshi.tracking.status import STATUS_CODES
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render
from luoshi.web.uploads import clean_name

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/sheet.xlsx")
def download_sheet(request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.tracking.sheet import export_sheet

    allow(request, policy.EXPORT_DATA)
    report = listing.chosen_report(db, as_int(request.query_params.get("report")))
    department = as_int(request.query_params.get("department"))
    p = request.query_params  # the targets list's filters: the export is what the screen shows
    status = p.get("status") if p.get("status") in STATUS_CODES else None
    buf = io.BytesIO()
    export_sheet(
        db,
        request.app.state.settings,
        buf,
        report.id if report else None,
        department=department,
        area=as_int(p.get("area")),
        status=status,
        q=(p.get("q") or "").strip()[:200] or None,
    )
    name = f"任务分解表-{report.jurisdiction.name}-{report.year}.xlsx" if report else "任务分解表.xlsx"
    return Response(
        buf.getvalue(),
        media_type=XLSX,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.get("/sheet")
def sheet_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.IMPORT_REPORT)
    return render(request, "sheet.html", {"reports": listing.reports(db), "problems": [], "result": None})


@router.post("/sheet")
def upload_sheet(
    request: Request, sheet: UploadFile | None = File(None), db: Session = Depends(get_db)
) -> Response:
    from luoshi.sources.limits import InputLimits
    from luoshi.tracking.sheet import SheetError, import_sheet

    allow(request, policy.IMPORT_REPORT)
    if sheet is None or not sheet.filename:
        raise InputError("请选择要导入的任务分解表（.xlsx）")
    settings = request.app.state.settings
    name = clean_name(sheet.filename)
    if not name.lower().endswith(".xlsx"):
        raise InputError(f"{name}：请上传 .xlsx 格式的任务分解表")
    data = sheet.file.read(settings.upload_max_bytes + 1)
    if len(data) > settings.upload_max_bytes:
        raise InputError(f"{name} 超过大小上限 {settings.upload_max_bytes // 1024} KB")
    ctx: dict[str, Any] = {"reports": listing.reports(db), "problems": [], "result": None, "name": name}
    try:
        with db.begin_nested():  # all rows or none: a bad sheet leaves nothing behind
            ctx["result"] = import_sheet(
                db, data, actor=request.state.user, filename=name, limits=InputLimits.from_settings(settings)
            )
    except SheetError as exc:
        ctx["problems"] = exc.problems
        return render(request, "sheet.html", ctx, status_code=400)
    return render(request, "sheet.html", ctx)
