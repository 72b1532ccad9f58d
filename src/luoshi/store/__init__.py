"""Store: SQLAlchemy models, Alembic migrations, engine and session factories, audit trail.

Modules: ``models``, ``database`` (open and migrate), ``engine``, ``audit`` (write the audit
trail), ``audit_guard`` (its append-only enforcement), ``audit_export`` (read it, CSV),
``backup`` (``luoshi backup``), ``files`` (evidence uploads), ``faults``, ``cancel`` (stopping
the database work of a request whose client has gone), ``touch`` (a credential's last-use stamp,
beside a request's own transaction).

Importing this package registers the audit trail's append-only guard (ORM event listeners on
the ``AuditLog`` class, see ``audit_guard``): every process that uses the models — the web app,
the CLI, notify — is then unable to update or delete audit rows through the ORM, without relying
on a factory remembering to call it. It builds no engine and opens no connection.
"""

from luoshi.store.audit import Actor, record_audit
from luoshi.store.audit_guard import install_append_only_guard
from luoshi.store.database import Store, current_revision, open_store, upgrade_database
from luoshi.store.engine import create_engine_for, normalize_url, session_factory

install_append_only_guard()

__all__ = [
    "Actor",
    "Store",
    "create_engine_for",
    "current_revision",
    "install_append_only_guard",
    "normalize_url",
    "open_store",
    "record_audit",
    "session_factory",
    "upgrade_database",
]
