"""Merging and splitting proposed (extracted) targets. Nothing is deleted: merged targets point at
the one they were merged into; a split target is rejected and its parts point back at it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import Target, utcnow
from luoshi.tracking.services import accept_target, create_target, get_target
from luoshi.tracking.touched import touch

__all__ = ["accept_all", "figures_differ", "merge_targets", "split_target"]

FIGURE_FIELDS = ("target_value", "value_max", "unit", "comparator", "baseline")

COPIED = (
    "area_id",
    "indicator",
    "unit",
    "comparator",
    "direction",
    "kind",
    "deadline",
    "public",
    "cadence",
    "due_day",
    "span_start",
    "span_end",
    "sentence_start",
    "sentence_end",
    "lead_department_id",
)


def _figure(t: Target) -> tuple[object, ...]:
    return tuple(getattr(t, k) for k in ("target_value", "value_max", "unit", "comparator"))


def figures_differ(kept: Target, row: Target) -> bool:
    """Both targets carry a figure and the figures are not the same: a merge must say which stays."""
    return kept.target_value is not None and row.target_value is not None and _figure(kept) != _figure(row)


def merge_targets(
    session: Session,
    keep: Target | int,
    others: Sequence[Target | int],
    actor: Actor = None,
    figure_from: int | None = None,
) -> Target:
    """Merge ``others`` into ``keep`` (same report): they become ``merged`` with merged_into = keep.

    Never drops a figure silently: a kept target without a figure takes the merged one's; when both
    carry different figures, ``figure_from`` (the id of ``keep`` or of one of ``others``) must say
    whose figure the kept target has afterwards, else the merge is refused naming both figures.
    """
    from luoshi.tracking.figures import format_value

    kept = get_target(session, keep)
    rows = [get_target(session, o) for o in others]
    if not rows:
        raise InputError("没有要合并的目标")
    for row in rows:
        if row.id == kept.id:
            raise InputError("不能把目标合并到自身")
        if row.report_id != kept.report_id:
            raise InputError(f"目标 {row.id} 属于另一份报告，不能合并")
    if figure_from is not None and figure_from not in {kept.id, *(r.id for r in rows)}:
        raise InputError(f"保留目标值的目标 {figure_from} 不在这次合并之中")
    differing = [row for row in rows if figures_differ(kept, row)]
    if differing and figure_from is None:
        shown = "、".join(
            f"目标{t.id}「{format_value(t.target_value, t.unit, t.comparator, t.value_max)}」"
            for t in (kept, *differing)
        )
        raise InputError(f"要合并的目标目标值不同（{shown}），请选择保留哪一个目标值")
    source = next((r for r in rows if r.id == figure_from), None)
    if source is None and kept.target_value is None:
        source = next((r for r in rows if r.target_value is not None), None)
    if source is not None and _figure(source) != _figure(kept):
        record_audit(
            session,
            actor,
            "edit",
            "target",
            kept.id,
            {k: getattr(kept, k) for k in FIGURE_FIELDS},
            {k: getattr(source, k) for k in FIGURE_FIELDS},
        )
        for k in FIGURE_FIELDS:
            setattr(kept, k, getattr(source, k))
    kept_from = source.id if source is not None else kept.id
    for row in rows:
        before = {"review_state": row.review_state, "merged_into_id": row.merged_into_id}
        row.review_state = "merged"
        row.merged_into_id = kept.id
        row.updated_at = utcnow()
        record_audit(
            session,
            actor,
            "merge",
            "target",
            row.id,
            before,
            {
                "review_state": "merged",
                "merged_into_id": kept.id,
                "figure": {k: getattr(row, k) for k in FIGURE_FIELDS},
                "figure_kept_from": kept_from,
            },
        )
    if kept.review_state == "proposed":
        kept.review_state = "accepted"
        record_audit(
            session,
            actor,
            "accept",
            "target",
            kept.id,
            {"review_state": "proposed"},
            {"review_state": "accepted"},
        )
    session.flush()
    touch(session, kept.id)
    return kept


def split_target(
    session: Session, target: Target | int, parts: Sequence[Mapping[str, Any]], actor: Actor = None
) -> list[Target]:
    """Split one target into several (each part: title, target_value, unit, ...); the original is rejected."""
    t = get_target(session, target)
    if len(parts) < 2:
        raise InputError("拆分至少需要两项")
    created: list[Target] = []
    for part in parts:
        fields = {
            k: getattr(t, k)
            for k in COPIED
            if k
            in (
                "area_id",
                "indicator",
                "unit",
                "comparator",
                "direction",
                "kind",
                "deadline",
                "public",
                "cadence",
                "due_day",
            )
        }
        fields.update(part)
        new = create_target(session, t.report_id, fields, actor, origin="split", state="accepted")
        new.split_from_id = t.id
        for k in ("span_start", "span_end", "sentence_start", "sentence_end", "lead_department_id"):
            setattr(new, k, getattr(t, k))
        new.co_departments = list(t.co_departments)
        created.append(new)
    before = t.review_state
    t.review_state = "rejected"
    t.updated_at = utcnow()
    session.flush()
    record_audit(
        session,
        actor,
        "split",
        "target",
        t.id,
        {"review_state": before},
        {"review_state": "rejected", "parts": [n.id for n in created]},
    )
    return created


def accept_all(session: Session, report_id: int, actor: Actor = None) -> list[Target]:
    """Accept every still-proposed target of a report (each accept audited)."""
    rows = list(
        session.scalars(
            select(Target)
            .where(Target.report_id == report_id, Target.review_state == "proposed")
            .order_by(Target.position)
        )
    )
    return [accept_target(session, t, actor) for t in rows]
