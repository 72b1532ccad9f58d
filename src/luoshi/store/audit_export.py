"""Browse and export the audit trail (admins only: policy.VIEW_AUDIT).

Interface (for the web app's audit page and its CSV download)::

    iter_audit(session, *, since=None, until=None, actor=None, action=None, object_type=None,
               object_id=None, newest_first=True, limit=None) -> Iterator[AuditLog]
    audit_csv_lines(session, **same_filters) -> Iterator[str]   # header first; for StreamingResponse
    write_audit_csv(session, out: TextIO, **same_filters) -> int   # rows written
    audit_subjects(session, rows) -> AuditSubjects   # the targets a page of rows is about

``since``/``until`` are datetimes (naive UTC) or dates; ``until`` is exclusive. The CSV has the
columns ``id, at, actor, action, object_type, object_id, before, after`` (before/after as JSON,
Chinese kept readable). Cells that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.formats.cells import safe_text
from luoshi.store.models import AuditLog, ProgressUpdate, Target

__all__ = [
    "CSV_COLUMNS",
    "AuditSubjects",
    "audit_csv_lines",
    "audit_row",
    "audit_subjects",
    "iter_audit",
    "write_audit_csv",
]

CSV_COLUMNS = ("id", "at", "actor", "action", "object_type", "object_id", "before", "after")


def _as_datetime(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.min)


def iter_audit(
    session: Session,
    *,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    newest_first: bool = True,
    limit: int | None = None,
) -> Iterator[AuditLog]:
    query = select(AuditLog)
    if since is not None:
        query = query.where(AuditLog.at >= _as_datetime(since))
    if until is not None:
        query = query.where(AuditLog.at < _as_datetime(until))
    if actor:
        query = query.where(AuditLog.actor_name == actor)
    if action:
        query = query.where(AuditLog.action == action)
    if object_type:
        query = query.where(AuditLog.object_type == object_type)
    if object_id is not None and object_id != "":
        query = query.where(AuditLog.object_id == str(object_id))
    query = query.order_by(AuditLog.id.desc() if newest_first else AuditLog.id.asc())
    if limit is not None:
        query = query.limit(limit)
    yield from session.scalars(query.execution_options(yield_per=500))


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return safe_text(text)  # the one formula guard of every export


def audit_row(row: AuditLog) -> list[str]:
    return [
        str(row.id),
        row.at.isoformat(sep=" ", timespec="seconds") if row.at else "",
        _cell(row.actor_name or ""),
        _cell(row.action),
        _cell(row.object_type),
        _cell(row.object_id or ""),
        "" if row.before is None else _cell(row.before),
        "" if row.after is None else _cell(row.after),
    ]


def _line(values: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def audit_csv_lines(session: Session, **filters: Any) -> Iterator[str]:
    yield _line(CSV_COLUMNS)
    for row in iter_audit(session, **filters):
        yield _line(audit_row(row))


def write_audit_csv(session: Session, out: TextIO, **filters: Any) -> int:
    count = -1  # the header is not a row
    for line in audit_csv_lines(session, **filters):
        out.write(line)
        count += 1
    return count


@dataclass
class AuditSubjects:
    """The targets a page of audit rows is about (for sentences such as 「新建5G基站」的牵头单位…)."""

    # progress update id -> its target, for update rows whose record does not name the target
    target_of_update: dict[int, int] = field(default_factory=dict)
    # target id -> its title (else its indicator; "" when it has neither)
    titles: dict[int, str] = field(default_factory=dict)


def _digits(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def audit_subjects(session: Session, rows: Sequence[AuditLog]) -> AuditSubjects:
    """The targets named by ``rows`` (directly, or through a progress update), read in two queries."""
    target_ids: set[int] = set()
    update_ids: set[int] = set()
    for r in rows:
        oid = _digits(r.object_id)
        if r.object_type == "target" and oid is not None:
            target_ids.add(oid)
        elif r.object_type == "progress_update" and isinstance(r.after, dict) and r.after.get("target_id"):
            target_ids.add(int(r.after["target_id"]))
        elif r.object_type == "progress_update" and oid is not None:
            update_ids.add(oid)
    found = AuditSubjects()
    if update_ids:
        found.target_of_update = {
            uid: tid
            for uid, tid in session.execute(
                select(ProgressUpdate.id, ProgressUpdate.target_id).where(ProgressUpdate.id.in_(update_ids))
            )
        }
    wanted = target_ids | set(found.target_of_update.values())
    if wanted:
        found.titles = {
            tid: (title or indicator or "")
            for tid, title, indicator in session.execute(
                select(Target.id, Target.title, Target.indicator).where(Target.id.in_(wanted))
            )
        }
    return found
