"""The health check's read: one real read of a table through the request's session.

``select 1`` would not even open an SQLite file; reading the migration row does, on every
backend. Raises whatever the driver raises (the caller classifies it, luoshi.store.faults)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["read_check"]


def read_check(session: Session) -> None:
    session.execute(text("SELECT version_num FROM alembic_version")).all()
