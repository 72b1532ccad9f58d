"""Bookkeeping beside a request's own work: a credential's last use (a login session's
``last_seen_at``, an API token's ``last_used_at``), at most once a minute.

Interface::

    touch(session, model, row_id, writer=None, **values) -> None

Without ``writer`` the values are written in ``session`` and stand or fall with it (the caller
commits). With ``writer`` (e.g. ``Store.session``) they are written in a short transaction of
its own: a request that only reads then never writes through its read session (on SQLite a
deferred read transaction is never turned into a write outside the store's write lock), and the
write stands whatever becomes of the request, so a request that fails does not leave the stamp
old for the next one to write again. A busy or failing store skips it: that only delays the
stamp to a later request.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from luoshi.store.faults import StorageError

__all__ = ["Writer", "touch"]

Writer = Callable[[], AbstractContextManager[Session]]


def touch(session: Session, model: Any, row_id: int, writer: Writer | None = None, **values: Any) -> None:
    """Set ``values`` on row ``row_id`` of ``model``: in ``session``, or in ``writer``'s own transaction."""
    if writer is None:
        row = session.get_one(model, row_id)  # no query when the row is loaded already
        for name, value in values.items():
            setattr(row, name, value)
        return
    try:
        with writer() as w:
            w.execute(update(model).where(model.id == row_id).values(**values))
    except (StorageError, OperationalError):
        pass  # a busy store only delays the stamp to a later request
