from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from luoshi.accounts import users
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.audit import record_audit
from luoshi.store.audit_export import iter_audit, write_audit_csv
from luoshi.store.audit_guard import AppendOnlyViolation, install_append_only_guard
from luoshi.store.models import AuditLog


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    store = open_store(Settings(database_url=db_url))
    try:
        with store.sessionmaker() as s:
            yield s
    finally:
        store.dispose()


@pytest.fixture
def guarded():
    install_append_only_guard()
    install_append_only_guard()  # idempotent


def test_audit_rows_cannot_be_updated_or_deleted(session, guarded):
    users.create_user(session, "a1", "viewer", actor="cli")
    session.commit()
    row = session.scalars(select(AuditLog)).one()
    row.action = "forged"
    with pytest.raises(AppendOnlyViolation, match="append-only"):
        session.flush()
    session.rollback()
    session.delete(session.scalars(select(AuditLog)).one())
    with pytest.raises(AppendOnlyViolation):
        session.flush()
    session.rollback()
    with pytest.raises(AppendOnlyViolation):
        session.execute(update(AuditLog).values(action="x"))
    session.rollback()
    with pytest.raises(AppendOnlyViolation):
        session.execute(delete(AuditLog))
    session.rollback()
    assert session.scalars(select(AuditLog)).one().action == "create"
    # appending still works
    record_audit(session, None, "note", "system", None)
    session.commit()
    assert session.query(AuditLog).count() == 2


def test_csv_export_with_filters(session):
    record_audit(session, "cli", "create", "target", 1, None, {"title": "新建5G基站300座"})
    record_audit(session, "cli", "update", "target", 1, {"title": "a"}, {"title": "=HYPERLINK(1)"})
    record_audit(session, "admin", "update", "user", 2, {"role": "viewer"}, {"role": "leader"})
    session.commit()
    out = io.StringIO()
    assert write_audit_csv(session, out, object_type="target") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["action"] for r in rows] == ["update", "create"]  # newest first
    assert "新建5G基站300座" in rows[1]["after"]
    assert rows[0]["after"].startswith('{"title": "=HYPERLINK')  # JSON text, not a formula
    out2 = io.StringIO()
    assert write_audit_csv(session, out2, actor="admin", newest_first=False) == 1
    assert list(csv.reader(io.StringIO(out2.getvalue())))[0][:3] == ["id", "at", "actor"]
    assert list(iter_audit(session, since=datetime(2999, 1, 1))) == []
    assert len(list(iter_audit(session, object_id=1))) == 2
    empty = io.StringIO()
    assert write_audit_csv(session, empty, action="none") == 0 and empty.getvalue().startswith("id,")


def test_formula_cells_are_defused(session):
    record_audit(session, "=cmd|' /C calc'!A0", "create", "user", 1)
    session.commit()
    out = io.StringIO()
    write_audit_csv(session, out)
    row = list(csv.DictReader(io.StringIO(out.getvalue())))[0]
    assert row["actor"].startswith("'=")


def test_guard_is_active_in_any_process_using_the_store(tmp_path):
    """A fresh process that only imports the store (as the web app, the CLI and notify do) is guarded."""
    import subprocess
    import sys

    script = f"""
from sqlalchemy import update
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.audit import record_audit
from luoshi.store.models import AuditLog
store = open_store(Settings(database_url="sqlite:///{tmp_path / "g.db"}"))
with store.session() as s:
    record_audit(s, "x", "create", "user", 1)
try:
    with store.session() as s:
        s.execute(update(AuditLog).values(action="forged"))
    print("UPDATED")
except Exception as exc:
    print(type(exc).__name__)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "AppendOnlyViolation", out.stderr
