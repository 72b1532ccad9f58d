"""Server-side login sessions, as in a bank's web app.

The signed cookie carries only a random session key (256 bits); the store keeps its SHA-256
in ``user_sessions``. A request counts as logged in only while that row is open, so a session
can be ended from the server: a copied cookie stops working the moment its row is ended.

Interface::

    start_session(session, user, address="", user_agent="") -> str      # the key for the cookie
    resolve_session(session, key, now=None, writer=None) -> tuple[UserSession, User] | None
    end_session(session, key, reason="logout") -> int                   # rows ended (0 or 1)
    end_user_sessions(session, user_id, reason, except_id=None) -> int  # every open session of a user
    end_own_session(session, user, session_id) -> UserSession           # NotFoundError if not theirs
    list_sessions(session, user) -> list[UserSession]                   # open ones, newest first

Who ends sessions: ``logout`` (every session of the user), ``users.set_password``,
``users.update_user`` when the role changes, ``users.deactivate``. A role change ends them
for good: changing the role back later does not revive an old cookie (its row stays ended).
``resolve_session`` refreshes ``last_seen_at`` at most once a minute: in ``session`` (the caller
commits), or, for a request that only reads, in a short transaction of its own from ``writer``
(e.g. ``store.session``), so that a GET never writes through its read-only session.
Sessions idle for longer than ``IDLE_LIMIT`` end by themselves.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from luoshi.errors import NotFoundError
from luoshi.store.models import User, UserSession, utcnow
from luoshi.store.touch import Writer, touch

__all__ = [
    "IDLE_LIMIT",
    "end_own_session",
    "end_session",
    "end_user_sessions",
    "list_sessions",
    "resolve_session",
    "start_session",
]

IDLE_LIMIT = timedelta(hours=12)  # the cookie's own max_age
_TOUCH_EVERY = timedelta(seconds=60)
_BY_HASH = (
    select(UserSession, User)
    .join(User, UserSession.user_id == User.id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start_session(session: Session, user: User, address: str = "", user_agent: str = "") -> str:
    """Open a session for ``user``; returns the key to put in the cookie (never stored)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(key),
            created_at=now,
            last_seen_at=now,
            address=(address or "")[:100],
            user_agent=(user_agent or "")[:300],
        )
    )
    session.flush()
    return key


def resolve_session(
    session: Session,
    key: str | None,
    now: datetime | None = None,
    writer: Writer | None = None,
) -> tuple[UserSession, User] | None:
    """The open session of ``key`` and its (active) user, or None."""
    if not key or not isinstance(key, str):
        return None
    found = session.execute(_BY_HASH, {"token_hash": _hash(key)}).first()
    if found is None:
        return None
    row, user = found  # a Row unpacks like a tuple (Row.tuple() is deprecated in SQLAlchemy 2.1)
    now = now or utcnow()
    if row.ended_at is not None or not user.active:
        return None
    if now - row.last_seen_at > IDLE_LIMIT:
        touch(session, UserSession, row.id, writer, ended_at=now, end_reason="idle")
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        touch(session, UserSession, row.id, writer, last_seen_at=now)
    return row, user


def end_session(session: Session, key: str | None, reason: str = "logout") -> int:
    if not key or not isinstance(key, str):
        return 0
    result = session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _hash(key), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_user_sessions(session: Session, user_id: int, reason: str, except_id: int | None = None) -> int:
    """End every open session of a user (except ``except_id``); returns how many."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
    if except_id is not None:
        query = query.where(UserSession.id != except_id)
    result = session.execute(
        query.values(ended_at=utcnow(), end_reason=reason).execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_own_session(session: Session, user: User, session_id: int) -> UserSession:
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFoundError(f"没有编号为 {session_id} 的会话")
    if row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), "ended_by_user"
        session.flush()
    return row


def list_sessions(session: Session, user: User) -> list[UserSession]:
    since = utcnow() - IDLE_LIMIT
    return list(
        session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= since,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )
