from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from luoshi.accounts import tokens, users
from luoshi.accounts.passwords import verify_password
from luoshi.errors import InputError, NotFoundError
from luoshi.store.models import ApiToken, AuditLog, Department, User


def test_create_user_audited_and_hashed(session):
    u = users.create_user(
        session, "zhang", "reporter", department="区发改局", password="s3cret-pass", actor="cli"
    )
    session.commit()
    assert u.department.name == "区发改局"
    assert verify_password(u.password_hash, "s3cret-pass") and "s3cret-pass" not in u.password_hash
    rows = session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(r.action, r.object_type) for r in rows] == [("create", "department"), ("create", "user")]
    assert rows[1].actor_name == "cli"
    assert rows[1].after["role"] == "reporter" and rows[1].after["has_password"] is True
    assert "s3cret-pass" not in str(rows[1].after) and "argon2" not in str(rows[1].after)


def test_create_user_validation(session):
    with pytest.raises(InputError, match="填报员须指定所属单位"):
        users.create_user(session, "li", "reporter")
    with pytest.raises(InputError, match="未知的角色"):
        users.create_user(session, "li", "superuser")
    with pytest.raises(InputError, match="用户名「.*」不合规"):
        users.create_user(session, "a b", "viewer")
    users.create_user(session, "li", "viewer")
    with pytest.raises(InputError, match="已存在"):
        users.create_user(session, "li", "admin")
    with pytest.raises(NotFoundError):
        users.get_user(session, "nobody")


def test_no_default_password(session):
    u = users.create_user(session, "wang", "viewer")
    assert u.password_hash is None


def test_update_set_password_deactivate(session):
    admin = users.create_user(session, "root", "admin", password="root-pass-1")
    u = users.create_user(session, "zhao", "viewer", actor=admin)
    users.update_user(session, u, admin, role="reporter", department="区财政局")
    assert u.role == "reporter" and u.department.name == "区财政局"
    users.set_password(session, u, "new-pass", actor=admin)
    assert verify_password(u.password_hash, "new-pass")
    plain, _row = tokens.create_token(session, u, "script")
    users.deactivate(session, u, actor=admin)
    session.commit()
    assert tokens.verify_token(session, plain) is None
    actions = [r.action for r in session.scalars(select(AuditLog).where(AuditLog.object_type == "user"))]
    assert actions == ["create", "create", "update", "set_password", "deactivate"]
    assert [x.username for x in users.list_users(session, include_inactive=False)] == ["root"]


def test_demo_users(session):
    made = users.create_demo_users(session, "区住建局")
    session.commit()
    assert [m[0] for m in made] == ["admin", "leader", "reporter", "viewer"]
    reporter = users.get_user(session, "reporter")
    assert reporter.department.name == "区住建局"
    for name in ("admin", "leader", "reporter", "viewer"):
        assert verify_password(users.get_user(session, name).password_hash, "demo")
    users.create_demo_users(session, "区住建局")  # idempotent
    assert session.scalar(select(text("count(*)")).select_from(User)) == 4
    assert session.scalar(select(text("count(*)")).select_from(Department)) == 1


def test_token_shown_once_stored_hashed(session, store):
    u = users.create_user(session, "ops", "admin")
    plain, row = tokens.create_token(session, u, "cron")
    session.commit()
    assert plain.startswith("lsh_") and len(plain) > 40
    assert row.token_hash != plain and len(row.token_hash) == 64
    # the plain token appears nowhere in the database file
    with store.engine.connect() as conn:
        for table in ("api_tokens", "audit_log"):
            dump = str(conn.execute(text(f"select * from {table}")).all())
            assert plain not in dump and plain[4:] not in dump
    assert tokens.verify_token(session, plain).username == "ops"
    assert tokens.verify_token(session, "Bearer " + plain).username == "ops"
    assert tokens.verify_token(session, plain + "x") is None
    assert tokens.verify_token(session, "") is None
    assert row.last_used_at is not None
    tokens.revoke_token(session, row.id, actor=u)
    session.commit()
    assert tokens.verify_token(session, plain) is None
    assert [t.revoked_at is not None for t in tokens.list_tokens(session, u)] == [True]
    with pytest.raises(NotFoundError):
        tokens.revoke_token(session, 999)


def test_token_last_used_touch_is_rate_limited(session):
    u = users.create_user(session, "bot", "viewer")
    plain, row = tokens.create_token(session, u)
    t0 = datetime(2024, 5, 1, 9, 0, 0)
    tokens.verify_token(session, plain, now=t0)
    tokens.verify_token(session, plain, now=t0 + timedelta(seconds=10))
    assert row.last_used_at == t0
    tokens.verify_token(session, plain, now=t0 + timedelta(seconds=61))
    assert row.last_used_at == t0 + timedelta(seconds=61)
    assert session.scalars(select(ApiToken)).one().token_hash == tokens.hash_token(plain)
