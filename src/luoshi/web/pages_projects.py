"""重点项目: key projects with planned vs completed investment, rolled up by category (luoshi.tracking)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError
from luoshi.tracking.listing import chosen_report
from luoshi.tracking.projects import get_project, project_rollup, projects_of
from luoshi.web.charts import bar_chart
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.status import today
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/projects")
def projects_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    report = chosen_report(db, as_int(request.query_params.get("report")))
    if report is None:
        return render(request, "projects.html", {"report": None})
    inv = project_rollup(db, request.app.state.settings, report.id)
    user = request.state.user
    may_report = {p.id for p in projects_of(db, report.id) if policy.can(user, policy.ADD_PROGRESS, p)}
    chart = bar_chart(
        [(c.name, c.rate or 0.0) for c in inv.categories if c.planned],
        title="各类项目投资完成率",
        max_value=100,
        colour="#8a5cb8",
    )
    return render(
        request,
        "projects.html",
        {
            "report": report,
            "inv": inv,
            "chart": chart,
            "may_report": may_report,
            "today": today(request.app.state.settings),
        },
    )


@router.post("/projects/{project_id}/progress")
def project_progress_form(
    project_id: int,
    request: Request,
    period: str = Form(...),
    completed: str = Form(...),
    stage: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Cumulative investment completed (亿元 in the form, stored in 元), by the lead department or the office."""
    from luoshi.tracking.projects import add_project_progress
    from luoshi.web.forms_targets import parse_period, parse_value

    project = get_project(db, project_id)
    allow(request, policy.ADD_PROGRESS, project)
    value = parse_value(completed, "累计完成投资", "亿元")  # "3.2亿", "5000万元" or 3.2 (亿元)
    if value is None:
        raise InputError("请填写累计完成投资（亿元）")
    add_project_progress(
        db, project, parse_period(period), value * 1e8, stage=stage.strip() or None, actor=request.state.user
    )
    return RedirectResponse(f"/projects?report={project.report_id}", status_code=303)
