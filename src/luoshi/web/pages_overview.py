"""概览: the dashboard of one report (the latest by default)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.glossary import STATUS_LABELS
from luoshi.web import queries, rollups
from luoshi.web.charts import STATUS_COLOURS, bar_chart, stacked_bar_chart
from luoshi.web.security import allow, get_db
from luoshi.web.status import statuses, today
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
KEYS = ("done", "ahead", "on_pace", "behind", "far_behind", "overdue", "no_report")


@router.get("/")
def overview(request: Request, db: Session = Depends(get_db)) -> Response:
    if request.state.user is None:
        return RedirectResponse("/public", status_code=303)
    allow(request, policy.VIEW_INTERNAL)
    settings = request.app.state.settings
    report_id = queries.as_int(request.query_params.get("report"))
    report = queries.get_report(db, report_id) if report_id else queries.latest_report(db)
    if report is None:
        return render(request, "overview.html", {"report": None, "reports": []})
    targets = queries.select_targets(db, queries.TargetFilter(report_id=report.id))
    results = statuses(db, settings, targets)
    areas = rollups.by_area(targets, results)
    depts = rollups.by_department(targets, results)
    inv = rollups.investment(db, report.id, report.year, today(settings))
    stack = {"keys": KEYS, "colours": STATUS_COLOURS, "labels": STATUS_LABELS}
    return render(request, "overview.html", {
        "report": report, "reports": queries.list_reports(db), "total": len(targets),
        "counts": rollups.status_counts(results), "keys": KEYS, "inv": inv,
        "area_chart": stacked_bar_chart([(g.name, dict(g.counts)) for g in areas], title="各领域目标状态", **stack),
        "area_done": bar_chart([(g.name, g.mean_achieved) for g in areas], title="各领域平均完成比例",
                               max_value=100),
        "dept_chart": stacked_bar_chart([(g.name, dict(g.counts)) for g in depts[:15]], title="各牵头单位目标状态",
                                        **stack),
        "inv_chart": bar_chart([(c, 100.0 * done / plan if plan else 0.0) for c, plan, done in inv.by_category],
                               title="各类重点项目投资完成率", max_value=100, colour="#8a5cb8"),
        "areas": areas, "depts": depts, "pending": queries.count_proposed(db, report.id),
    })
