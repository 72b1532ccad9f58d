"""原文: the list of reports and one report's text with every extracted figure highlighted."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.tracking import listing
from luoshi.web.highlight import Mark, paragraphs
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/reports")
def reports_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    return render(request, "reports.html", {"reports": listing.reports(db)})


@router.get("/reports/{report_id}")
def source_page(report_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    report = listing.get_report(db, report_id)
    marks: list[Mark] = []
    targets = listing.target_spans(db, report.id)
    for tid, s0, s1, title, state in targets:
        if state in ("rejected", "merged") or s0 is None or s1 is None:
            continue
        hint = "待审核：" if state == "proposed" else ""
        marks.append(Mark(s0, s1, href=f"/targets/{tid}", title=f"{hint}{title}"))
    outcomes = listing.outcome_spans(db, report.id)
    for s0, s1, indicator in outcomes:
        if s0 is None or s1 is None:
            continue
        marks.append(Mark(s0, s1, title=f"成果：{indicator}", css="fig out"))
    return render(
        request,
        "source.html",
        {
            "report": report,
            "text": paragraphs(report.text, marks),
            "n_targets": len(targets),
            "n_outcomes": len(outcomes),
        },
    )
