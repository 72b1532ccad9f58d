"""In-app notices to a user, a department or a role (e.g. the office: role ``admin``).

Interface (for the web app's notice list and badge)::

    add_notice(session, kind, message, *, user=None, department_id=None, role=None,
               target_id=None, link=None, dedupe=True) -> Notice | None   # None: already there
    notices_for(session, user, *, unread_only=False, limit=50, since=None) -> list[Notice]
    unread_count(session, user) -> int
    mark_read(session, user, notice_ids=None) -> int     # None: all of the user's notices

A user sees notices addressed to them, to their department and to their role. A department or
role notice has one ``read_at``: when one member reads it, it is read for the department.
Kinds (``KINDS``): due_soon, overdue (催办, to the department), overdue_report (to the office),
returned (复核退回), status_change (office and followers).
With ``dedupe`` a notice identical in kind, recipient, target and message is not added twice,
so the daily jobs can run again safely.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, false, func, or_, select, update
from sqlalchemy.orm import Session

from luoshi.store.models import Notice, User, utcnow

__all__ = ["KINDS", "NoticeWriter", "add_notice", "mark_read", "notices_for", "recipient_filter", "unread_count"]

KINDS: dict[str, str] = {
    "due_soon": "即将到期",
    "overdue": "催办",
    "overdue_report": "逾期未报",
    "returned": "复核退回",
    "status_change": "状态变化",
    "supervision_order": "督办",  # 督办单 issued or closed (luoshi.supervision.orders)
    "submitted": "新报送待复核",  # luoshi.notify.inbox
    "comment": "领导批示",  # luoshi.notify.inbox
}


def add_notice(
    session: Session,
    kind: str,
    message: str,
    *,
    user: User | int | None = None,
    department_id: int | None = None,
    role: str | None = None,
    target_id: int | None = None,
    link: str | None = None,
    dedupe: bool = True,
) -> Notice | None:
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    user_id = user.id if isinstance(user, User) else user
    if user_id is None and department_id is None and role is None:
        raise ValueError("a notice needs a recipient: user, department or role")
    if dedupe:
        existing = session.scalar(
            select(Notice.id).where(
                Notice.kind == kind,
                Notice.message == message,
                Notice.recipient_user_id.is_(None) if user_id is None else Notice.recipient_user_id == user_id,
                Notice.recipient_department_id.is_(None) if department_id is None
                else Notice.recipient_department_id == department_id,
                Notice.recipient_role.is_(None) if role is None else Notice.recipient_role == role,
                Notice.target_id.is_(None) if target_id is None else Notice.target_id == target_id,
            ).limit(1)
        )
        if existing is not None:
            return None
    notice = Notice(recipient_user_id=user_id, recipient_department_id=department_id, recipient_role=role,
                    kind=kind, target_id=target_id, message=message, link=link, created_at=utcnow())
    session.add(notice)
    return notice


_Key = tuple[str, str, int | None, int | None, str | None, int | None]


class NoticeWriter:
    """Adds many notices with de-duplication against one preloaded set (for the daily jobs).

    Notices created within ``window`` are loaded once; ``add`` then needs no query per notice.
    Reminder texts name their due date, so older notices cannot collide with new ones.
    """

    def __init__(self, session: Session, window: timedelta = timedelta(days=120)) -> None:
        self.session = session
        since = utcnow() - window
        self.seen: set[_Key] = set()
        for kind, message, user_id, department_id, role, target_id in session.execute(
            select(Notice.kind, Notice.message, Notice.recipient_user_id, Notice.recipient_department_id,
                   Notice.recipient_role, Notice.target_id).where(Notice.created_at >= since)
        ):
            self.seen.add((kind, message, user_id, department_id, role, target_id))
        self.added = 0

    def add(
        self, kind: str, message: str, *, user: int | None = None, department_id: int | None = None,
        role: str | None = None, target_id: int | None = None, link: str | None = None, dedupe: bool = True,
    ) -> bool:
        if kind not in KINDS:
            raise ValueError(f"unknown notice kind {kind!r}")
        key: _Key = (kind, message, user, department_id, role, target_id)
        if dedupe and key in self.seen:
            return False
        self.seen.add(key)
        self.session.add(Notice(recipient_user_id=user, recipient_department_id=department_id,
                                recipient_role=role, kind=kind, target_id=target_id, message=message,
                                link=link, created_at=utcnow()))
        self.added += 1
        return True


def recipient_filter(user: User) -> ColumnElement[bool]:
    """SQL condition: notices addressed to ``user`` directly, to their department or their role."""
    parts = [Notice.recipient_user_id == user.id, Notice.recipient_role == user.role]
    if user.department_id is not None:
        parts.append(Notice.recipient_department_id == user.department_id)
    return or_(*parts) if user.active else false()


def notices_for(
    session: Session, user: User, *, unread_only: bool = False, limit: int | None = 50,
    since: datetime | None = None,
) -> list[Notice]:
    query = select(Notice).where(recipient_filter(user))
    if unread_only:
        query = query.where(Notice.read_at.is_(None))
    if since is not None:
        query = query.where(Notice.created_at > since)
    query = query.order_by(Notice.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def unread_count(session: Session, user: User) -> int:
    return int(session.scalar(
        select(func.count(Notice.id)).where(recipient_filter(user), Notice.read_at.is_(None))
    ) or 0)


def mark_read(session: Session, user: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices (only those addressed to them) read; returns how many changed."""
    stmt = update(Notice).where(recipient_filter(user), Notice.read_at.is_(None))
    if notice_ids is not None:
        stmt = stmt.where(Notice.id.in_(notice_ids))
    result = session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
