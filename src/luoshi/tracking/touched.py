"""Status-log entries and notices follow every write, whichever path made it.

The write services (luoshi.tracking.services: progress, 复核, override, edit, acceptance,
assignment, milestones; and so the sheet import, the API and the CLI that call them) mark the
targets they change with :func:`touch`. When the session commits, the marked targets' statuses
are refreshed in the same transaction (:func:`luoshi.notify.events.refresh_target_statuses`:
a ``status_log`` row for each change, notices to the office and followers), a 复核 that
returned a report tells its department, a report submitted (or corrected) tells the office, and
a leader's 批示 tells the lead department. No route has to remember to do it.

The refresh needs the settings (thresholds, the clock): sessions made by
:class:`luoshi.store.Store` carry them in ``session.info["settings"]``; a session without
settings (a bare test session) is left alone, and ``luoshi remind`` catches up later.

The read model (:mod:`luoshi.tracking.readmodel`) is kept in step at the same commit, with or
without settings: for the targets marked here, and for every target whose row, progress reports,
复核 decisions or milestones were flushed through the session, whichever code wrote them. The
status refresh then keeps the statuses it computed for the marked targets in it (a target
changed without being marked has no kept status: pages compute it until the next refresh).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from luoshi.store.models import ProgressUpdate, Target
    from luoshi.tracking.readmodel import Pending, Summary
    from luoshi.tracking.services import StoredProgress

__all__ = ["SETTINGS_KEY", "commented", "returned", "settle", "submitted", "touch"]

SETTINGS_KEY = "settings"
_TOUCHED = "luoshi.touched_targets"
_RETURNED = "luoshi.returned_checks"
_SUBMITTED = "luoshi.submitted_updates"
_COMMENTED = "luoshi.comments"
_FLUSHED = "luoshi.flushed_targets"  # targets whose status inputs were flushed (read model only)
_CHECKED = "luoshi.checked_updates"  # updates that got a 复核 decision (their target is looked up)
_SETTLED = "luoshi.settled_targets"  # targets whose read model was rewritten in this transaction
_HELD = "luoshi.held_rows"  # rows marked here, held until the commit's notices are written
_REPORTS = "luoshi.submitted_rows"  # reports marked submitted, by id (what their notices need)


def touch(session: Session, *targets: Target | int | None) -> None:
    """Mark targets whose status may have changed; refreshed when ``session`` commits.

    Given rows, the session holds them until then (the refresh reads them; a row nobody holds
    leaves the session's weak identity map once the route returns, and would be read again)."""
    marked: set[int] = session.info.setdefault(_TOUCHED, set())
    for t in targets:
        if t is None:
            continue
        if isinstance(t, int):
            marked.add(t)
        else:
            session.info.setdefault(_HELD, []).append(t)
            marked.add(int(t.id))


def returned(session: Session, check_id: int) -> None:
    """Mark a 复核 "returned" decision; its department is told when ``session`` commits."""
    session.info.setdefault(_RETURNED, []).append(int(check_id))


def submitted(session: Session, update: ProgressUpdate | StoredProgress | int) -> None:
    """Mark a progress report (or correction) stored; the office is told when ``session`` commits.

    Given the row (or a batch's record of it), the session keeps it until then for the notice
    (a row nobody holds leaves the session's weak identity map and would be read back)."""
    if not isinstance(update, int):
        session.info.setdefault(_REPORTS, {})[int(update.id)] = update
        update = update.id
    session.info.setdefault(_SUBMITTED, []).append(int(update))


def commented(session: Session, comment_id: int) -> None:
    """Mark a leader's 批示; the lead department is told when ``session`` commits."""
    session.info.setdefault(_COMMENTED, []).append(int(comment_id))


def _take(session: Session, key: str) -> Any:
    return session.info.pop(key, None)


def _refresh(
    session: Session,
    target_ids: Iterable[int],
    check_ids: Iterable[int],
    update_ids: Iterable[int] = (),
    comment_ids: Iterable[int] = (),
    pending: Pending | None = None,
    given: Mapping[int, ProgressUpdate | StoredProgress] | None = None,
) -> None:
    from luoshi.notify.events import notify_returned, refresh_target_statuses
    from luoshi.notify.inbox import notify_comment, notify_submitted_all
    from luoshi.store.engine import held_or_read
    from luoshi.store.models import Comment, ProgressCheck, ProgressUpdate, Target
    from luoshi.tracking.readmodel import write

    settings = session.info.get(SETTINGS_KEY)
    if settings is None:
        if pending is not None:
            write(session, pending)
        return
    given = given or {}
    rows = pending.summaries if pending is not None else None
    refresh_target_statuses(session, settings, target_ids, rows=rows, pending=pending)
    for check_id in check_ids:
        check = session.get(ProgressCheck, check_id)
        if check is not None:
            notify_returned(session, check)
    # held here (those the request still holds are not read again): each notice names its update
    # and target, and rows the request no longer holds have left the session's (weak) identity
    # map: a batch of reports would read them back one SELECT at a time
    ids = set(update_ids)
    updates: dict[int, ProgressUpdate | StoredProgress] = {i: u for i, u in given.items() if i in ids}
    updates.update(held_or_read(session, ProgressUpdate, ids - updates.keys()))
    targets = held_or_read(session, Target, {u.target_id for u in updates.values()})
    notify_submitted_all(session, [u for _id, u in sorted(updates.items())], targets)
    for comment_id in comment_ids:
        comment = session.get(Comment, comment_id)
        if comment is not None:
            notify_comment(session, comment)
    session.flush()


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    from luoshi.store.models import Milestone, ProgressCheck, ProgressUpdate, Target

    targets: set[int] = session.info.setdefault(_FLUSHED, set())
    checked: set[int] = session.info.setdefault(_CHECKED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Target):
            targets.add(obj.id)
        elif isinstance(obj, (ProgressUpdate, Milestone)):
            targets.add(obj.target_id)
        elif isinstance(obj, ProgressCheck):
            checked.add(obj.update_id)


@functools.cache
def _targets_of_updates() -> Any:
    """The statement reading updates' targets, built once (the models are imported late here)."""
    from sqlalchemy import bindparam, select

    from luoshi.store.models import ProgressUpdate

    return select(ProgressUpdate.target_id).where(ProgressUpdate.id.in_(bindparam("ids", expanding=True)))


def _unsettled(session: Session) -> set[int]:
    """The targets written so far in this transaction whose read model is not rewritten yet
    (marked settled here: the caller rewrites them)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    settled: set[int] = session.info.setdefault(_SETTLED, set())
    ids = set(session.info.get(_TOUCHED) or ()) - settled
    ids |= _take(session, _FLUSHED) or set()
    checked = sorted(_take(session, _CHECKED) or ())
    if checked:
        ids |= set(session.scalars(_targets_of_updates(), {"ids": checked}))
    ids = {i for i in ids if i is not None}  # an object flushed, then expunged
    settled |= ids
    return ids


def settle(session: Session) -> dict[int, Summary]:
    """Rewrite the read model of the targets written so far in this transaction (a page rendered
    after a write, before the commit, reads it already up to date). Cheap when nothing was written.
    Returns the rows it wrote (what the commit's status refresh reads instead of reading them back)."""
    from luoshi.tracking import readmodel

    ids = _unsettled(session)
    return readmodel.refresh(session, ids) if ids else {}


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    from luoshi.tracking import readmodel

    ids, checks = _take(session, _TOUCHED), _take(session, _RETURNED)
    updates, comments = _take(session, _SUBMITTED), _take(session, _COMMENTED)
    held = _take(session, _HELD)  # kept alive until the notices below are written
    given = _take(session, _REPORTS)
    pending = None
    if ids or session.info.get(_FLUSHED) or session.info.get(_CHECKED) or session.info.get(_SETTLED):
        session.info[_TOUCHED] = ids or set()  # _unsettled() reads them
        # recomputed now, written by the status refresh with the statuses computed from them
        pending = readmodel.compute(session, _unsettled(session))
        for key in (_TOUCHED, _SETTLED):
            session.info.pop(key, None)
    if ids or checks or updates or comments:
        _refresh(session, sorted(ids or ()), checks or (), updates or (), comments or (), pending, given)
    elif pending is not None:
        readmodel.write(session, pending)
    del held


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    # what was marked in a rolled-back transaction did not happen
    for key in (_TOUCHED, _RETURNED, _SUBMITTED, _COMMENTED, _FLUSHED, _CHECKED, _SETTLED, _HELD, _REPORTS):
        session.info.pop(key, None)
