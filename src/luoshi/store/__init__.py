"""Store: SQLAlchemy models, Alembic migrations, engine and session factories, audit trail."""

from luoshi.store.audit import Actor, record_audit
from luoshi.store.database import Store, current_revision, open_store, upgrade_database
from luoshi.store.engine import create_engine_for, normalize_url, session_factory

__all__ = [
    "Actor",
    "Store",
    "create_engine_for",
    "current_revision",
    "normalize_url",
    "open_store",
    "record_audit",
    "session_factory",
    "upgrade_database",
]
