"""Year-end review pages: scorecard per jurisdiction and year, exports, print, trend, overrides.

Anonymous visitors see public targets only; confirming, overriding and running the review are
for admins (policy ``year_end_review``) and go through the app-wide CSRF check.
"""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError, NotFoundError
from luoshi.glossary import VERDICT_LABELS
from luoshi.review.export import flat_rows, to_csv, write_xlsx
from luoshi.review.publish import (
    is_published,
    publication,
    publish_scorecard,
    published_ids,
    unpublish_scorecard,
)
from luoshi.review.queries import (
    TrendPoint,
    find_jurisdiction,
    has_public_targets,
    indicator_trend,
    scorecard_reports,
    share_met,
    verdict_counts_by_report,
)
from luoshi.review.store import (
    ScoreRow,
    confirm_result,
    next_report,
    override_result,
    report_outcomes,
    result_with_target,
    review_rows,
    run_stored_review,
    stored_results,
)
from luoshi.review.verdicts import VERDICTS, ReviewConfig
from luoshi.store.models import Report
from luoshi.tracking.current import find_report
from luoshi.web.highlight import sentence_with_figure
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(tags=["年终评估"])
CSS_FILE = Path(__file__).resolve().parent / "templates" / "review" / "review.css"
VERDICT_CSS = {
    "met": "v-met",
    "exceeded": "v-exceeded",
    "partly_met": "v-partly",
    "not_met": "v-not",
    "no_outcome": "v-none",
    "ambiguous": "v-ambiguous",
}


def _internal(request: Request) -> bool:
    return policy.can(getattr(request.state, "user", None), policy.VIEW_INTERNAL)


def _is_admin(request: Request) -> bool:
    return policy.can(getattr(request.state, "user", None), policy.YEAR_END_REVIEW)


def _report(db: Session, jurisdiction: str, year: int, request: Request | None = None) -> Report:
    """The report of a scorecard; for anonymous readers only one with a published target."""
    report = find_report(db, jurisdiction, year)
    if request is not None and not _internal(request) and not has_public_targets(db, report.id):
        raise NotFoundError(f"没有{jurisdiction}{year}年的公开评估")
    return report


def _visible(db: Session, request: Request, report: Report) -> Report:
    """The public sees a scorecard only once an admin has published it (审定后发布)."""
    if not _internal(request) and not is_published(db, report.id):
        raise NotFoundError(f"{report.jurisdiction.name} {report.year} 年的评估结果尚未审定发布")
    return report


def _shown(db: Session, jurisdiction: str, year: int, request: Request) -> Report:
    """A scorecard as ``request`` may see it: for the public, of a report with a published
    target and only once the scorecard itself is published (审定后发布)."""
    return _visible(db, request, _report(db, jurisdiction, year, request))


def _share(lines: list[ScoreRow]) -> float:
    """Share met among the evaluated lines (open ones, 未评估, do not count): review.queries.share_met."""
    return share_met(Counter(x.result.verdict for x in lines if x.result))


def _card(db: Session, request: Request, report: Report) -> dict[str, Any]:
    public_only = not _internal(request)
    lines = review_rows(db, report.id, public_only=public_only)
    later = next_report(db, report)
    counts = Counter(x.result.verdict if x.result else "pending" for x in lines)
    areas: dict[str, list[ScoreRow]] = {}
    for x in lines:
        areas.setdefault(x.target.area.heading if x.target.area else "其他", []).append(x)
    rows = []
    for x in lines:
        o = x.outcome
        rows.append(
            {
                "line": x,
                "target_html": sentence_with_figure(
                    report.text,
                    (x.target.sentence_start, x.target.sentence_end),
                    (x.target.span_start, x.target.span_end),
                ),
                "outcome_html": sentence_with_figure(
                    o.report.text, (o.sentence_start, o.sentence_end), (o.span_start, o.span_end)
                )
                if o
                else None,
                "css": VERDICT_CSS.get(x.result.verdict, "") if x.result else "v-pending",
            }
        )
    return {
        "report": report,
        "later": later,
        "rows": rows,
        "counts": counts,
        "public_only": public_only,
        "total": len(lines),
        "share_met": _share(lines),
        "reviewed": any(x.result for x in lines),
        "areas": [(name, len(xs), _share(xs)) for name, xs in areas.items()],
        "base": f"/review/{quote(report.jurisdiction.name)}/{report.year}",
        "publication": publication(db, report.id),
        "tolerance_pct": round(100 * request.app.state.settings.review_tolerance, 1),
    }


@router.get("/review/static/review.css", include_in_schema=False)
def review_css() -> Response:
    return Response(CSS_FILE.read_text(encoding="utf-8"), media_type="text/css; charset=utf-8")


@router.get("/review", include_in_schema=False)
def review_index(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    public_only = not _internal(request)  # public means published: public targets, published scorecards
    reports = scorecard_reports(db, public_only=public_only)
    tally = verdict_counts_by_report(db, public_only=public_only)
    published = published_ids(db)
    shares = {rid: (share_met(c), c.total()) for rid, c in tally.items()}
    return render(
        request,
        "review/index.html",
        {"reports": reports, "shares": shares, "published": published, "internal": _internal(request)},
    )


@router.get("/review/results/{result_id}", include_in_schema=False)
def result_form(result_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.YEAR_END_REVIEW)
    row, target = result_with_target(db, result_id)
    outcomes = report_outcomes(db, row.outcome_report_id) if row.outcome_report_id else []
    return render(
        request,
        "review/result.html",
        {"row": row, "target": target, "outcomes": outcomes, "verdicts": VERDICTS, "labels": VERDICT_LABELS},
    )


@router.post("/review/results/{result_id}", include_in_schema=False)
def result_post(
    result_id: int,
    request: Request,
    action: str = Form("override"),
    verdict: str = Form(""),
    outcome_id: str = Form(""),
    ratio: str = Form(""),
    reason: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    allow(request, policy.YEAR_END_REVIEW)
    row, target = result_with_target(db, result_id)
    user = request.state.user
    if action == "confirm":
        confirm_result(db, row.id, user)
    else:
        try:
            oid = int(outcome_id) if outcome_id.strip() else None
            r = float(ratio) if ratio.strip() else None
        except ValueError as exc:
            raise InputError(f"无效的数值：{exc}") from exc
        override_result(db, row.id, user, verdict=verdict, outcome_id=oid, ratio=r, reason=reason)
    report = target.report
    return RedirectResponse(
        f"/review/{quote(report.jurisdiction.name)}/{report.year}#t{target.id}", status_code=303
    )


def _scorecard_json(db: Session, request: Request, report: Report) -> list[dict[str, Any]]:
    return [r.to_dict() for r in stored_results(db, report.id, public_only=not _internal(request))]


@router.get(
    "/review/{jurisdiction}/{year}.json", summary="年终评估结果（JSON，与 luoshi review --format json 相同）"
)
def scorecard_json(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    return JSONResponse(_scorecard_json(db, request, _shown(db, jurisdiction, year, request)))


def _flat(db: Session, request: Request, report: Report) -> list[dict[str, Any]]:
    later = next_report(db, report)
    results = stored_results(db, report.id, public_only=not _internal(request))
    return flat_rows(results, report.text, later.text if later else "")


@router.get("/review/{jurisdiction}/{year}.csv", summary="年终评估结果（CSV）")
def scorecard_csv(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    text = to_csv(_flat(db, request, _shown(db, jurisdiction, year, request)))
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f"attachment; filename=review-{year}.csv"},
    )


@router.get("/review/{jurisdiction}/{year}.xlsx", summary="年终评估结果（Excel）")
def scorecard_xlsx(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    buf = io.BytesIO()
    write_xlsx(
        _flat(db, request, _shown(db, jurisdiction, year, request)),
        buf,
        f"{jurisdiction}{year}年目标完成情况",
    )
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": f"attachment; filename=review-{year}.xlsx"},
    )


def _trend_chart(points: list[TrendPoint]) -> dict[str, Any]:
    """Coordinates of a grouped bar chart (target vs outcome per year), drawn by the template."""
    width, height, left, bottom, top = 560, 240, 60, 30, 16
    values = [v for p in points for v in (p.target, p.outcome) if v is not None]
    hi = max(values, default=1.0) or 1.0
    slot = (width - left - 10) / max(len(points), 1)
    bar = min(36.0, slot / 3)
    plot_h = height - top - bottom
    bars = []
    for i, p in enumerate(points):
        x0 = left + i * slot + slot / 2 - bar
        for k, key in enumerate(("target", "outcome")):
            v = getattr(p, key)
            if v is None:
                continue
            h = max(v, 0) / hi * plot_h
            bars.append(
                {
                    "x": round(x0 + k * bar, 1),
                    "y": round(top + plot_h - h, 1),
                    "w": round(bar - 2, 1),
                    "h": round(h, 1),
                    "kind": key,
                    "value": v,
                    "year": p.year,
                }
            )
    labels = [{"x": round(left + i * slot + slot / 2, 1), "year": p.year} for i, p in enumerate(points)]
    grid = [{"y": round(top + plot_h * (1 - k / 4), 1), "v": hi * k / 4} for k in range(5)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "bars": bars,
        "labels": labels,
        "grid": grid,
        "base_y": top + plot_h,
    }


@router.get("/review/{jurisdiction}/trend", include_in_schema=False)
def trend(
    jurisdiction: str, request: Request, indicator: str = "", db: Session = Depends(get_db)
) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    place = find_jurisdiction(db, jurisdiction)
    points = (
        indicator_trend(db, place.id, indicator.strip(), public_only=not _internal(request))
        if indicator.strip()
        else []
    )
    return render(
        request,
        "review/trend.html",
        {"place": place, "indicator": indicator, "points": points, "chart": _trend_chart(points)},
    )


@router.get("/review/{jurisdiction}/{year}/print", include_in_schema=False)
def scorecard_print(
    jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)
) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    return render(request, "review/print.html", _card(db, request, _shown(db, jurisdiction, year, request)))


@router.get("/review/{jurisdiction}/{year}", include_in_schema=False)
def scorecard(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    ctx = _card(db, request, _shown(db, jurisdiction, year, request))
    ctx["admin"] = _is_admin(request)
    return render(request, "review/scorecard.html", ctx)


@router.post("/review/{jurisdiction}/{year}/run", include_in_schema=False)
def run(jurisdiction: str, year: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.YEAR_END_REVIEW)
    report = _report(db, jurisdiction, year)
    later = next_report(db, report)
    if later is None:
        raise InputError(f"尚未导入 {jurisdiction} {year + 1} 年的报告，无法评估")
    config = ReviewConfig(tolerance=request.app.state.settings.review_tolerance)
    run_stored_review(db, report.id, later.id, actor=request.state.user, config=config)
    return RedirectResponse(f"/review/{quote(jurisdiction)}/{year}", status_code=303)


@router.post("/review/{jurisdiction}/{year}/import-next", include_in_schema=False)
async def import_next(
    jurisdiction: str,
    year: int,
    request: Request,
    report_file: UploadFile = File(...),
    force: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Import the next year's report (one transaction) and run the review against it at once.

    A report stating another year than ``year + 1`` is not stored: a confirm step asks first."""
    from luoshi.sources.limits import InputLimits
    from luoshi.tracking.importer import YearMismatch, import_report

    allow(request, policy.IMPORT_REPORT)
    allow(request, policy.YEAR_END_REVIEW)
    report = _report(db, jurisdiction, year)
    name = Path(report_file.filename or "report.txt").name
    data = await report_file.read()
    if not data:
        raise InputError(f"{name}: 文件为空")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            later = import_report(
                db,
                path,
                jurisdiction,
                year + 1,
                actor=request.state.user,
                limits=InputLimits.from_settings(request.app.state.settings),
                force=bool(force),
            ).report
        except YearMismatch as exc:
            base = f"/review/{quote(jurisdiction)}/{year}"
            return render(
                request,
                "review/confirm_year.html",
                {
                    "message": str(exc),
                    "name": name,
                    "given": exc.given,
                    "action": f"{base}/import-next",
                    "back": base,
                },
                status_code=409,
            )
    config = ReviewConfig(tolerance=request.app.state.settings.review_tolerance)
    run_stored_review(db, report.id, later.id, actor=request.state.user, config=config)
    return RedirectResponse(f"/review/{quote(jurisdiction)}/{year}", status_code=303)


@router.post("/review/{jurisdiction}/{year}/publish", include_in_schema=False)
def publish(
    jurisdiction: str,
    year: int,
    request: Request,
    action: str = Form("publish"),
    db: Session = Depends(get_db),
) -> Response:
    """审定后发布: publish the scorecard to the public, or withdraw it to a draft (``action=unpublish``)."""
    allow(request, policy.YEAR_END_REVIEW)
    report = _report(db, jurisdiction, year)
    if action == "unpublish":
        unpublish_scorecard(db, report.id, actor=request.state.user)
    elif action == "publish":
        publish_scorecard(db, report.id, actor=request.state.user)
    else:
        raise InputError(f"未知操作：{action}")
    return RedirectResponse(f"/review/{quote(jurisdiction)}/{year}", status_code=303)
