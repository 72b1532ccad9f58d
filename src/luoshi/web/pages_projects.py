"""重点项目: key projects with planned vs completed investment, rolled up by category (luoshi.tracking)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.tracking.projects import project_rollup
from luoshi.web import queries
from luoshi.web.charts import bar_chart
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/projects")
def projects_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    report_id = queries.as_int(request.query_params.get("report"))
    report = queries.get_report(db, report_id) if report_id else queries.latest_report(db)
    if report is None:
        return render(request, "projects.html", {"report": None})
    inv = project_rollup(db, request.app.state.settings, report.id)
    chart = bar_chart([(c.name, c.rate or 0.0) for c in inv.categories if c.planned], title="各类项目投资完成率",
                      max_value=100, colour="#8a5cb8")
    return render(request, "projects.html", {"report": report, "inv": inv, "chart": chart})
