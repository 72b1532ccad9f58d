"""Append-only enforcement of the audit trail at the ORM level.

``install_append_only_guard()`` registers SQLAlchemy event listeners (idempotent, process-wide)
that raise :class:`AppendOnlyViolation` when the application tries to UPDATE or DELETE an
``audit_log`` row: through the unit of work (``before_flush``, mapper ``before_update`` /
``before_delete``) or through an ORM bulk ``update(AuditLog)`` / ``delete(AuditLog)`` statement
(``do_orm_execute``). Inserts are untouched.

Importing ``luoshi.store`` calls it, so every process that uses the models is guarded. Other
append-only classes can be passed in ``extra`` (e.g. ``ProgressUpdate``); the audit table is
always included. Raw SQL is stopped by the database triggers of the migrations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.models import AuditLog

__all__ = ["AppendOnlyViolation", "install_append_only_guard", "protected_classes"]

_PROTECTED: set[type] = set()
_SESSION_HOOKED = False


class AppendOnlyViolation(LuoshiError):
    """An attempt to change or delete a row of an append-only table."""


def protected_classes() -> frozenset[type]:
    return frozenset(_PROTECTED)


def _refuse(kind: str, obj_or_cls: Any) -> None:
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    table = getattr(cls, "__tablename__", cls.__name__)
    raise AppendOnlyViolation(f"{table} is append-only: {kind} refused")


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if type(obj) in _PROTECTED:
            _refuse("delete", obj)
    for obj in session.dirty:
        if type(obj) in _PROTECTED and session.is_modified(obj, include_collections=False):
            _refuse("update", obj)


def _on_orm_execute(state: Any) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if mapper.class_ in _PROTECTED:
            _refuse("bulk update" if state.is_update else "bulk delete", mapper.class_)


def _mapper_update(_mapper: Any, _conn: Any, target: Any) -> None:
    _refuse("update", target)


def _mapper_delete(_mapper: Any, _conn: Any, target: Any) -> None:
    _refuse("delete", target)


def install_append_only_guard(extra: tuple[type, ...] = ()) -> None:
    """Register the listeners (once per class; repeated calls are harmless)."""
    global _SESSION_HOOKED
    for cls in (AuditLog, *extra):
        if cls in _PROTECTED:
            continue
        event.listen(cls, "before_update", _mapper_update)
        event.listen(cls, "before_delete", _mapper_delete)
        _PROTECTED.add(cls)
    if not _SESSION_HOOKED:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "do_orm_execute", _on_orm_execute)
        _SESSION_HOOKED = True
