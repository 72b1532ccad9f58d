"""API tokens for scripts: ``Authorization: Bearer TOKEN``.

A token is 256 random bits (``secrets.token_urlsafe``) with a ``lsh_`` prefix. It is shown once,
when created; the database keeps only its SHA-256 (a salted slow hash is unnecessary for
high-entropy secrets and would make every API call slow).

Interface::

    create_token(session, user, name="", actor=None) -> tuple[str, ApiToken]   # (plain token, row)
    verify_token(session, plain, now=None, writer=None) -> User | None  # None: unknown, revoked, inactive
    get_token(session, token_id) -> ApiToken                # NotFoundError
    revoke_token(session, token_id, actor=None) -> ApiToken  # NotFoundError
    list_tokens(session, user=None) -> list[ApiToken]
    hash_token(plain) -> str

``verify_token`` updates ``last_used_at`` at most once a minute, so a busy script does not turn
every read into a write: in ``session`` (the caller commits), or, for a request that only reads, in
a short transaction of its own from ``writer`` (luoshi.store.touch), which stands even when the
request then fails (403/404/422): a token that was presented and verified has been used, and a
failing GET does not leave the stamp old for the next one to write again. A request that writes
stamps in its own transaction (it holds the write lock already), so a failing one undoes it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import ApiToken, User, utcnow
from luoshi.store.touch import Writer, touch

__all__ = ["PREFIX", "create_token", "get_token", "hash_token", "list_tokens", "revoke_token", "verify_token"]

PREFIX = "lsh_"
_TOUCH_EVERY = timedelta(seconds=60)
_BY_HASH = (  # the owner as a row, the token's three columns the check reads: no second entity
    select(User, ApiToken.id, ApiToken.revoked_at, ApiToken.last_used_at)
    .join(User, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def _summary(token: ApiToken) -> dict[str, object]:
    return {"user_id": token.user_id, "name": token.name, "revoked_at": token.revoked_at}


def create_token(session: Session, user: User, name: str = "", actor: Actor = None) -> tuple[str, ApiToken]:
    """A new token for ``user``: returns the plain token (show it once) and the stored row."""
    if not user.active:
        raise InputError(f"用户「{user.username}」已停用")
    plain = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=(name or "").strip()[:200], token_hash=hash_token(plain))
    session.add(row)
    session.flush()
    record_audit(
        session, actor if actor is not None else user, "create", "api_token", row.id, None, _summary(row)
    )
    return plain, row


def verify_token(
    session: Session, plain: str | None, now: datetime | None = None, writer: Writer | None = None
) -> User | None:
    """The active user owning the unrevoked token ``plain``, or None."""
    if not plain:
        return None
    plain = plain.strip()
    if plain.lower().startswith("bearer "):
        plain = plain[7:].strip()
    # One query for token and owner, built once: this runs on every API call.
    found = session.execute(_BY_HASH, {"token_hash": hash_token(plain)}).first()
    if found is None:
        return None
    user, token_id, revoked_at, last_used_at = found
    if revoked_at is not None or not user.active:
        return None
    now = now or utcnow()
    if last_used_at is None or now - last_used_at >= _TOUCH_EVERY:
        touch(session, ApiToken, token_id, writer, last_used_at=now)
    return user


def get_token(session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {token_id} 的 API 令牌")
    return row


def revoke_token(session: Session, token_id: int, actor: Actor = None) -> ApiToken:
    row = get_token(session, token_id)
    if row.revoked_at is None:
        before = _summary(row)
        row.revoked_at = utcnow()
        session.flush()
        record_audit(session, actor, "revoke", "api_token", row.id, before, _summary(row))
    return row


def list_tokens(session: Session, user: User | None = None) -> list[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    return list(session.scalars(query))
