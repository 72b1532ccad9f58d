"""概览: the dashboard of one report (the latest by default)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.glossary import STATUS_LABELS
from luoshi.tracking import listing
from luoshi.tracking.projects import project_rollup
from luoshi.tracking.queries import overview as tracking_overview
from luoshi.tracking.status import STATUS_CODES
from luoshi.web.charts import STATUS_COLOURS, bar_chart, stacked_bar_chart
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(request: Request, db: Session = Depends(get_db)) -> Response:
    if request.state.user is None:
        return RedirectResponse("/public", status_code=303)
    allow(request, policy.VIEW_INTERNAL)
    settings = request.app.state.settings
    report = listing.chosen_report(db, as_int(request.query_params.get("report")))
    if report is None:
        return render(request, "overview.html", {"report": None, "reports": []})
    ov = tracking_overview(db, settings, report.id)
    inv = project_rollup(db, settings, report.id)
    return render(
        request,
        "overview.html",
        {
            "report": report,
            "reports": listing.report_choices(db),
            "ov": ov,
            "inv": inv,
            "keys": STATUS_CODES,
            "area_chart": stacked_bar_chart(
                [(g.name, dict(g.counts)) for g in ov.by_area],
                title="各领域目标状态",
                keys=STATUS_CODES,
                colours=STATUS_COLOURS,
                labels=STATUS_LABELS,
            ),
            "area_done": bar_chart(
                [(g.name, g.fulfilment) for g in ov.by_area], title="各领域落实率", max_value=100
            ),
            "dept_chart": stacked_bar_chart(
                [(g.name, dict(g.counts)) for g in ov.by_department[:15]],
                title="各牵头单位目标状态",
                keys=STATUS_CODES,
                colours=STATUS_COLOURS,
                labels=STATUS_LABELS,
            ),
            "inv_chart": bar_chart(
                [(c.name, c.rate or 0.0) for c in inv.categories if c.planned],
                title="各类重点项目投资完成率",
                max_value=100,
                colour="#8a5cb8",
            ),
            "pending": listing.count_proposed(db, report.id),
        },
    )
