"""Following a target: followers are told when its computed status changes.

Interface::

    follow(session, user, target_id) -> bool      # True when newly followed (audited)
    unfollow(session, user, target_id) -> bool
    is_following(session, user, target_id) -> bool
    followers(session, target_id) -> list[User]   # active users only

Only signed-in users can follow (policy.FOLLOW): luoshi has no public accounts, so the public
follows public targets through the public pages and open data rather than notices.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import NotFoundError
from luoshi.store.audit import record_audit
from luoshi.store.models import Follow, Target, User

__all__ = ["followers", "follow", "is_following", "unfollow"]


def is_following(session: Session, user: User, target_id: int) -> bool:
    return (
        session.scalar(select(Follow.id).where(Follow.user_id == user.id, Follow.target_id == target_id))
        is not None
    )


def follow(session: Session, user: User, target_id: int) -> bool:
    if session.get(Target, target_id) is None:
        raise NotFoundError(f"没有编号为 {target_id} 的目标")
    if is_following(session, user, target_id):
        return False
    session.add(Follow(user_id=user.id, target_id=target_id))
    session.flush()
    record_audit(session, user, "follow", "target", target_id, None, {"user_id": user.id})
    return True


def unfollow(session: Session, user: User, target_id: int) -> bool:
    row = session.scalars(
        select(Follow).where(Follow.user_id == user.id, Follow.target_id == target_id)
    ).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    record_audit(session, user, "unfollow", "target", target_id, {"user_id": user.id}, None)
    return True


def followers(session: Session, target_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(Follow, Follow.user_id == User.id)
            .where(Follow.target_id == target_id, User.active.is_(True))
            .order_by(User.id)
        )
    )
