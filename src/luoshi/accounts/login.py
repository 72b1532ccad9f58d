"""Password login with throttling per account AND per address.

Interface (for the ``/login`` form)::

    user = authenticate(session, username, password, address, now=None, settings=None)
        # -> User; raises LoginFailed (wrong name or password, or inactive account: one message
        # for all, so names cannot be probed) or LoginThrottled (.retry_after seconds).
    throttle_wait(session, username, address, now, settings) -> int   # seconds to wait, 0 if none

Every attempt that reaches the password check is recorded in ``login_attempts`` and COMMITTED
here, so a failure counts even though an exception follows. Attempts refused because of
throttling are not recorded (they never test a password).

Rule (``settings.login_max_failures`` = N, ``settings.login_lockout_seconds`` = B):
- per account: after N consecutive failures since its last successful login (within a day), the
  next attempt must wait B seconds after the last failure, doubling with each further failure;
- per address: the same count over the failures from that address in the last hour, whatever
  the account (this slows down guessing across many accounts); a success does not reset it.
The wait is capped at one hour.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.accounts.passwords import hash_password, needs_rehash, verify_password
from luoshi.errors import PermissionDenied
from luoshi.settings import Settings
from luoshi.store.models import LoginAttempt, User, utcnow

__all__ = ["LoginFailed", "LoginThrottled", "authenticate", "throttle_wait"]

ACCOUNT_WINDOW = timedelta(days=1)
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
        super().__init__(
            f"登录失败次数过多，请在 {retry_after} 秒后再试 "
            f"(too many failed logins for this {reason}; try again in {retry_after} s)"
        )


def _wait_for(failures: int, last_failure: datetime | None, now: datetime, settings: Settings) -> int:
    if last_failure is None or failures < settings.login_max_failures:
        return 0
    delay = min(settings.login_lockout_seconds * 2 ** (failures - settings.login_max_failures), MAX_WAIT_SECONDS)
    remaining = (last_failure + timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def _account_wait(session: Session, username: str, now: datetime, settings: Settings) -> int:
    since = now - ACCOUNT_WINDOW
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.success.is_(True), LoginAttempt.at >= since
        )
    )
    count, last = session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username,
            LoginAttempt.success.is_(False),
            LoginAttempt.at >= (last_ok if last_ok and last_ok > since else since),
        )
    ).one()
    return _wait_for(count, last, now, settings)


def _address_wait(session: Session, address: str, now: datetime, settings: Settings) -> int:
    if not address:
        return 0
    count, last = session.execute(
        select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(
            LoginAttempt.address == address,
            LoginAttempt.success.is_(False),
            LoginAttempt.at >= now - ADDRESS_WINDOW,
        )
    ).one()
    return _wait_for(count, last, now, settings)


def throttle_wait(session: Session, username: str, address: str, now: datetime, settings: Settings) -> int:
    """Seconds before the next attempt for this account/address is allowed (0: go ahead)."""
    return max(_account_wait(session, username, now, settings), _address_wait(session, address, now, settings))


def authenticate(
    session: Session,
    username: str,
    password: str,
    address: str = "",
    now: datetime | None = None,
    settings: Settings | None = None,
) -> User:
    """Check a password login; see the module docstring for the throttling rule."""
    settings = settings or Settings()
    now = now or utcnow()
    username = (username or "").strip()[:100]
    address = (address or "")[:100]
    account_wait = _account_wait(session, username, now, settings)
    address_wait = _address_wait(session, address, now, settings)
    if account_wait or address_wait:
        reason = "account" if account_wait >= address_wait else "address"
        raise LoginThrottled(max(account_wait, address_wait), reason)
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password or "x")  # same time as a real check
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and bool(user.active)
    session.add(LoginAttempt(username=username, address=address, at=now, success=ok))
    if ok and user is not None and user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.commit()
    if not ok or user is None:
        raise LoginFailed()
    return user
