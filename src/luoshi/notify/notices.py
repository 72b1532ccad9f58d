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

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, bindparam, event, false, func, insert, or_, select, update
from sqlalchemy.orm import Session, SessionTransaction

from luoshi.store.engine import chunked
from luoshi.store.models import Notice, User, utcnow

__all__ = [
    "KINDS",
    "NoticeWriter",
    "add_notice",
    "mark_read",
    "notices_for",
    "recipient_filter",
    "unread_count",
]

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
            select(Notice.id)
            .where(
                Notice.kind == kind,
                Notice.message == message,
                Notice.recipient_user_id.is_(None)
                if user_id is None
                else Notice.recipient_user_id == user_id,
                Notice.recipient_department_id.is_(None)
                if department_id is None
                else Notice.recipient_department_id == department_id,
                Notice.recipient_role.is_(None) if role is None else Notice.recipient_role == role,
                Notice.target_id.is_(None) if target_id is None else Notice.target_id == target_id,
            )
            .limit(1)
        )
        if existing is not None:
            return None
    notice = Notice(
        recipient_user_id=user_id,
        recipient_department_id=department_id,
        recipient_role=role,
        kind=kind,
        target_id=target_id,
        message=message,
        link=link,
        created_at=utcnow(),
    )
    session.add(notice)
    _remember(session, (kind, message, user_id, department_id, role, target_id))
    return notice


_Key = tuple[str, str, int | None, int | None, str | None, int | None]
_NOTICE_INSERT = insert(cast(Table, Notice.__table__))
_LOADED = "luoshi.notice_keys"  # session.info: the notices read for de-duplication, this transaction
_LEAST_WINDOW = timedelta(days=120)  # read at least this far back (the reminders' window)


@dataclass
class _Loaded:
    """Notices read this transaction: created since ``since``, of ``targets`` (or of every one)."""

    since: datetime
    everything: bool = False
    targets: set[int | None] = field(default_factory=set)
    newest: dict[_Key, datetime] = field(default_factory=dict)  # key -> when it was last sent


def _loaded(session: Session, since: datetime) -> _Loaded:
    loaded: _Loaded | None = session.info.get(_LOADED)
    if loaded is None or since < loaded.since:
        loaded = _Loaded(min(since, utcnow() - _LEAST_WINDOW))
        session.info[_LOADED] = loaded
    return loaded


def _read(session: Session, loaded: _Loaded, targets: Iterable[int | None] | None) -> None:
    """Read the notices of ``targets`` (None: of every target) into ``loaded``, once each."""
    wanted = None if targets is None else sorted({t for t in targets if t not in loaded.targets}, key=str)
    if loaded.everything or wanted == []:
        return
    session.flush()  # notices added as ORM objects (add_notice) but not yet flushed are read too
    query = select(
        Notice.created_at,
        Notice.kind,
        Notice.message,
        Notice.recipient_user_id,
        Notice.recipient_department_id,
        Notice.recipient_role,
        Notice.target_id,
    ).where(Notice.created_at >= loaded.since)
    parts: list[Any] = [query] if wanted is None else []
    if wanted is not None:
        ids = [t for t in wanted if t is not None]
        parts += [query.where(Notice.target_id.in_(part)) for part in chunked(ids)]
        if None in wanted:
            parts.append(query.where(Notice.target_id.is_(None)))
    for part in parts:
        for at, *key in session.execute(part):
            k = cast(_Key, tuple(key))
            if k not in loaded.newest or at > loaded.newest[k]:
                loaded.newest[k] = at
    if wanted is None:
        loaded.everything = True
    else:
        loaded.targets.update(wanted)


def _remember(session: Session, key: _Key) -> None:
    """A notice added in this transaction counts as sent for every later writer of it."""
    loaded: _Loaded | None = session.info.get(_LOADED)
    if loaded is not None:
        loaded.newest[key] = utcnow()


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    # a savepoint or the transaction ended: what it added may be gone, others may have committed
    # (a flush's own inner subtransaction is neither)
    if transaction.nested or transaction.parent is None:
        session.info.pop(_LOADED, None)


class NoticeWriter:
    """Adds notices with de-duplication against the notices created within ``window``.

    What a writer reads for de-duplication is shared by every writer of the transaction and read
    once per target: only the targets it writes about (``targets`` are read in one query at once;
    others when first met), or every notice of the window with ``everything`` (the daily jobs,
    which write about every target). A progress report used to read every notice of the last day
    and a status refresh every notice of 120 days, on each write: a scan of the whole table.
    """

    def __init__(
        self,
        session: Session,
        window: timedelta = timedelta(days=120),
        *,
        targets: Iterable[int | None] | None = None,
        everything: bool = False,
        deferred: bool = False,
    ) -> None:
        self.session = session
        # ``deferred``: notices are kept until :meth:`write` (one executemany for a batch's changes)
        self._deferred: list[dict[str, Any]] | None = [] if deferred else None
        self.since = utcnow() - window
        loaded = _loaded(session, self.since)
        if everything:
            _read(session, loaded, None)
        # ``targets`` are read together when the first notice to de-duplicate comes (a progress
        # report whose status and reminders did not change reads none)
        self._batch: list[int | None] = list(targets or ())
        self.added = 0

    def _seen(self, key: _Key) -> bool:
        loaded = _loaded(self.session, self.since)
        _read(self.session, loaded, [key[5], *self._batch])
        self._batch = []
        sent = loaded.newest.get(key)
        return sent is not None and sent >= self.since

    def add_new(self, kind: str, notices: Sequence[Mapping[str, Any]]) -> int:
        """Notices of ``kind`` that cannot repeat one sent before (each names a row of its own, such
        as a progress report by its number), in one executemany, not de-duplicated. Each is a dict
        of :meth:`add`'s keyword arguments; returns how many were written."""
        if kind not in KINDS:
            raise ValueError(f"unknown notice kind {kind!r}")
        now = utcnow()
        rows = []
        for n in notices:
            user, dept, role, tid = n.get("user"), n.get("department_id"), n.get("role"), n.get("target_id")
            _remember(self.session, (kind, n["message"], user, dept, role, tid))
            rows.append(
                {
                    "recipient_user_id": user,
                    "recipient_department_id": dept,
                    "recipient_role": role,
                    "kind": kind,
                    "target_id": tid,
                    "message": n["message"],
                    "link": n.get("link"),
                    "created_at": now,
                }
            )
        if rows:
            self.session.connection().execute(_NOTICE_INSERT, rows)
        self.added += len(rows)
        return len(rows)

    def add(
        self,
        kind: str,
        message: str,
        *,
        user: int | None = None,
        department_id: int | None = None,
        role: str | None = None,
        target_id: int | None = None,
        link: str | None = None,
        dedupe: bool = True,
    ) -> bool:
        if kind not in KINDS:
            raise ValueError(f"unknown notice kind {kind!r}")
        key: _Key = (kind, message, user, department_id, role, target_id)
        if dedupe and self._seen(key):
            return False
        _remember(self.session, key)
        # a plain INSERT, not an ORM object: nothing reads the row back, and a batch of progress
        # reports writes hundreds (the unit of work would INSERT ... RETURNING each on its own)
        row = {
            "recipient_user_id": user,
            "recipient_department_id": department_id,
            "recipient_role": role,
            "kind": kind,
            "target_id": target_id,
            "message": message,
            "link": link,
            "created_at": utcnow(),
        }
        if self._deferred is not None:
            self._deferred.append(row)
        else:
            self.session.connection().execute(_NOTICE_INSERT, row)
        self.added += 1
        return True

    def write(self) -> None:
        """Store the notices a ``deferred`` writer keeps (in the order added), in one statement."""
        if self._deferred:
            self.session.connection().execute(_NOTICE_INSERT, self._deferred)
            self._deferred = []


def recipient_filter(user: User) -> ColumnElement[bool]:
    """SQL condition: notices addressed to ``user`` directly, to their department or their role."""
    return _addressed(user.id, user.role, user.department_id) if user.active else false()


def _addressed(user_id: Any, role: Any, department_id: Any) -> ColumnElement[bool]:
    """The rule of :func:`recipient_filter`, for values or bound parameters (no department: None)."""
    parts = [Notice.recipient_user_id == user_id, Notice.recipient_role == role]
    if department_id is not None:
        parts.append(Notice.recipient_department_id == department_id)
    return or_(*parts)


def notices_for(
    session: Session,
    user: User,
    *,
    unread_only: bool = False,
    limit: int | None = 50,
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
    """The unread badge (on every page): :func:`recipient_filter`'s rule, in a statement built once."""
    if not user.active:
        return 0
    with_department = user.department_id is not None
    params = {"user_id": user.id, "role": user.role, "department_id": user.department_id}
    return int(session.scalar(_unread_statement(with_department), params) or 0)


@functools.cache
def _unread_statement(with_department: bool) -> Any:
    department: Any = bindparam("department_id") if with_department else None
    addressed = _addressed(bindparam("user_id"), bindparam("role"), department)
    return select(func.count(Notice.id)).where(addressed, Notice.read_at.is_(None))


def mark_read(session: Session, user: User, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices (only those addressed to them) read; returns how many changed."""
    stmt = update(Notice).where(recipient_filter(user), Notice.read_at.is_(None))
    if notice_ids is not None:
        stmt = stmt.where(Notice.id.in_(notice_ids))
    result = session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
