"""Password login, throttled per (account, address) as in a bank's web app.

Interface::

    # the web app, in three steps: no transaction is open and no lock held while argon2 runs
    check = begin_login_released(session, username, address, settings)  # LoginThrottled; then commits
    outcome = check_password(check, password)     # argon2, CPU only: run it in a worker thread
    user = finish_login(session, check, outcome)  # records the attempt, COMMITS; LoginFailed
    # the same in one call (scripts, tests); commits between the steps, so give it a plain
    # session (``store.sessionmaker()``), not one inside ``store.session()``'s single transaction
    user = authenticate(session, username, password, address, now=None, settings=None)

    throttle_wait(session, username, address, now, settings) -> int   # seconds to wait, 0 if none
    list_throttles(session, now, settings) -> list[Throttle]          # for the office's page
    lift_throttle(session, username, address, actor, now=None) -> int # failures cleared (audited)

Rule (``login_max_failures`` = N, ``login_address_max_failures`` = M, ``login_lockout_seconds`` = B):
- per (account, address): after N failures of that account FROM THAT ADDRESS since its last
  success there (within a day), the next try waits B seconds after the last failure, doubling
  with each further failure. A stranger elsewhere never slows the owner down: there is no lock
  on an account as such, only on a guesser's own address.
- per address: after M failures from one address in the last hour, whatever the accounts (a
  guesser trying many accounts), the same growing delay for that address.
The wait is capped at one hour; the office can lift a throttle (``cleared_at``), audited.
Failed attempts refused by the throttle are not recorded (they never test a password), so a
wrong try an hour cannot keep even the guesser's own pair locked for longer than the rule says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from luoshi.accounts.passwords import hash_password, needs_rehash, verify_password
from luoshi.errors import PermissionDenied
from luoshi.settings import Settings
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import LoginAttempt, User, utcnow

__all__ = [
    "LoginCheck",
    "LoginFailed",
    "LoginThrottled",
    "PasswordOutcome",
    "Throttle",
    "authenticate",
    "begin_login",
    "begin_login_released",
    "check_password",
    "finish_login",
    "lift_throttle",
    "list_throttles",
    "throttle_wait",
]

PAIR_WINDOW = timedelta(days=1)
ADDRESS_WINDOW = timedelta(hours=1)
MAX_WAIT_SECONDS = 3600
_DUMMY_HASH = hash_password("luoshi-timing-equaliser")


class LoginFailed(PermissionDenied):
    """Wrong user name or password (or a deactivated account)."""

    def __init__(self) -> None:
        super().__init__("用户名或密码错误 (wrong user name or password)")


class LoginThrottled(PermissionDenied):
    """Too many failed logins: ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int, reason: str) -> None:
        self.retry_after = retry_after
        self.reason = reason
        super().__init__(
            f"登录失败次数过多，请在 {retry_after} 秒后再试 "
            f"(too many failed logins for this {reason}; try again in {retry_after} s)"
        )


@dataclass(frozen=True)
class LoginCheck:
    """What ``check_password`` needs, read before any hashing (no session object inside)."""

    username: str
    address: str
    now: datetime
    user_id: int | None
    stored_hash: str | None
    active: bool


@dataclass(frozen=True)
class PasswordOutcome:
    ok: bool
    new_hash: str | None = None  # set when the stored hash used weaker parameters


@dataclass(frozen=True)
class Throttle:
    username: str  # "" for an address-wide throttle
    address: str
    failures: int
    last_failure: datetime
    wait_seconds: int


def _delay(failures: int, limit: int, base: int) -> int:
    return int(min(base * 2 ** (failures - limit), MAX_WAIT_SECONDS))


def _wait_for(
    failures: int, limit: int, last_failure: datetime | None, now: datetime, settings: Settings
) -> int:
    if last_failure is None or failures < limit:
        return 0
    remaining = (
        last_failure + timedelta(seconds=_delay(failures, limit, settings.login_lockout_seconds)) - now
    ).total_seconds()
    return max(0, math.ceil(remaining))


def _pair_since(session: Session, username: str, address: str, now: datetime) -> datetime:
    since = now - PAIR_WINDOW
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username,
            LoginAttempt.address == address,
            LoginAttempt.success.is_(True),
            LoginAttempt.at >= since,
        )
    )
    return last_ok if last_ok is not None and last_ok > since else since


def _pair_wait(session: Session, username: str, address: str, now: datetime, settings: Settings) -> int:
    count, last = session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username,
            LoginAttempt.address == address,
            LoginAttempt.success.is_(False),
            LoginAttempt.cleared_at.is_(None),
            LoginAttempt.at >= _pair_since(session, username, address, now),
        )
    ).one()
    return _wait_for(count, settings.login_max_failures, last, now, settings)


def _address_wait(session: Session, address: str, now: datetime, settings: Settings) -> int:
    if not address:
        return 0
    count, last = session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            LoginAttempt.address == address,
            LoginAttempt.success.is_(False),
            LoginAttempt.cleared_at.is_(None),
            LoginAttempt.at >= now - ADDRESS_WINDOW,
        )
    ).one()
    return _wait_for(count, settings.login_address_max_failures, last, now, settings)


def throttle_wait(session: Session, username: str, address: str, now: datetime, settings: Settings) -> int:
    """Seconds before the next attempt for this account FROM this address is allowed (0: go ahead)."""
    return max(
        _pair_wait(session, username, address, now, settings), _address_wait(session, address, now, settings)
    )


def begin_login(
    session: Session,
    username: str,
    address: str,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> LoginCheck:
    """Step 1 (reads only): refuse a throttled (account, address); fetch the stored hash."""
    settings = settings or Settings()
    now = now or utcnow()
    username = (username or "").strip()[:100]
    address = (address or "")[:100]
    pair_wait = _pair_wait(session, username, address, now, settings)
    address_wait = _address_wait(session, address, now, settings)
    if pair_wait or address_wait:
        reason = "account from this address" if pair_wait >= address_wait else "address"
        raise LoginThrottled(max(pair_wait, address_wait), reason)
    found = session.execute(
        select(User.id, User.password_hash, User.active).where(User.username == username)
    ).first()
    if found is None:
        return LoginCheck(username, address, now, None, None, False)
    return LoginCheck(username, address, now, found.id, found.password_hash, bool(found.active))


def begin_login_released(
    session: Session, username: str, address: str, settings: Settings | None = None
) -> LoginCheck:
    """Step 1, then end the read transaction (also on refusal): nothing stays open, and on SQLite
    nothing stays locked, while the password is hashed."""
    try:
        return begin_login(session, username, address, settings=settings)
    finally:
        session.commit()


def check_password(check: LoginCheck, password: str) -> PasswordOutcome:
    """Step 2: argon2 only, no database: the caller runs it in a worker thread, holding no lock."""
    if check.user_id is None or not check.stored_hash:
        verify_password(_DUMMY_HASH, password or "x")  # same time as a real check
        return PasswordOutcome(False)
    ok = verify_password(check.stored_hash, password) and check.active
    new_hash = hash_password(password) if ok and needs_rehash(check.stored_hash) else None
    return PasswordOutcome(ok, new_hash)


def finish_login(session: Session, check: LoginCheck, outcome: PasswordOutcome) -> User:
    """Step 3: record the attempt and COMMIT (a failure counts even though LoginFailed follows)."""
    session.add(
        LoginAttempt(username=check.username, address=check.address, at=check.now, success=outcome.ok)
    )
    user = session.get(User, check.user_id) if outcome.ok and check.user_id is not None else None
    # changed between the steps (deactivated, a new password set): this try does not count as a login
    ok = user is not None and bool(user.active) and user.password_hash == check.stored_hash
    if ok and user is not None and outcome.new_hash:
        user.password_hash = outcome.new_hash
    session.commit()
    if not ok or user is None:
        raise LoginFailed()
    return user


def authenticate(
    session: Session,
    username: str,
    password: str,
    address: str = "",
    now: datetime | None = None,
    settings: Settings | None = None,
) -> User:
    """The three steps in one call; the read transaction ends before the password is hashed."""
    try:
        check = begin_login(session, username, address, now, settings)
    finally:
        session.commit()  # no transaction (on SQLite: no lock) stays open while argon2 runs
    return finish_login(session, check, check_password(check, password))


def list_throttles(
    session: Session, now: datetime | None = None, settings: Settings | None = None
) -> list[Throttle]:
    """Pairs and addresses with uncleared failures in their window, most failures first."""
    settings = settings or Settings()
    now = now or utcnow()
    out: list[Throttle] = []
    pairs = session.execute(
        select(
            LoginAttempt.username,
            LoginAttempt.address,
            func.count(LoginAttempt.id),
            func.max(LoginAttempt.at),
        )
        .where(
            LoginAttempt.success.is_(False),
            LoginAttempt.cleared_at.is_(None),
            LoginAttempt.at >= now - PAIR_WINDOW,
        )
        .group_by(LoginAttempt.username, LoginAttempt.address)
    ).all()
    for username, address, _count, _last in pairs:
        since = _pair_since(session, username, address, now)
        count, last = session.execute(
            select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
                LoginAttempt.username == username,
                LoginAttempt.address == address,
                LoginAttempt.success.is_(False),
                LoginAttempt.cleared_at.is_(None),
                LoginAttempt.at >= since,
            )
        ).one()
        if count:
            out.append(
                Throttle(
                    username,
                    address,
                    count,
                    last,
                    _wait_for(count, settings.login_max_failures, last, now, settings),
                )
            )
    addresses = session.execute(
        select(LoginAttempt.address, func.count(LoginAttempt.id), func.max(LoginAttempt.at))
        .where(
            LoginAttempt.success.is_(False),
            LoginAttempt.cleared_at.is_(None),
            LoginAttempt.address != "",
            LoginAttempt.at >= now - ADDRESS_WINDOW,
        )
        .group_by(LoginAttempt.address)
    ).all()
    for address, count, last in addresses:
        if count >= settings.login_address_max_failures:
            out.append(
                Throttle(
                    "",
                    address,
                    count,
                    last,
                    _wait_for(count, settings.login_address_max_failures, last, now, settings),
                )
            )
    return sorted(out, key=lambda t: (-t.wait_seconds, -t.failures, t.username, t.address))


def lift_throttle(
    session: Session, username: str, address: str, actor: Actor = None, now: datetime | None = None
) -> int:
    """Clear the uncleared failures of (username, address) — of the whole address when
    ``username`` is empty. Rows stay for the record; returns how many were cleared."""
    now = now or utcnow()
    where = [
        LoginAttempt.success.is_(False),
        LoginAttempt.cleared_at.is_(None),
        LoginAttempt.address == address,
    ]
    if username:
        where.append(LoginAttempt.username == username)
    result = session.execute(update(LoginAttempt).where(and_(*where)).values(cleared_at=now))
    cleared = int(result.rowcount or 0)  # type: ignore[attr-defined]
    record_audit(
        session,
        actor,
        "lift_throttle",
        "login_throttle",
        f"{username}@{address}"[:100],
        None,
        {"username": username, "address": address, "cleared": cleared},
    )
    return cleared
