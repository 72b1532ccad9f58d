"""批量处理: preview -> confirm -> one audited transaction -> undo from its audit entry.

The changes are luoshi.tracking.bulk's; these routes only read forms and render.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError
from luoshi.tracking import bulk, listing
from luoshi.web.forms_targets import refresh_now
from luoshi.web.security import allow, get_db
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

# the rule each action needs besides BULK_CHANGE (the same as doing it one by one)
_RULE = {
    "assign": policy.ASSIGN_DEPARTMENTS,
    "schedule": policy.EDIT_TARGET,
    "publish": policy.EDIT_TARGET,
    "unpublish": policy.EDIT_TARGET,
    "accept": policy.ACCEPT_PROPOSED,
    "check": policy.REVIEW_PROGRESS,
}
_PARAMS = ("lead", "cadence", "due_day", "deadline")


def _form(
    action: str,
    ids: list[str],
    use_filtered: str,
    filtered: str,
    lead: str,
    co: list[str],
    cadence: str,
    due_day: str,
    deadline: str,
) -> tuple[list[int], dict[str, Any]]:
    raw = list(ids) + (filtered.split(",") if use_filtered else [])
    picked = sorted({int(v) for v in raw if v.strip().isdigit()})
    params: dict[str, Any] = {
        "lead": lead,
        "cadence": cadence,
        "due_day": due_day,
        "deadline": deadline,
        "co": [v for v in co if v.strip()],
    }
    return picked, params


class BulkForm:
    """The fields of the bulk forms (targets list, inbox, 全部采纳 and the confirm page)."""

    def __init__(
        self,
        action: str = Form(""),
        ids: list[str] = Form([]),
        use_filtered: str = Form(""),
        filtered: str = Form(""),
        lead: str = Form(""),
        co: list[str] = Form([]),
        cadence: str = Form(""),
        due_day: str = Form(""),
        deadline: str = Form(""),
    ) -> None:
        self.action = action
        self.ids, self.params = _form(
            action, ids, use_filtered, filtered, lead, co, cadence, due_day, deadline
        )


def _allow(request: Request, action: str) -> None:
    allow(request, policy.BULK_CHANGE)
    if action not in _RULE:
        raise InputError("请选择批量操作")
    allow(request, _RULE[action])


def _target_ids(db: Session, changes: list[bulk.Change]) -> list[int]:
    ids = [c.id for c in changes if c.kind == "target"]
    updates = [c.id for c in changes if c.kind == "progress_update"]
    ids += listing.target_ids_of_updates(db, updates)
    return ids


def confirm_page(
    request: Request, db: Session, action: str, ids: list[int], params: dict[str, Any]
) -> Response:
    """The page that shows what ``action`` would change and asks to confirm (nothing written)."""
    _allow(request, action)
    changes = bulk.preview(db, action, ids, params)
    return render(
        request,
        "bulk_confirm.html",
        {
            "action": action,
            "label": bulk.ACTIONS[action],
            "changes": changes,
            "ids": ids,
            "params": params,
            "skipped": len(ids) - len(changes),
            "dept_names": listing.department_names(db),
            "field_labels": bulk.FIELD_LABELS,
        },
    )


@router.post("/bulk/preview")
def preview_page(request: Request, form: BulkForm = Depends(), db: Session = Depends(get_db)) -> Response:
    return confirm_page(request, db, form.action, form.ids, form.params)


@router.post("/bulk/apply")
def apply_form(request: Request, form: BulkForm = Depends(), db: Session = Depends(get_db)) -> Response:
    _allow(request, form.action)
    result = bulk.apply(db, form.action, form.ids, form.params, actor=request.state.user)
    refresh_now(request, db, *_target_ids(db, result.changes))
    return RedirectResponse(f"/bulk/{result.audit_id}", status_code=303)


@router.get("/bulk/{audit_id}")
def entry_page(audit_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.BULK_CHANGE)
    row = bulk.bulk_entry(db, audit_id)
    befores = {(i["kind"], i["id"]): i["values"] for i in (row.before or {}).get("items", [])}
    items = [
        bulk.Change(i["kind"], i["id"], i["label"], befores.get((i["kind"], i["id"]), {}), i["values"])
        for i in (row.after or {}).get("items", [])
    ]
    return render(
        request,
        "bulk_entry.html",
        {
            "row": row,
            "label": bulk.ACTIONS.get(row.action, row.action),
            "items": items,
            "undone": bulk.undone_by(db, row.id),
            "dept_names": listing.department_names(db),
            "field_labels": bulk.FIELD_LABELS,
        },
    )


@router.post("/bulk/{audit_id}/undo")
def undo_form(audit_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    allow(request, policy.BULK_CHANGE)
    row = bulk.bulk_entry(db, audit_id)
    _allow(request, row.action)
    result = bulk.undo(db, row.id, actor=request.state.user)
    refresh_now(request, db, *_target_ids(db, result.changes))
    return RedirectResponse(f"/bulk/{row.id}", status_code=303)
