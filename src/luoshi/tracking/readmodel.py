"""The maintained read model (table ``target_readings``): each target's current readings and status,
computed once per change instead of on every page view.

A page used to walk every progress report and 复核 decision of the targets it shows (two
correlated subqueries per report, 40-80 ms of CPU per page at 240,000 reports). Now:

- :func:`refresh` recomputes a target's row from scratch — from
  :func:`luoshi.tracking.current.current_updates`, the one definition of a current reading — in
  the same transaction as the write that changed it. :mod:`luoshi.tracking.touched` calls it at
  commit for every target a write touched (the write services mark them, and any progress report,
  复核 decision, milestone or target row flushed through a session is marked too), so the web
  form, the API, the sheet import and the CLI all keep it exact, whichever process they run in.
- :func:`summaries` is what the status input (:func:`luoshi.tracking.readings.status_inputs`)
  and the 待办 counts read.
- A status depends on the day and on the thresholds, so it is kept with both
  (``status_day``, ``status_key``) and used only while they match: written at commit for the
  targets a write touched, and for every target by ``luoshi remind`` (the daily run) or
  :func:`rebuild`. A page finding none computes the status itself (and does not write it).

No web or notify imports.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import SQLColumnExpression, Table, bindparam, select
from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.engine import chunked, upsert
from luoshi.store.models import Target, TargetReading
from luoshi.tracking.current import CurrentUpdate, current_updates
from luoshi.tracking.status import Reading, StatusBrief, StatusResult
from luoshi.tracking.touched import settle

__all__ = [
    "Pending",
    "Summary",
    "brief_columns",
    "kept_brief",
    "stale",
    "compute",
    "computed",
    "decode_status",
    "encode_status",
    "keep_statuses",
    "rebuild",
    "refresh",
    "status_key",
    "summaries",
    "write",
]


_TABLE = cast(Table, TargetReading.__table__)  # declarative types __table__ as any FromClause


@dataclass(frozen=True, slots=True)
class Summary:
    """One target's row: accepted current readings by period, the latest period delivered (a
    report not returned by 复核), current reports awaiting 复核 and returned, the kept status."""

    readings: tuple[Reading, ...] = ()
    last_submitted: date | None = None
    awaiting: int = 0
    returned: int = 0
    status: StatusResult | None = None  # only when kept for the day and thresholds asked for


EMPTY = Summary()


def status_key(settings: Settings) -> str:
    """The settings a status depends on besides the day (a change of them makes kept ones stale)."""
    return f"{settings.amber_gap:g}/{settings.red_gap:g}/{settings.report_due_day}"


def computed(versions: Sequence[CurrentUpdate]) -> dict[str, Any]:
    """A row's values from a target's current reports (oldest period first): the definition."""
    return _computed(versions)[0]


def _computed(versions: Sequence[CurrentUpdate]) -> tuple[dict[str, Any], Summary]:
    """:func:`computed`, and the same row as :func:`summaries` reads it back (no kept status).

    Accepted reports are the readings; every report not returned by 复核 is delivered; those
    not yet decided (or reopened) await 复核. One pass: a batch's commit runs it per target."""
    stored: list[list[Any]] = []
    readings: list[Reading] = []
    last: date | None = None
    awaiting = returned = 0
    for r in versions:
        decision = r.decision
        if decision == "accepted":
            stored.append([r.period.isoformat(), r.value])
            readings.append(Reading(r.period, r.value))
        if decision == "returned":
            returned += 1
            continue
        if last is None or r.period > last:
            last = r.period
        if decision is None or decision == "reopened":
            awaiting += 1
    values = {"readings": stored, "last_submitted": last, "awaiting": awaiting, "returned": returned}
    return values, Summary(tuple(readings), last, awaiting, returned)


@dataclass(frozen=True, slots=True)
class Pending:
    """Rows recomputed (:func:`compute`) and not yet written: :func:`write` stores them, with the
    statuses computed from them when there are (one statement instead of a write, then a second
    one to keep the status). ``summaries``: the rows as :func:`summaries` would read them back."""

    values: dict[int, dict[str, Any]]
    summaries: dict[int, Summary]

    def __contains__(self, target_id: object) -> bool:
        return target_id in self.values


def compute(session: Session, target_ids: Iterable[int]) -> Pending:
    """The rows of ``target_ids`` recomputed from their progress reports (the definition,
    :func:`computed`); in the caller's transaction, written by :func:`write`."""
    ids = sorted({int(i) for i in target_ids})
    if not ids:
        return Pending({}, {})
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Two transactions writing reports on one target: the second waits here for the first to
        # commit, then reads its report too (READ COMMITTED reads anew per statement). NO KEY:
        # a progress report's foreign key check holds KEY SHARE on its target, which must not
        # wait for this. SQLite writers are serialised already (BEGIN IMMEDIATE).
        for part in chunked(ids):
            session.execute(_LOCK, {"ids": part})
    versions = current_updates(session, ids)
    values: dict[int, dict[str, Any]] = {}
    rows: dict[int, Summary] = {}
    for tid in ids:
        values[tid], rows[tid] = _computed(versions.get(tid, ()))
    return Pending(values, rows)


_LOCK = (
    select(Target.id)
    .where(Target.id.in_(bindparam("ids", expanding=True)))
    .order_by(Target.id)
    .with_for_update(key_share=True)
)
_KEPT = ("status_day", "status_key", "status")


def write(
    session: Session,
    pending: Pending,
    settings: Settings | None = None,
    day: date | None = None,
    statuses: Mapping[int, StatusResult] | None = None,
) -> None:
    """Store ``pending``'s rows; with ``statuses`` (computed as of ``day`` under ``settings``),
    those targets' rows keep them, the others' kept statuses are dropped (:func:`keep_statuses`)."""
    kept = statuses or {}
    plain, with_status = [], []
    key = status_key(settings) if settings is not None and kept else None
    for tid, values in pending.values.items():
        result = kept.get(tid)
        if result is None or key is None:
            plain.append({"target_id": tid, **values})
        else:
            with_status.append(
                {
                    "target_id": tid,
                    **values,
                    "status_day": day,
                    "status_key": key,
                    "status": encode_status(result),
                }
            )
    upsert(session, _TABLE, plain, reset=_KEPT)  # kept status dropped
    upsert(session, _TABLE, with_status)


def refresh(session: Session, target_ids: Iterable[int]) -> dict[int, Summary]:
    """Recompute the rows of ``target_ids`` from their progress reports (kept statuses dropped);
    in the caller's transaction. Returns the rows written, as :func:`summaries` would read them."""
    pending = compute(session, target_ids)
    write(session, pending)
    return pending.summaries


def rebuild(session: Session, settings: Settings | None = None, day: date | None = None) -> int:
    """Recompute every target's row (after a bulk load that bypassed the write services); with
    ``settings``, keep every accepted target's status as of ``day`` too. Returns targets done."""
    all_ids = list(session.scalars(select(Target.id).order_by(Target.id)))
    for part in chunked(all_ids, 2000):
        refresh(session, part)
    if settings is not None:
        from luoshi.tracking.queries import as_of, statuses_for

        when = day or as_of(settings)
        accepted = list(
            session.scalars(select(Target).where(Target.review_state == "accepted").order_by(Target.id))
        )
        for start in range(0, len(accepted), 2000):
            batch = accepted[start : start + 2000]
            keep_statuses(session, settings, when, statuses_for(session, settings, batch, when))
    return len(all_ids)


def encode_status(result: StatusResult) -> dict[str, Any]:
    # shallow (dataclasses.asdict walks every value recursively: the bulk of a batch's commit)
    out = {f.name: getattr(result, f.name) for f in _RESULT_FIELDS}
    out["extra"] = dict(result.extra)
    out["report_due"] = result.report_due.isoformat() if result.report_due else None
    out["latest"] = [result.latest.period.isoformat(), result.latest.value] if result.latest else None
    return out


def decode_status(data: Mapping[str, Any]) -> StatusResult:
    fields = dict(data)
    due, latest = fields.pop("report_due"), fields.pop("latest")
    return StatusResult(
        **fields,
        report_due=date.fromisoformat(due) if due else None,
        latest=Reading(date.fromisoformat(latest[0]), latest[1]) if latest else None,
    )


_RESULT_FIELDS = fields(StatusResult)
_KEEP = (
    _TABLE.update()
    .where(_TABLE.c.target_id == bindparam("tid"))
    .values(status_day=bindparam("day"), status_key=bindparam("key"), status=bindparam("result"))
)


def keep_statuses(
    session: Session,
    settings: Settings,
    day: date,
    results: Mapping[int, StatusResult],
    present: Collection[int] = (),
) -> None:
    """Keep statuses computed as of ``day`` (targets with no row yet get one); in the caller's
    transaction. ``present``: targets whose row this transaction wrote (not looked up again)."""
    if not results:
        return
    have: set[int] = {tid for tid in results if tid in present}
    for part in chunked(sorted(tid for tid in results if tid not in have)):
        have.update(session.scalars(select(TargetReading.target_id).where(TargetReading.target_id.in_(part))))
    refresh(session, (tid for tid in results if tid not in have))
    key = status_key(settings)
    session.execute(
        _KEEP,
        [
            {"tid": tid, "day": day, "key": key, "result": encode_status(result)}
            for tid, result in results.items()
        ],
    )


def _kept(s_day: date | None, s_key: str | None, day: date | None, key: str | None) -> bool:
    """A row's status counts only as computed for the day and the thresholds asked for."""
    return bool(key) and s_day == day and s_key == key


def brief_columns() -> tuple[SQLColumnExpression[Any], ...]:
    """What :func:`kept_brief` reads of a row, to add to a select joined to ``target_readings``:
    the day and thresholds of the kept status, its code and latest reading (read by the database
    from the stored JSON: a list of hundreds of targets needs only these, not the rest decoded)."""
    row, status = TargetReading, TargetReading.status
    return (
        row.status_day,
        row.status_key,
        status["code"].as_string(),
        status[("latest", 0)].as_string(),
        status[("latest", 1)].as_float(),
    )


def kept_brief(values: Sequence[Any], key: str, day: date) -> StatusBrief | None:
    """The kept status' code and latest reading (as :func:`summaries` would decode them) from the
    values of :func:`brief_columns`; None unless kept for ``day`` and thresholds ``key``
    (:func:`status_key`)."""
    s_day, s_key, code, period, value = values
    if code is None or not _kept(s_day, s_key, day, key):
        return None
    return StatusBrief(code, Reading(date.fromisoformat(period), value) if period is not None else None)


def summaries(
    session: Session,
    target_ids: Iterable[int],
    settings: Settings | None = None,
    day: date | None = None,
    *,
    readings: bool = True,
) -> dict[int, Summary]:
    """The rows of ``target_ids`` (EMPTY for a target with no row: none of its reports was ever
    stored), with the kept status when it was computed as of ``day`` under ``settings``' thresholds.

    ``readings=False`` leaves the readings out (they are the bulk of a row) except for the
    targets whose status is not kept: what a caller needing only statuses asks for."""
    ids = sorted({int(i) for i in target_ids})
    key = status_key(settings) if settings is not None else None
    settle(session)  # what this transaction wrote so far counts
    row = TargetReading
    out: dict[int, Summary] = {}
    for part in chunked(ids):
        for tid, last, awaiting, returned, s_day, s_key, status in session.execute(
            select(
                row.target_id,
                row.last_submitted,
                row.awaiting,
                row.returned,
                row.status_day,
                row.status_key,
                row.status,
            ).where(row.target_id.in_(part))
        ):
            kept = decode_status(status) if status and _kept(s_day, s_key, day, key) else None
            out[tid] = Summary((), last, awaiting, returned, kept)
    wanted = ids if readings else [tid for tid in ids if tid in out and out[tid].status is None]
    for part in chunked(wanted):
        for tid, values in session.execute(
            select(row.target_id, row.readings).where(row.target_id.in_(part))
        ):
            out[tid] = replace(out[tid], readings=tuple(Reading(date.fromisoformat(p), v) for p, v in values))
    return {tid: out.get(tid, EMPTY) for tid in ids}


def stale(session: Session, settings: Settings | None = None) -> list[int]:
    """Targets whose row differs from a from-scratch computation: its readings and counts against
    :func:`luoshi.tracking.current.current_updates`, and (with ``settings``) a kept status
    against the status rule run on those from-scratch readings. [] when the read model is exact."""
    from luoshi.tracking.queries import judge
    from luoshi.tracking.readings import status_inputs

    targets = list(session.scalars(select(Target).order_by(Target.id)))
    ids = [t.id for t in targets]
    versions = current_updates(session, ids)
    settle(session)
    kept: dict[int, tuple[dict[str, Any], date | None, str | None, dict[str, Any] | None]] = {}
    for part in chunked(ids):
        for row in session.scalars(select(TargetReading).where(TargetReading.target_id.in_(part))):
            kept[row.target_id] = (
                {
                    "readings": row.readings,
                    "last_submitted": row.last_submitted,
                    "awaiting": row.awaiting,
                    "returned": row.returned,
                },
                row.status_day,
                row.status_key,
                row.status,
            )
    out = []
    for t in targets:
        truth = computed(versions.get(t.id, ()))
        values, day, key, status = kept.get(t.id, (computed(()), None, None, None))
        if values != truth:
            out.append(t.id)
        elif settings is not None and status is not None and day is not None:
            if key != status_key(settings):
                continue  # kept for other thresholds: never read under these
            rows = {
                t.id: Summary(
                    tuple(Reading(date.fromisoformat(p), v) for p, v in truth["readings"]),
                    truth["last_submitted"],
                )
            }
            inp = status_inputs(session, settings, [t], day.year, rows)[t.id]
            if encode_status(judge(t, inp, day)) != status:
                out.append(t.id)
    return out
