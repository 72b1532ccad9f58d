"""Bulk work with a way back: one change to many targets (or progress reports), previewed,
applied in one transaction with one audit entry, and undone from that entry.

Interface::

    preview(session, action, ids, params) -> list[Change]      # what would change (nothing written)
    apply(session, action, ids, params, actor) -> BulkResult    # the changes + ONE "bulk" audit row
    undo(session, audit_id, actor) -> BulkResult                # restore what that row changed
    undone_by(session, audit_id) -> int | None                  # the audit row that undid it
    bulk_entry(session, audit_id) -> AuditLog                   # a bulk audit row (NotFoundError)

Actions (``ACTIONS``): ``assign`` (params ``lead``, ``co``: department ids; no ``co`` keeps each
target's own 责任单位), ``schedule``
(``cadence``, ``due_day``, ``deadline``: only the given ones change), ``publish`` / ``unpublish``,
``accept`` (proposed targets into the plan: 全部采纳 too) and ``check`` (复核-accept submitted
progress reports: ``ids`` are update ids). Each item is changed by the ordinary service
(luoshi.tracking.services), so its own audit row is written as well; the bulk row records
``before``/``after`` of every item, which is what :func:`undo` restores. Undo refuses (and changes
nothing) when an item has been changed since, naming the items.
A 复核 decision cannot be deleted (progress_checks is append-only): undoing a bulk 复核 appends
a ``reopened`` check, which puts the report back to awaiting 复核.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.store.audit import Actor, actor_fields, record_audit
from luoshi.store.models import AuditLog, ProgressCheck, ProgressUpdate, Target
from luoshi.tracking import services

__all__ = [
    "ACTIONS",
    "BULK_OBJECT",
    "BulkResult",
    "Change",
    "apply",
    "bulk_entry",
    "preview",
    "reopen_check",
    "undo",
    "undone_by",
]

ACTIONS: dict[str, str] = {
    "assign": "分配牵头/责任单位",
    "schedule": "设置填报周期与时限",
    "publish": "公开",
    "unpublish": "取消公开",
    "accept": "采纳（审核通过）",
    "check": "复核通过",
}
BULK_OBJECT = "bulk"
UNDO_ACTION = "undo_bulk"
FIELD_LABELS = {
    "lead_department_id": "牵头单位",
    "co_department_ids": "责任单位",
    "cadence": "填报周期",
    "due_day": "报送日",
    "deadline": "完成时限",
    "public": "公开",
    "review_state": "审核状态",
    "state": "复核",
}


@dataclass
class Change:
    """One item's change: ``kind`` target|progress_update, its id, a label and field values."""

    kind: str
    id: int
    label: str
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) of the fields that change."""
        return [(k, self.before.get(k), v) for k, v in self.after.items() if self.before.get(k) != v]


@dataclass
class BulkResult:
    action: str
    audit_id: int
    changes: list[Change] = field(default_factory=list)


def _label(t: Target) -> str:
    text = (t.indicator or t.title or f"目标{t.id}").strip().replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def _targets(session: Session, ids: Sequence[int]) -> list[Target]:
    wanted = sorted({int(i) for i in ids})
    rows = (
        list(session.scalars(select(Target).where(Target.id.in_(wanted)).order_by(Target.id)))
        if wanted
        else []
    )
    missing = sorted(set(wanted) - {t.id for t in rows})
    if missing:
        raise NotFoundError(f"没有编号为 {', '.join(map(str, missing))} 的目标")
    return rows


def _current_state(u: ProgressUpdate) -> str:
    return services.update_state(u)


def _target_fields(t: Target, names: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if name == "co_department_ids":
            out[name] = sorted(d.id for d in t.co_departments)
        elif name == "deadline":
            out[name] = t.deadline.isoformat() if t.deadline else None
        else:
            out[name] = getattr(t, name)
    return out


def _as_int(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(f"{what}须为编号：{value!r}") from None


def _wanted(action: str, t: Target, params: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``t`` that ``action`` sets, with their new values (JSON-safe)."""
    if action == "assign":
        lead = _as_int(params.get("lead"), "牵头单位")
        if lead is None:
            raise InputError("请选择牵头单位")
        chosen = {c for c in (_as_int(v, "责任单位") for v in params.get("co") or ()) if c is not None}
        current = sorted(d.id for d in t.co_departments)
        # no 责任单位 chosen: keep the target's own (less the new lead, who cannot be both)
        co = sorted((chosen or set(current)) - {lead})
        values: dict[str, Any] = {"lead_department_id": lead}
        if co != current:
            values["co_department_ids"] = co
        return values
    if action == "schedule":
        out: dict[str, Any] = {}
        if params.get("cadence"):
            out["cadence"] = str(params["cadence"])
        if params.get("due_day") not in (None, ""):
            out["due_day"] = _as_int(params["due_day"], "报送日")
        if params.get("deadline"):
            raw = params["deadline"]
            try:
                out["deadline"] = (raw if isinstance(raw, date) else date.fromisoformat(str(raw))).isoformat()
            except ValueError:
                raise InputError(f"完成时限须为日期（如 2024-12-31）：{raw!r}") from None
        if not out:
            raise InputError("请至少填写填报周期、报送日或完成时限之一")
        return out
    if action in ("publish", "unpublish"):
        return {"public": action == "publish"}
    if action == "accept":
        return {"review_state": "accepted"}
    raise InputError(f"未知的批量操作：{action}")


def preview(
    session: Session, action: str, ids: Sequence[int], params: Mapping[str, Any] | None = None
) -> list[Change]:
    """The items ``action`` would change, with before/after (items it would not change are left out)."""
    params = params or {}
    if action not in ACTIONS:
        raise InputError(f"未知的批量操作：{action}")
    if not ids:
        raise InputError("请先勾选要批量处理的条目")
    if action == "check":
        return _preview_checks(session, ids)
    changes = []
    for t in _targets(session, ids):
        if action == "accept" and t.review_state != "proposed":
            continue  # only proposals are accepted; rejected or merged items stay as they are
        after = _wanted(action, t, params)
        before = _target_fields(t, list(after))
        if before != after:
            changes.append(Change("target", t.id, _label(t), before, after))
    return changes


def _preview_checks(session: Session, ids: Sequence[int]) -> list[Change]:
    wanted = sorted({int(i) for i in ids})
    rows = list(
        session.scalars(
            select(ProgressUpdate).where(ProgressUpdate.id.in_(wanted)).order_by(ProgressUpdate.id)
        )
    )
    missing = sorted(set(wanted) - {u.id for u in rows})
    if missing:
        raise NotFoundError(f"没有编号为 {', '.join(map(str, missing))} 的进展")
    newer = set(
        session.scalars(select(ProgressUpdate.supersedes_id).where(ProgressUpdate.supersedes_id.in_(wanted)))
    )
    changes = []
    for u in rows:
        if u.id in newer or _current_state(u) != "submitted":
            continue  # superseded or already decided: 复核 only the current, undecided version
        t = session.get(Target, u.target_id)
        label = f"{_label(t) if t else u.target_id} · {u.period.isoformat()}"
        changes.append(Change("progress_update", u.id, label, {"state": "submitted"}, {"state": "accepted"}))
    return changes


def _apply_target(session: Session, t: Target, values: Mapping[str, Any], actor: Actor) -> None:
    if "lead_department_id" in values or "co_department_ids" in values:
        lead = values.get("lead_department_id", t.lead_department_id)
        co = (
            values["co_department_ids"] if "co_department_ids" in values else [d.id for d in t.co_departments]
        )
        services.assign_departments(session, t, lead, list(co or ()), actor=actor)
    edits = {k: v for k, v in values.items() if k not in ("lead_department_id", "co_department_ids")}
    if "deadline" in edits and edits["deadline"] is not None:
        edits["deadline"] = date.fromisoformat(str(edits["deadline"]))
    if edits:
        services.edit_target(session, t, edits, actor=actor)


def _record(
    session: Session, actor: Actor, action: str, changes: list[Change], extra: dict[str, Any]
) -> AuditLog:
    row = record_audit(
        session,
        actor,
        action,
        BULK_OBJECT,
        None,
        {"items": [{"kind": c.kind, "id": c.id, "label": c.label, "values": c.before} for c in changes]},
        {
            "items": [{"kind": c.kind, "id": c.id, "label": c.label, "values": c.after} for c in changes],
            **extra,
        },
    )
    session.flush()
    return row


def apply(
    session: Session,
    action: str,
    ids: Sequence[int],
    params: Mapping[str, Any] | None = None,
    actor: Actor = None,
) -> BulkResult:
    """Make the changes :func:`preview` shows, in the caller's transaction, with one bulk audit row."""
    changes = preview(session, action, ids, params)
    if not changes:
        raise InputError("所选条目无需改动（已是目标状态）")
    check_ids: dict[str, int] = {}
    for c in changes:
        if c.kind == "progress_update":
            check = services.check_update(session, c.id, "accepted", "批量复核通过", actor=actor)
            check_ids[str(c.id)] = check.id
        else:
            _apply_target(session, services.get_target(session, c.id), c.after, actor)
    row = _record(session, actor, action, changes, {"checks": check_ids} if check_ids else {})
    return BulkResult(action, row.id, changes)


def bulk_entry(session: Session, audit_id: int) -> AuditLog:
    row = session.get(AuditLog, int(audit_id))
    if row is None or row.object_type != BULK_OBJECT or row.action not in ACTIONS:
        raise NotFoundError(f"没有编号为 {audit_id} 的批量操作记录")
    return row


def undone_by(session: Session, audit_id: int) -> int | None:
    """Id of the audit row that undid bulk entry ``audit_id``, if any."""
    return session.scalar(
        select(AuditLog.id)
        .where(
            AuditLog.action == UNDO_ACTION,
            AuditLog.object_type == "audit_log",
            AuditLog.object_id == str(audit_id),
        )
        .limit(1)
    )


def reopen_check(
    session: Session, update: ProgressUpdate | int, comment: str, actor: Actor = None
) -> ProgressCheck:
    """Append a ``reopened`` check: the report is awaiting 复核 again (the earlier decision stays on record)."""
    u = services.get_update(session, update)
    user_id, name = actor_fields(actor)
    check = ProgressCheck(update_id=u.id, decision="reopened", comment=comment, by_id=user_id, by_name=name)
    session.add(check)
    session.flush()
    session.refresh(u, ["checks"])
    record_audit(
        session,
        actor,
        "reopened",
        "progress_update",
        u.id,
        {"state": "accepted"},
        {"state": "submitted", "comment": comment},
    )
    return check


def undo(session: Session, audit_id: int, actor: Actor = None) -> BulkResult:
    """Restore every item of bulk entry ``audit_id``; refuses if it was undone or an item changed since."""
    row = bulk_entry(session, audit_id)
    done = undone_by(session, row.id)
    if done is not None:
        raise InputError(f"该批量操作已于审计记录 #{done} 撤销，不能重复撤销")
    befores = {(i["kind"], i["id"]): i for i in (row.before or {}).get("items", [])}
    afters = [(i["kind"], i["id"], i) for i in (row.after or {}).get("items", [])]
    checks = (row.after or {}).get("checks", {})
    changed: list[str] = []
    for kind, item_id, item in afters:
        if kind == "progress_update":
            u = session.get(ProgressUpdate, item_id)
            if u is None or not u.checks or str(u.checks[-1].id) != str(checks.get(str(item_id))):
                changed.append(item["label"])
        else:
            t = session.get(Target, item_id)
            if t is None or _target_fields(t, list(item["values"])) != item["values"]:
                changed.append(item["label"])
    if changed:
        raise InputError(
            "以下条目在批量操作后已被再次修改，无法撤销（请逐项处理）："
            + "；".join(changed[:10])
            + (f" 等 {len(changed)} 项" if len(changed) > 10 else "")
        )
    restored = []
    for kind, item_id, item in afters:
        before = befores[(kind, item_id)]["values"]
        if kind == "progress_update":
            reopen_check(session, item_id, f"撤销批量复核（审计 #{row.id}）", actor=actor)
        else:
            _apply_target(session, services.get_target(session, item_id), before, actor)
        restored.append(Change(kind, item_id, item["label"], item["values"], before))
    undo_row = record_audit(
        session,
        actor,
        UNDO_ACTION,
        "audit_log",
        row.id,
        {"action": row.action, "items": len(afters)},
        {"restored": len(restored)},
    )
    session.flush()
    return BulkResult(row.action, undo_row.id, restored)
