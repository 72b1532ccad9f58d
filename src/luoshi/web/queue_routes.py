"""审核: the queue of proposed (extracted) targets — accept, edit, merge, split or reject.

The changes themselves are luoshi.tracking's (services, proposals); every one is audited there.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError
from luoshi.tracking import listing
from luoshi.tracking.queries import current_report
from luoshi.tracking.services import get_target
from luoshi.web.highlight import Mark, highlight
from luoshi.web.paging import page_of
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _report_id(request: Request, db: Session) -> int | None:
    rid = as_int(request.query_params.get("report"))
    if rid is None:
        latest = current_report(db)
        rid = latest.id if latest else None
    return rid


@router.get("/queue")
def queue_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.ACCEPT_PROPOSED)
    report_id = _report_id(request, db)
    total = listing.count_proposed(db, report_id) if report_id else 0
    shown = page_of(request.query_params.get("page"), total)
    rows = listing.proposed_page(db, report_id, shown.number, shown.size) if report_id else []
    contexts = {}
    bases = {}
    if rows:
        from luoshi.tracking.role_basis import role_bases

        found = role_bases(rows[0].report.text)  # one report per queue page
        bases = {t.id: found[t.span_start] for t in rows if t.span_start in found}
    for t in rows:
        text = t.report.text
        if t.span_start is not None and t.span_end is not None:
            s0 = t.sentence_start if t.sentence_start is not None else max(0, t.span_start - 40)
            s1 = t.sentence_end if t.sentence_end is not None else t.span_end + 40
            contexts[t.id] = highlight(text, [Mark(t.span_start, t.span_end)], s0, s1)
    accepted = listing.accepted_targets(db, report_id) if report_id else []
    return render(
        request,
        "queue.html",
        {
            "rows": rows,
            "contexts": contexts,
            "bases": bases,
            "report_id": report_id,
            "accepted": accepted,
            **shown.context(),
        },
    )


def _back(report_id: int) -> RedirectResponse:
    return RedirectResponse(f"/queue?report={report_id}", status_code=303)


@router.post("/queue/accept-all")
def accept_all(request: Request, report: str = Form(""), db: Session = Depends(get_db)) -> Response:
    """全部采纳: the same confirm page (and undo) as every bulk action (luoshi.tracking.bulk)."""
    from luoshi.web.bulk_routes import confirm_page

    allow(request, policy.ACCEPT_PROPOSED)
    rep = listing.get_report(db, as_int(report) or 0)
    return confirm_page(request, db, "accept", listing.proposed_ids(db, rep.id), {})


@router.post("/queue/{target_id}/accept")
def accept(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.tracking.services import accept_target

    target = get_target(db, target_id)
    allow(request, policy.ACCEPT_PROPOSED, target)
    accept_target(db, target, actor=request.state.user)
    return _back(target.report_id)


@router.post("/queue/{target_id}/reject")
def reject(target_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.tracking.services import reject_target

    target = get_target(db, target_id)
    allow(request, policy.ACCEPT_PROPOSED, target)
    reject_target(db, target, actor=request.state.user)
    return _back(target.report_id)


@router.post("/queue/{target_id}/merge")
def merge(
    target_id: int,
    request: Request,
    into: str = Form(...),
    figure: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Merge this proposed item into another target (``into``) of the same report.

    When both carry different figures, ``figure`` (``into`` or ``this``) says which one stays;
    without it the page shows both figures side by side and asks (never dropped silently)."""
    from luoshi.tracking.proposals import figures_differ, merge_targets

    target = get_target(db, target_id)
    allow(request, policy.ACCEPT_PROPOSED, target)
    keep_id = as_int(into)
    if keep_id is None:
        raise InputError("请选择要合并到的目标")
    keep = get_target(db, keep_id)
    chosen = {"into": keep.id, "this": target.id}.get(figure)
    if figure and chosen is None:
        raise InputError("请选择保留哪一个目标值")
    if chosen is None and figures_differ(keep, target):
        return render(request, "queue_merge.html", {"target": target, "keep": keep})
    merge_targets(db, keep, [target], actor=request.state.user, figure_from=chosen)
    return _back(target.report_id)


@router.post("/queue/{target_id}/split")
def split(
    target_id: int, request: Request, parts: str = Form(...), db: Session = Depends(get_db)
) -> Response:
    """Split into several targets: one per line, ``工作任务 | 目标值`` (the value is optional)."""
    from luoshi.tracking.proposals import split_target

    target = get_target(db, target_id)
    allow(request, policy.ACCEPT_PROPOSED, target)
    from luoshi.tracking.figures import parse_target_figure

    pieces = []
    for n, line in enumerate(parts.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("｜", "|").split("|")]
        title = cells[0]
        indicator = cells[1] if len(cells) >= 3 else title  # each part its own indicator
        figure = cells[-1] if len(cells) >= 2 else ""
        piece: dict[str, object] = {"title": title, "indicator": indicator}
        if figure:
            comparator, value, unit, value_max = parse_target_figure(figure, f"第 {n} 行的目标值")
            piece.update(target_value=value, value_max=value_max, comparator=comparator or ">=")
            if unit:
                piece["unit"] = unit
        pieces.append(piece)
    split_target(db, target, pieces, actor=request.state.user)
    return _back(target.report_id)
