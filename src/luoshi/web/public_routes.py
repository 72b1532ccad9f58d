"""Public scorecard per jurisdiction and year: page, open-data downloads (CSV, JSON) and Atom
feeds of status changes (per jurisdiction and year, and per public target).

Only public targets, their accepted values and the source sentence: no narratives, files or names.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.formats.cells import csv_cell
from luoshi.store.models import Report
from luoshi.tracking import listing
from luoshi.tracking.public import public_counts, public_report, public_target, status_changes
from luoshi.tracking.queries import list_targets, overview_of, overview_of_lines, target_lines
from luoshi.tracking.status import STATUS_CODES
from luoshi.web.charts import bar_chart
from luoshi.web.highlight import sentence_with_figure
from luoshi.web.line_sort import sorted_lines
from luoshi.web.paging import page_of
from luoshi.web.public_feed import ATOM_MEDIA_TYPE, atom_feed
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router", "scorecard"]

router = APIRouter(tags=["公开数据"])
CSV_FIELDS = [
    "id",
    "area",
    "title",
    "indicator",
    "comparator",
    "target_value",
    "unit",
    "deadline",
    "lead_department",
    "status",
    "status_label",
    "latest_value",
    "latest_period",
    "achieved",
    "time_progress",
    "source_sentence",
]


def scorecard(db: Session, settings: Any, report: Report) -> dict[str, Any]:
    views = list_targets(db, settings, report_id=report.id, public_only=True)
    ov = overview_of(views, settings, report)  # statuses and readings computed once, above
    items = []
    for v in views:
        item = v.to_dict(public=True)
        t = v.target
        item["source_sentence"] = (
            report.text[t.sentence_start : t.sentence_end]
            if t.sentence_start is not None and t.sentence_end is not None
            else None
        )
        item["history"] = [[r.period.isoformat(), r.value] for r in v.readings if r.value is not None]
        items.append(item)
    return {
        "jurisdiction": report.jurisdiction.name,
        "year": report.year,
        "sample": bool(report.sample),
        "as_of": ov.as_of.isoformat(),
        "counts": {c: ov.total.counts.get(c, 0) for c in STATUS_CODES},
        "areas": [g.to_dict() for g in ov.by_area],
        "targets": items,
    }


@router.get("/public", include_in_schema=False)
def public_index(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    counts = public_counts(db)
    return render(
        request, "public_index.html", {"reports": listing.reports(db, public_only=True), "counts": counts}
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# Registered before "/public/{jurisdiction}/{year}/changes.atom", which has as many path segments.
@router.get("/public/targets/{target_id}/changes.atom", summary="公开目标状态变化（Atom 订阅）")
def public_target_feed(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    target = public_target(db, target_id)  # the same 404 for absent and unpublished targets
    base = _base(request)
    report = target.report
    title = (target.title or target.indicator or f"目标{target.id}").strip()
    body = atom_feed(
        status_changes(db, target_id=target.id),
        feed_id=f"{base}/public/targets/{target.id}/changes.atom",
        title=f"{title}：状态变化",
        self_url=str(request.url),
        alternate_url=f"{base}/targets/{target.id}",
        base_url=base,
        author=report.jurisdiction.name,
        updated=report.imported_at,
    )
    return Response(body, media_type=ATOM_MEDIA_TYPE)


@router.get("/public/{jurisdiction}/{year}/changes.atom", summary="公开目标状态变化（Atom 订阅）")
def public_feed(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    report = public_report(db, jurisdiction, year)
    base = _base(request)
    page = f"{base}/public/{quote(jurisdiction)}/{year}"
    body = atom_feed(
        status_changes(db, report_id=report.id),
        feed_id=f"{page}/changes.atom",
        title=f"{jurisdiction} {year} 年目标状态变化",
        self_url=str(request.url),
        alternate_url=page,
        base_url=base,
        author=jurisdiction,
        updated=report.imported_at,
    )
    return Response(body, media_type=ATOM_MEDIA_TYPE)


@router.get("/public/{jurisdiction}/{year}.csv", summary="公开目标（CSV）")
def public_csv(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    data = scorecard(db, request.app.state.settings, public_report(db, jurisdiction, year))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for item in data["targets"]:
        writer.writerow({k: csv_cell(item.get(k)) for k in CSV_FIELDS})
    return Response(
        "\ufeff" + buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f"attachment; filename=luoshi-{year}.csv"},
    )


@router.get("/public/{jurisdiction}/{year}.json", summary="公开目标（JSON）")
def public_json(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    return JSONResponse(scorecard(db, request.app.state.settings, public_report(db, jurisdiction, year)))


@router.get("/public/{jurisdiction}/{year}", include_in_schema=False)
def public_page(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    settings = request.app.state.settings
    report = public_report(db, jurisdiction, year)
    # the columns the page shows, not the export's objects (:func:`scorecard`): the same targets,
    # statuses and counts. The counts and the chart cover every public target; the table pages.
    lines = target_lines(db, settings, report.id, public_only=True)
    ov = overview_of_lines(lines, settings, report)
    chart = bar_chart([(g.name, g.fulfilment) for g in ov.by_area], title="各领域落实率", max_value=100)
    ordered, order = sorted_lines(lines, request.query_params)
    shown = page_of(request.query_params.get("page"), len(ordered))
    rows = shown.rows(ordered)
    sentences = {
        x.row.id: sentence_with_figure(
            report.text, (x.row.sentence_start, x.row.sentence_end), (x.row.span_start, x.row.span_end)
        )
        for x in rows
    }
    return render(
        request,
        "public.html",
        {
            "report": report,
            "jurisdiction": report.jurisdiction.name,
            "ov": ov,
            "rows": rows,
            **shown.context(),
            **order,
            "chart": chart,
            "sentences": sentences,
            "list_anchor": "#targets",  # the pager and sort links land on the list, below the chart
        },
    )
