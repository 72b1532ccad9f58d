"""Throttling per (account, address) and per address, with an injected clock (no sleeping).

The attack these tests keep out: a stranger who types wrong passwords for ``admin`` must not
keep ``admin`` from logging in from the office's own address.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from luoshi.accounts import users
from luoshi.accounts.login import (
    LoginFailed,
    LoginThrottled,
    authenticate,
    begin_login,
    check_password,
    finish_login,
    lift_throttle,
    list_throttles,
)
from luoshi.store.models import AuditLog, LoginAttempt

T0 = datetime(2024, 6, 1, 8, 0, 0)
RIGHT, BOB = "right-pass-1", "bob-pass-12"


@pytest.fixture
def settings(settings):  # 3 failures per pair, 5 per address, then 60 s, 120 s, ...
    return settings.with_(login_address_max_failures=5)


@pytest.fixture
def alice(session):
    u = users.create_user(session, "alice", "viewer", password=RIGHT)
    users.create_user(session, "bob", "viewer", password=BOB)
    session.commit()
    return u


def fail(session, settings, name, address, now):
    with pytest.raises(LoginFailed):
        authenticate(session, name, "wrong", address, now, settings)


def test_success_and_failure_recorded(session, settings, alice):
    assert authenticate(session, "alice", RIGHT, "10.0.0.1", T0, settings).id == alice.id
    fail(session, settings, "alice", "10.0.0.1", T0)
    fail(session, settings, "nobody", "10.0.0.1", T0)
    rows = session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(r.username, r.success) for r in rows] == [("alice", True), ("alice", False), ("nobody", False)]


def test_a_stranger_cannot_lock_someone_elses_account(session, settings, alice):
    # the old rule: five wrong passwords from anywhere locked the account for everyone
    t = T0
    for i in range(12):  # three at once, then a wrong try every hour, as the attacker did
        fail(session, settings, "alice", "203.0.113.9", t)
        t += timedelta(minutes=61 if i >= 2 else 0, seconds=1)
    t -= timedelta(minutes=61)
    with pytest.raises(LoginThrottled) as exc:  # the stranger's own pair is slowed down
        authenticate(session, "alice", "wrong", "203.0.113.9", t, settings)
    assert "address" in str(exc.value)
    # ... but alice from her office logs in at once, every time
    for k in range(3):
        assert authenticate(session, "alice", RIGHT, "10.0.0.5", t + timedelta(seconds=2 + k), settings)


def test_pair_throttle_grows(session, settings, alice):
    settings = settings.with_(login_address_max_failures=10)
    for i in range(3):
        fail(session, settings, "alice", "10.0.0.1", T0 + timedelta(seconds=i))
    last = T0 + timedelta(seconds=2)
    with pytest.raises(LoginThrottled) as exc:  # the right password is not even tried
        authenticate(session, "alice", RIGHT, "10.0.0.1", last + timedelta(seconds=10), settings)
    assert exc.value.retry_after == 50 and "50" in str(exc.value)
    # the same account from another address, another account from this address: unaffected
    assert authenticate(session, "alice", RIGHT, "10.9.9.9", last + timedelta(seconds=10), settings)
    assert authenticate(session, "bob", BOB, "10.0.0.1", last + timedelta(seconds=10), settings)
    # after the wait: a fourth failure doubles the delay
    t = last + timedelta(seconds=60)
    fail(session, settings, "alice", "10.0.0.1", t)
    with pytest.raises(LoginThrottled) as exc:
        authenticate(session, "alice", RIGHT, "10.0.0.1", t + timedelta(seconds=100), settings)
    assert exc.value.retry_after == 20
    # then the right password works and resets the pair's counter
    t2 = t + timedelta(seconds=120)
    assert authenticate(session, "alice", RIGHT, "10.0.0.1", t2, settings).username == "alice"
    fail(session, settings, "alice", "10.0.0.1", t2 + timedelta(seconds=1))
    assert authenticate(session, "alice", RIGHT, "10.0.0.1", t2 + timedelta(seconds=2), settings)


def test_per_address_throttle_across_accounts(session, settings, alice):
    for i, name in enumerate(["alice", "bob", "carol", "dan", "eve"]):
        fail(session, settings, name, "192.0.2.7", T0 + timedelta(seconds=i))
    with pytest.raises(LoginThrottled) as exc:
        authenticate(session, "bob", BOB, "192.0.2.7", T0 + timedelta(seconds=10), settings)
    assert exc.value.reason == "address" and exc.value.retry_after == 54
    # the same account from another address is fine
    assert authenticate(session, "bob", BOB, "192.0.2.8", T0 + timedelta(seconds=10), settings)
    # a success does not reset the address counter; the window does
    assert authenticate(session, "alice", RIGHT, "192.0.2.7", T0 + timedelta(minutes=2), settings)


def test_office_sees_and_lifts_a_throttle(session, settings, alice):
    for i in range(3):
        fail(session, settings, "alice", "10.0.0.1", T0 + timedelta(seconds=i))
    fail(session, settings, "alice", "10.0.0.1", T0 + timedelta(seconds=70))
    now = T0 + timedelta(seconds=80)
    shown = list_throttles(session, now, settings)
    assert [(t.username, t.address, t.failures) for t in shown] == [("alice", "10.0.0.1", 4)]
    assert shown[0].wait_seconds == 120 - 10
    with pytest.raises(LoginThrottled):
        authenticate(session, "alice", RIGHT, "10.0.0.1", now, settings)
    assert lift_throttle(session, "alice", "10.0.0.1", actor="admin", now=now) == 4
    session.commit()
    assert list_throttles(session, now, settings) == []
    assert authenticate(session, "alice", RIGHT, "10.0.0.1", now, settings)
    assert len(session.scalars(select(LoginAttempt)).all()) == 5  # nothing deleted: cleared, kept
    audit = session.scalars(select(AuditLog).where(AuditLog.action == "lift_throttle")).one()
    assert audit.after["cleared"] == 4 and audit.actor_name == "admin"


def test_steps_hold_no_transaction_while_hashing(store, settings, alice):
    """begin -> (commit) -> argon2 -> finish: the hashing step gets no session at all."""
    with store.sessionmaker() as s:
        check = begin_login(s, "alice", "10.0.0.1", T0, settings)
        s.commit()
        assert not s.in_transaction()
        outcome = check_password(check, RIGHT)
        assert not s.in_transaction() and outcome.ok
        assert finish_login(s, check, outcome).username == "alice"


def test_a_password_changed_between_the_steps_does_not_log_in(store, settings, alice):
    with store.sessionmaker() as s:
        check = begin_login(s, "alice", "", T0, settings)
        s.commit()
        outcome = check_password(check, RIGHT)
        users.set_password(s, s.get(type(alice), alice.id), "another-pass-9")
        s.commit()
        with pytest.raises(LoginFailed):
            finish_login(s, check, outcome)


def test_inactive_user_cannot_log_in(session, settings, alice):
    users.deactivate(session, alice)
    session.commit()
    fail(session, settings, "alice", "", T0)
    with pytest.raises(LoginFailed):
        authenticate(session, "alice", RIGHT, "", T0, settings)


def test_user_without_password_cannot_log_in(session, settings):
    users.create_user(session, "nopass", "viewer")
    session.commit()
    with pytest.raises(LoginFailed):
        authenticate(session, "nopass", "", "", T0, settings)


def test_failure_recorded_although_an_error_follows(store, settings, alice):
    # authenticate commits itself (so not inside store.session()'s one-transaction block)
    with pytest.raises(LoginFailed), store.sessionmaker() as s:
        authenticate(s, "alice", "nope", "", T0, settings)
        s.rollback()
    with store.session() as s:
        assert s.scalars(select(LoginAttempt)).one().success is False
