"""The append-only audit trail: every service that changes data calls :func:`record_audit`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from luoshi.store.models import AuditLog, User, utcnow

__all__ = ["Actor", "actor_fields", "insert_audit", "insert_audits", "jsonable", "record_audit"]

# An actor is a User row, a plain name (e.g. "cli", "system", "demo"), or None (= "system").
Actor = User | str | None


def actor_fields(actor: Actor) -> tuple[int | None, str]:
    """(user id, display name) of an actor."""
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor
    return actor.id, actor.username


def jsonable(value: Any) -> Any:
    """Dates and other values made JSON-safe for the before/after columns."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def record_audit(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    before: Any = None,
    after: Any = None,
) -> AuditLog:
    """Add one audit row in the caller's transaction (committed or rolled back with the change)."""
    row = AuditLog(**_row_values(actor, action, object_type, object_id, before, after))
    session.add(row)
    return row


def insert_audit(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    before: Any = None,
    after: Any = None,
) -> None:
    """Like :func:`record_audit`, but written at once by a plain INSERT in the caller's transaction.

    For hot paths (one API progress update): it spares the ORM's unit of work a second flush.
    The row is still rolled back with the change if the transaction fails.
    """
    insert_audits(session, actor, [(action, object_type, object_id, before, after)])


def insert_audits(session: Session, actor: Actor, rows: Sequence[tuple[str, str, Any, Any, Any]]) -> None:
    """:func:`insert_audit` for many rows ``(action, object_type, object_id, before, after)`` of
    one actor: one executemany (a batch of progress reports), in the caller's transaction."""
    if not rows:
        return
    at = utcnow()
    session.connection().execute(_AUDIT_INSERT, [{"at": at, **_row_values(actor, *row)} for row in rows])


def _row_values(
    actor: Actor, action: str, object_type: str, object_id: Any, before: Any, after: Any
) -> dict[str, Any]:
    actor_id, actor_name = actor_fields(actor)
    return {
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "before": jsonable(before),
        "after": jsonable(after),
    }


_AUDIT_INSERT = insert(cast(Table, AuditLog.__table__))  # declarative types __table__ as any FromClause
