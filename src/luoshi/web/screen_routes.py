"""大屏: a full-screen, auto-refreshing overview for the office's wall display (``/screen``).

Figures come from the same functions as the dashboard (tracking.queries.overview, notify.inbox);
the page reloads itself (``<meta http-equiv="refresh">``, no script) every ``REFRESH_SECONDS``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.glossary import STATUS_LABELS
from luoshi.tracking.listing import chosen_report
from luoshi.tracking.queries import list_targets
from luoshi.tracking.queries import overview as tracking_overview
from luoshi.tracking.status import STATUS_CODES
from luoshi.web.charts import STATUS_COLOURS, stacked_bar_chart
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["REFRESH_SECONDS", "router"]

router = APIRouter(include_in_schema=False)
REFRESH_SECONDS = 60
ALARM = ("overdue", "far_behind", "behind")
_STACK: dict[str, Any] = {"keys": STATUS_CODES, "colours": STATUS_COLOURS, "labels": STATUS_LABELS}


@router.get("/screen")
def screen(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    settings = request.app.state.settings
    report = chosen_report(db, as_int(request.query_params.get("report")))
    if report is None:
        return render(request, "screen.html", {"report": None, "refresh": REFRESH_SECONDS})
    ov = tracking_overview(db, settings, report.id)
    views = list_targets(db, settings, report_id=report.id, today=ov.as_of)
    severity = {code: i for i, code in enumerate(ALARM)}
    alarms = sorted(
        (v for v in views if v.code in severity), key=lambda v: (severity[v.code], v.target.position)
    )
    return render(
        request,
        "screen.html",
        {
            "report": report,
            "ov": ov,
            "keys": STATUS_CODES,
            "refresh": REFRESH_SECONDS,
            "alarms": alarms[:12],
            "alarm_total": len(alarms),
            "rendered": datetime.now().strftime("%H:%M"),
            "dept_chart": stacked_bar_chart(
                [(g.name, dict(g.counts)) for g in ov.by_department[:12]],
                title="各牵头单位目标状态",
                **_STACK,
            ),
            "area_chart": stacked_bar_chart(
                [(g.name, dict(g.counts)) for g in ov.by_area], title="各领域目标状态", **_STACK
            ),
        },
    )
