"""督查督办 pages: 督办单 (/orders), the monthly 通报 (/bulletin), 考核排名 (/score), and the
office's group-robot webhooks (/admin/webhooks). The work is luoshi.supervision's; these are thin."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError, NotFoundError
from luoshi.store.models import SupervisionOrder, WebhookDelivery
from luoshi.tracking import listing
from luoshi.web.params import as_int
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

if TYPE_CHECKING:
    from luoshi.supervision.scoring import Scoreboard

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _order(db: Session, order_id: int) -> SupervisionOrder:
    from luoshi.supervision.orders import get_order

    return get_order(db, order_id)


@router.get("/orders")
def orders_page(request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.orders import list_orders, order_view

    allow(request, policy.VIEW_INTERNAL)
    state = request.query_params.get("state") or None
    if state not in (None, "open", "closed"):
        raise InputError("state 应为 open 或 closed")
    views = [order_view(db, o) for o in list_orders(db, state)]
    return render(
        request, "orders.html", {"orders": views, "state": state, "settings": request.app.state.settings}
    )


@router.get("/orders/{order_id}.docx")
def order_docx(order_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.documents import order_docx as build
    from luoshi.supervision.orders import order_view

    allow(request, policy.EXPORT_DATA)
    view = order_view(db, _order(db, order_id))
    return _download(build(view), DOCX, f"督办单{view.number}.docx")


@router.get("/orders/{order_id}")
def order_page(order_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.orders import order_view

    allow(request, policy.VIEW_INTERNAL)
    return render(request, "order.html", {"o": order_view(db, _order(db, order_id))})


def _report_choice(request: Request, db: Session) -> tuple[str, int] | None:
    """(jurisdiction, year) from the query, else the report being tracked."""
    from luoshi.tracking.queries import current_report

    j = (request.query_params.get("jurisdiction") or "").strip()
    y = as_int(request.query_params.get("year"))
    key = request.query_params.get("report_key") or ""
    if key and not (j and y):  # the page's chooser: "张店区|2024"
        j, _, year = key.rpartition("|")
        y = as_int(year)
    if j and y:
        return j, y
    report = current_report(db)
    return (report.jurisdiction.name, report.year) if report else None


def _default_month(request: Request, year: int) -> str:
    from luoshi.notify.events import today_of

    today = today_of(request.app.state.settings)
    return f"{year:04d}-{today.month:02d}" if today.year == year else f"{year:04d}-12"


@router.get("/bulletin")
def bulletin_page(request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.bulletin import COUNTING_NOTE, build_bulletin, bulletin_charts

    allow(request, policy.VIEW_INTERNAL)
    choice = _report_choice(request, db)
    month = request.query_params.get("month") or ""
    context: dict[str, object] = {
        "reports": listing.reports(db),
        "choice": choice,
        "month": month,
        "bulletin": None,
        "charts": {},
        "note": COUNTING_NOTE,
    }
    if choice and month:
        b = build_bulletin(db, request.app.state.settings, choice[0], choice[1], month)
        charts = bulletin_charts(b)
        context.update(bulletin=b, charts={k: base64.b64encode(v).decode() for k, v in charts.items()})
    elif choice:
        context["month"] = _default_month(request, choice[1])
    return render(request, "bulletin.html", context)


@router.get("/bulletin.docx")
def bulletin_docx(request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.bulletin import build_bulletin, bulletin_charts
    from luoshi.supervision.documents import bulletin_docx as build

    allow(request, policy.EXPORT_DATA)
    choice = _report_choice(request, db)
    if choice is None:
        raise NotFoundError("还没有导入任何报告")
    month = request.query_params.get("month") or _default_month(request, choice[1])
    b = build_bulletin(db, request.app.state.settings, choice[0], choice[1], month)
    return _download(build(b, bulletin_charts(b)), DOCX, f"{choice[0]}{b.month}通报.docx")


def _scoreboard(request: Request, db: Session) -> Scoreboard | None:
    from luoshi.supervision.scoring import score_period

    choice = _report_choice(request, db)
    if choice is None:
        return None
    month = request.query_params.get("month") or None
    return score_period(db, request.app.state.settings, choice[0], choice[1], month)


@router.get("/score")
def score_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.VIEW_INTERNAL)
    board = _scoreboard(request, db)
    return render(
        request,
        "score.html",
        {
            "board": board,
            "reports": listing.reports(db),
            "choice": _report_choice(request, db),
            "month": request.query_params.get("month") or "",
        },
    )


@router.get("/score.xlsx")
def score_xlsx(request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.scoring import scoreboard_xlsx

    allow(request, policy.EXPORT_DATA)
    board = _scoreboard(request, db)
    if board is None:
        raise NotFoundError("还没有导入任何报告")
    name = f"{board.record.jurisdiction}考核排名{request.query_params.get('month') or board.record.year}.xlsx"
    return _download(scoreboard_xlsx(board), XLSX, name)


@router.get("/admin/webhooks")
def webhooks_page(request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.MANAGE_WEBHOOKS)
    return _webhooks_response(request, db)


def _webhooks_response(request: Request, db: Session, form: dict[str, object] | None = None) -> Response:
    """The webhooks page; ``form`` shows a refused form again with what was typed and why (400)."""
    from luoshi.supervision.webhooks import KIND_LABELS, last_deliveries, list_webhooks

    if form is not None:
        db.rollback()  # nothing of the refused change is kept (all or nothing)
    hooks = list_webhooks(db)
    last: dict[int, WebhookDelivery] = last_deliveries(db) if hooks else {}
    departments = listing.departments(db)
    return render(
        request,
        "admin_webhooks.html",
        {
            "hooks": hooks,
            "last": last,
            "kinds": KIND_LABELS,
            "departments": departments,
            "form": form or {"name": None, "values": {}},
        },
        status_code=200 if form is None else 400,
    )


@router.post("/admin/webhooks")
def webhooks_add(
    request: Request,
    kind: str = Form(""),
    url: str = Form(""),
    secret: str = Form(""),
    department: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    from luoshi.supervision.webhooks import add_webhook

    allow(request, policy.MANAGE_WEBHOOKS)
    try:
        add_webhook(db, kind, url, secret or None, department or None, actor=request.state.user)
    except (InputError, NotFoundError) as exc:  # the signing secret is not sent back into the page
        return _webhooks_response(
            request,
            db,
            {
                "name": "add",
                "error": str(exc),
                "values": {"kind": kind, "url": url, "department": department},
            },
        )
    return RedirectResponse("/admin/webhooks", status_code=303)


@router.post("/admin/webhooks/{webhook_id}/remove")
def webhooks_remove(webhook_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    from luoshi.supervision.webhooks import remove_webhook

    allow(request, policy.MANAGE_WEBHOOKS)
    remove_webhook(db, webhook_id, actor=request.state.user)
    return RedirectResponse("/admin/webhooks", status_code=303)
