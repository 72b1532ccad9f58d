"""Throttling per account and per address with an injected clock (no sleeping)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from luoshi.accounts import users
from luoshi.accounts.login import LoginFailed, LoginThrottled, authenticate
from luoshi.store.models import LoginAttempt

T0 = datetime(2024, 6, 1, 8, 0, 0)


@pytest.fixture
def alice(session):
    u = users.create_user(session, "alice", "viewer", password="right")
    users.create_user(session, "bob", "viewer", password="bobpw")
    session.commit()
    return u


def fail(session, settings, name, address, now):
    with pytest.raises(LoginFailed):
        authenticate(session, name, "wrong", address, now, settings)


def test_success_and_failure_recorded(session, settings, alice):
    assert authenticate(session, "alice", "right", "10.0.0.1", T0, settings).id == alice.id
    fail(session, settings, "alice", "10.0.0.1", T0)
    fail(session, settings, "nobody", "10.0.0.1", T0)
    rows = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(r.username, r.success) for r in rows] == [("alice", True), ("alice", False), ("nobody", False)]


def test_per_account_throttle_doubles(session, settings, alice):
    # settings: 3 failures allowed, then 60 s, 120 s, ... ; a different address each time
    for i in range(3):
        fail(session, settings, "alice", f"10.0.0.{i}", T0 + timedelta(seconds=i))
    last = T0 + timedelta(seconds=2)
    with pytest.raises(LoginThrottled) as exc:
        authenticate(session, "alice", "right", "10.9.9.9", last + timedelta(seconds=10), settings)
    assert exc.value.retry_after == 50 and "50" in str(exc.value) and "account" in str(exc.value)
    # other accounts are unaffected
    assert authenticate(session, "bob", "bobpw", "10.9.9.9", last + timedelta(seconds=10), settings)
    # after the wait: a fourth failure doubles the delay
    t = last + timedelta(seconds=60)
    fail(session, settings, "alice", "10.1.1.1", t)
    with pytest.raises(LoginThrottled) as exc:
        authenticate(session, "alice", "right", "10.9.9.8", t + timedelta(seconds=100), settings)
    assert exc.value.retry_after == 20
    # then the right password works and resets the account counter
    t2 = t + timedelta(seconds=120)
    assert authenticate(session, "alice", "right", "10.9.9.7", t2, settings).username == "alice"
    fail(session, settings, "alice", "10.2.2.2", t2 + timedelta(seconds=1))
    assert authenticate(session, "alice", "right", "10.2.2.3", t2 + timedelta(seconds=2), settings)


def test_per_address_throttle_across_accounts(session, settings, alice):
    for i, name in enumerate(["alice", "bob", "carol"]):
        fail(session, settings, name, "192.0.2.7", T0 + timedelta(seconds=i))
    with pytest.raises(LoginThrottled) as exc:
        authenticate(session, "bob", "bobpw", "192.0.2.7", T0 + timedelta(seconds=5), settings)
    assert "address" in str(exc.value) and exc.value.retry_after == 57
    # the same account from another address is fine (bob has only 1 failure)
    assert authenticate(session, "bob", "bobpw", "192.0.2.8", T0 + timedelta(seconds=5), settings)
    # a success does not reset the address counter; the window does
    with pytest.raises(LoginThrottled):
        authenticate(session, "alice", "right", "192.0.2.7", T0 + timedelta(seconds=30), settings)
    assert authenticate(session, "alice", "right", "192.0.2.7", T0 + timedelta(minutes=2), settings)


def test_inactive_user_cannot_log_in(session, settings, alice):
    users.deactivate(session, alice)
    session.commit()
    fail(session, settings, "alice", "", T0)
    with pytest.raises(LoginFailed):
        authenticate(session, "alice", "right", "", T0, settings)


def test_user_without_password_cannot_log_in(session, settings):
    users.create_user(session, "nopass", "viewer")
    session.commit()
    with pytest.raises(LoginFailed):
        authenticate(session, "nopass", "", "", T0, settings)


def test_inside_store_session_block(store, settings, alice):
    # the web app may use store.session(); the failure must still be recorded
    with pytest.raises(LoginFailed), store.session() as s:
        authenticate(s, "alice", "nope", "", T0, settings)
    with store.session() as s:
        assert s.scalars(select(LoginAttempt)).one().success is False
