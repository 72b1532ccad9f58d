"""Changes to the plan: progress updates (append-only), 复核, editing and assigning targets.

Every function takes an explicit session and actor, works inside the caller's transaction,
records an audit row for each change and raises luoshi.errors exceptions on bad input.
Targets, updates and departments may be passed as rows or ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, cast, get_args

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.extraction.model import Comparator
from luoshi.store.audit import Actor, actor_fields, insert_audits, record_audit
from luoshi.store.models import (
    Area,
    Comment,
    Department,
    Milestone,
    ProgressCheck,
    ProgressUpdate,
    Report,
    Target,
    utcnow,
)
from luoshi.tracking.current import clock_now, is_superseded
from luoshi.tracking.figures import parse_figure
from luoshi.tracking.kinds import KINDS
from luoshi.tracking.readings import plan_years
from luoshi.tracking.touched import commented, returned, submitted, touch

__all__ = [
    "DECISIONS",
    "EDITABLE_FIELDS",
    "REVIEW_STATES",
    "NewProgress",
    "StoredProgress",
    "accept_target",
    "add_comment",
    "add_milestone",
    "add_update",
    "add_updates",
    "assign_departments",
    "check_update",
    "correct_update",
    "create_target",
    "edit_target",
    "get_department",
    "get_or_create_department",
    "get_target",
    "get_update",
    "reject_target",
    "set_milestone_done",
    "override_status",
    "set_public",
    "target_snapshot",
    "update_state",
]

DECISIONS = ("accepted", "returned")
REVIEW_STATES = ("proposed", "accepted", "rejected", "merged")
CADENCES = ("monthly", "quarterly", "half_yearly", "yearly")
COMPARATORS: tuple[str, ...] = get_args(Comparator)  # the extraction model's, one list
NUMERIC_FIELDS = ("baseline", "target_value", "value_max", "amber_gap", "red_gap")
NUMERIC_LABELS = {
    "baseline": "基数",
    "target_value": "目标值",
    "value_max": "目标上限",
    "amber_gap": "黄灯阈值",
    "red_gap": "红灯阈值",
}
EDITABLE_FIELDS = (
    "title",
    "indicator",
    "baseline",
    "target_value",
    "value_max",
    "unit",
    "comparator",
    "direction",
    "kind",
    "deadline",
    "aspirational",
    "public",
    "area_id",
    "cadence",
    "due_day",
    "amber_gap",
    "red_gap",
    "review_state",
)


def get_target(session: Session, target: Target | int) -> Target:
    if isinstance(target, Target):
        if target in session:
            return target
        target = target.id  # a row from another (closed) session: load it here
    row = session.get(Target, int(target))
    if row is None:
        raise NotFoundError(f"没有编号为 {target} 的目标")
    return row


def get_update(session: Session, update: ProgressUpdate | int) -> ProgressUpdate:
    if isinstance(update, ProgressUpdate):
        if update in session:
            return update
        update = update.id
    row = session.get(ProgressUpdate, int(update))
    if row is None:
        raise NotFoundError(f"没有编号为 {update} 的进展")
    return row


def target_snapshot(t: Target) -> dict[str, Any]:
    """The editable fields of a target, for audit before/after."""
    snap = {name: getattr(t, name) for name in EDITABLE_FIELDS}
    snap["lead_department_id"] = t.lead_department_id
    snap["co_department_ids"] = [d.id for d in t.co_departments]
    snap["merged_into_id"] = t.merged_into_id
    return snap


# -- departments ------------------------------------------------------------------------------


def get_department(session: Session, ref: Department | int | str) -> Department:
    if isinstance(ref, Department):
        if ref in session:
            return ref
        ref = ref.id
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        row = session.get(Department, int(ref))
    else:
        row = session.scalar(select(Department).where(Department.name == ref.strip()))
    if row is None:
        raise NotFoundError(f"没有这个单位：{ref}")
    return row


def get_or_create_department(
    session: Session, name: str, actor: Actor = None, short_name: str | None = None
) -> Department:
    name = name.strip()
    if not name:
        raise InputError("单位名称不能为空")
    row = session.scalar(select(Department).where(Department.name == name))
    if row is None:
        row = Department(name=name, short_name=short_name)
        session.add(row)
        session.flush()
        record_audit(session, actor, "create", "department", row.id, None, {"name": name})
    return row


def assign_departments(
    session: Session,
    target: Target | int,
    lead: Department | int | str | None,
    co: Sequence[Department | int | str] = (),
    actor: Actor = None,
) -> Target:
    """Set the lead department (牵头单位) and co-departments (责任单位) of a target."""
    t = get_target(session, target)
    before = {
        "lead": t.lead_department.name if t.lead_department else None,
        "co": [d.name for d in t.co_departments],
    }
    lead_row = get_department(session, lead) if lead not in (None, "") else None
    co_rows: list[Department] = []
    for ref in co:
        d = get_department(session, ref)
        if d not in co_rows and d is not lead_row:
            co_rows.append(d)
    t.lead_department = lead_row
    t.co_departments = co_rows
    t.updated_at = utcnow()
    session.flush()
    after = {"lead": lead_row.name if lead_row else None, "co": [d.name for d in co_rows]}
    if after != before:
        record_audit(session, actor, "assign", "target", t.id, before, after)
        touch(session, t.id)
    return t


# -- editing targets ---------------------------------------------------------------------------


def _check_changes(session: Session, t: Target, changes: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in EDITABLE_FIELDS:
            raise InputError(f"不能修改字段 {key}")
        clean[key] = value
    unit = clean.get("unit", t.unit)
    for key in NUMERIC_FIELDS:
        if clean.get(key) is not None:
            in_unit = unit if key in ("baseline", "target_value", "value_max") else None
            clean[key] = parse_figure(clean[key], NUMERIC_LABELS[key], in_unit)
    if "title" in clean and not str(clean["title"] or "").strip():
        raise InputError("工作任务不能为空")
    if clean.get("kind") is not None and clean["kind"] not in KINDS:
        raise InputError(f"未知的目标类型 {clean['kind']}")
    if clean.get("comparator") is not None and clean["comparator"] not in COMPARATORS:
        raise InputError(f"未知的比较方式 {clean['comparator']}")
    if clean.get("direction") not in (None, "", "up", "down"):
        raise InputError(f"方向只能是 up 或 down：{clean['direction']}")
    if clean.get("cadence") is not None and clean["cadence"] not in CADENCES:
        raise InputError(f"未知的填报周期 {clean['cadence']}")
    if clean.get("review_state") is not None and clean["review_state"] not in REVIEW_STATES:
        raise InputError(f"未知的审核状态 {clean['review_state']}")
    if clean.get("due_day") is not None and not 1 <= int(clean["due_day"]) <= 31:
        raise InputError("报送日须在 1 到 31 之间")
    if clean.get("deadline") is not None and not isinstance(clean["deadline"], date):
        raise InputError("完成时限须为日期")
    if clean.get("area_id") is not None:
        area = session.get(Area, int(clean["area_id"]))
        if area is None or area.report_id != t.report_id:
            raise InputError(f"领域 {clean['area_id']} 不属于该报告")
    if "direction" in clean and clean["direction"] == "":
        clean["direction"] = None
    return clean


def edit_target(
    session: Session, target: Target | int, changes: Mapping[str, Any], actor: Actor = None
) -> Target:
    """Change editable fields (see EDITABLE_FIELDS) of a target; audited with before/after."""
    t = get_target(session, target)
    clean = _check_changes(session, t, changes)
    before = target_snapshot(t)
    for key, value in clean.items():
        setattr(t, key, value)
    t.updated_at = utcnow()
    session.flush()
    if "area_id" in clean:
        session.expire(t, ["area"])  # reload the relationship from the new foreign key
    after = target_snapshot(t)
    diff_before = {k: v for k, v in before.items() if after.get(k) != v}
    if diff_before:
        record_audit(session, actor, "edit", "target", t.id, diff_before, {k: after[k] for k in diff_before})
        touch(session, t.id)
    return t


def _set_state(session: Session, target: Target | int, state: str, actor: Actor, action: str) -> Target:
    t = get_target(session, target)
    before = t.review_state
    t.review_state = state
    t.updated_at = utcnow()
    session.flush()
    record_audit(session, actor, action, "target", t.id, {"review_state": before}, {"review_state": state})
    touch(session, t.id)
    return t


def accept_target(session: Session, target: Target | int, actor: Actor = None) -> Target:
    """Accept a proposed (extracted) target into the plan."""
    return _set_state(session, target, "accepted", actor, "accept")


def reject_target(session: Session, target: Target | int, actor: Actor = None) -> Target:
    """Reject a proposed target (kept, never deleted, but out of the plan)."""
    return _set_state(session, target, "rejected", actor, "reject")


def set_public(session: Session, target: Target | int, public: bool, actor: Actor = None) -> Target:
    return edit_target(session, target, {"public": bool(public)}, actor)


def override_status(
    session: Session, target: Target | int, status: str | None, note: str = "", actor: Actor = None
) -> Target:
    """Set (or with ``None`` clear) a status by hand; shown instead of the computed one, audited."""
    from luoshi.tracking.status import STATUS_CODES

    t = get_target(session, target)
    if status is not None and status not in STATUS_CODES:
        raise InputError(f"未知的状态 {status}")
    if status is not None and not note.strip():
        raise InputError("人工认定状态须说明理由")
    before = {"status_override": t.status_override, "note": t.status_override_note}
    t.status_override = status
    t.status_override_note = note.strip() or None if status else None
    t.updated_at = utcnow()
    session.flush()
    record_audit(
        session,
        actor,
        "override_status",
        "target",
        t.id,
        before,
        {"status_override": status, "note": t.status_override_note},
    )
    touch(session, t.id)
    return t


def create_target(
    session: Session,
    report: Report | int,
    fields: Mapping[str, Any],
    actor: Actor = None,
    *,
    origin: str = "manual",
    state: str = "accepted",
) -> Target:
    """Add a target by hand (or as a split part)."""
    rep = report if isinstance(report, Report) else session.get(Report, int(report))
    if rep is None:
        raise NotFoundError(f"没有编号为 {report} 的报告")
    t = Target(report=rep, review_state=state, origin=origin, title="")
    session.add(t)
    clean = _check_changes(session, t, {"title": fields.get("title", ""), **fields})
    for key, value in clean.items():
        setattr(t, key, value)
    session.flush()
    record_audit(session, actor, "create", "target", t.id, None, target_snapshot(t))
    touch(session, t.id)
    return t


# -- comments and milestones -------------------------------------------------------------------

COMMENT_MAX_CHARS = 2000  # a 批示 is a few lines; a pasted document belongs in an attachment


def add_comment(session: Session, target: Target | int, body: str, actor: Actor = None) -> Comment:
    """A leader's 批示 on a target."""
    t = get_target(session, target)
    if not body.strip():
        raise InputError("批示内容不能为空")
    if len(body.strip()) > COMMENT_MAX_CHARS:
        raise InputError(f"批示不能超过 {COMMENT_MAX_CHARS} 字（现为 {len(body.strip())} 字）")
    user_id, _name = actor_fields(actor)
    c = Comment(
        target_id=t.id, user_id=user_id, body=body.strip(), created_at=clock_now(session.info.get("settings"))
    )
    session.add(c)
    session.flush()
    record_audit(session, actor, "comment", "target", t.id, None, {"comment_id": c.id, "body": c.body})
    commented(session, c.id)  # the lead department hears of the 批示
    return c


def add_milestone(
    session: Session, target: Target | int, title: str, due: date | None = None, actor: Actor = None
) -> Milestone:
    t = get_target(session, target)
    if not title.strip():
        raise InputError("节点名称不能为空")
    m = Milestone(target_id=t.id, title=title.strip(), due_date=due, position=len(t.milestones))
    session.add(m)
    session.flush()
    session.refresh(t, ["milestones"])
    record_audit(
        session,
        actor,
        "create",
        "milestone",
        m.id,
        None,
        {"target_id": t.id, "title": m.title, "due_date": due},
    )
    touch(session, t.id)
    return m


def set_milestone_done(
    session: Session, milestone: Milestone | int, done: date | None, actor: Actor = None
) -> Milestone:
    m = milestone if isinstance(milestone, Milestone) else session.get(Milestone, int(milestone))
    if m is None:
        raise NotFoundError(f"没有编号为 {milestone} 的节点")
    before = m.done_date
    m.done_date = done
    session.flush()
    record_audit(session, actor, "edit", "milestone", m.id, {"done_date": before}, {"done_date": done})
    touch(session, m.target_id)
    return m


# -- progress (append-only) and 复核 ---------------------------------------------------------------

NON_NEGATIVE_KINDS = ("count", "binary", "milestone")  # a count or a done/not-done never falls below 0


def _check_period(session: Session, t: Target, period: date) -> None:
    """A report's date lies in the target's plan period and not after today (the one clock)."""
    from luoshi.tracking.current import today

    # the year alone (loading the report would read its whole text), once per transaction
    year = plan_years(session, [t.report_id])[t.report_id]
    start, end = date(year, 1, 1), max(t.deadline or date(year, 12, 31), date(year, 12, 31))
    if not start <= period <= end:
        raise InputError(
            f"填报日期 {period.isoformat()} 不在规划期内（{start.isoformat()} 至 {end.isoformat()}）"
        )
    settings = session.info.get("settings")
    now = today(settings) if settings is not None else date.today()
    if period > now:
        raise InputError(f"填报日期 {period.isoformat()} 晚于今天（{now.isoformat()}），不能填报未来的进展")


@dataclass(frozen=True)
class NewProgress:
    """One progress report for :func:`add_updates` (the fields of :func:`add_update`, no correction)."""

    target: Target | int
    period: date
    value: float | str | None = None
    narrative: str = ""
    internal: bool = False
    evidence_path: str | None = None
    evidence_name: str | None = None
    milestone_id: int | None = None


def _new_values(
    session: Session,
    t: Target,
    item: NewProgress,
    actor: Actor,
    supersedes: ProgressUpdate | None = None,
) -> dict[str, Any]:
    """The checked column values of ``item``, not yet stored (the rules of every new progress report)."""
    if not isinstance(item.period, date):
        raise InputError("填报日期须为日期")
    value = parse_figure(
        item.value, "本期完成值", t.unit, allow_negative=(t.kind or "count") not in NON_NEGATIVE_KINDS
    )
    _check_period(session, t, item.period)
    if value is None and not item.narrative.strip() and item.milestone_id is None and not item.evidence_path:
        raise InputError("进展须有数值、说明或附件")
    user_id, name = actor_fields(actor)
    return {
        "target_id": t.id,
        "period": item.period,
        "reported_value": None if value is None else float(value),
        "narrative": item.narrative.strip(),
        "narrative_internal": bool(item.internal),
        "evidence_path": item.evidence_path,
        "evidence_name": item.evidence_name,
        "milestone_id": item.milestone_id,
        "author_id": user_id,
        "author_name": name,
        "supersedes_id": supersedes.id if supersedes else None,
        "created_at": clock_now(
            session.info.get("settings")
        ),  # submitted when luoshi's clock says (按时/逾期)
    }


def _new_update(
    session: Session,
    t: Target,
    item: NewProgress,
    actor: Actor,
    supersedes: ProgressUpdate | None = None,
) -> ProgressUpdate:
    """The checked, not yet stored row of ``item``."""
    return ProgressUpdate(**_new_values(session, t, item, actor, supersedes))


class StoredProgress(NamedTuple):
    """A progress report :func:`add_updates` stored: its id and what follows it needs (audit,
    notice), without the ORM object a batch would build, flush and hold for each report."""

    id: int
    target_id: int
    period: date
    reported_value: float | None
    supersedes_id: int | None
    author_name: str | None


_INSERT_UPDATES = insert(cast(Table, ProgressUpdate.__table__)).returning(
    cast(Table, ProgressUpdate.__table__).c.id, sort_by_parameter_order=True
)


def _added(
    session: Session,
    made: Sequence[ProgressUpdate] | Sequence[StoredProgress],
    actor: Actor,
    old: ProgressUpdate | None = None,
    *,
    targets: Sequence[Target] = (),
) -> None:
    """What follows stored reports: their audit rows, status refresh and the office's notice.
    ``targets``: their targets' rows (held until the commit's refresh, which reads them)."""
    insert_audits(
        session,
        actor,
        [
            (
                "correct" if old else "add",
                "progress_update",
                u.id,
                None if old is None else {"update_id": old.id, "value": old.reported_value},
                {
                    "target_id": u.target_id,
                    "period": u.period,
                    "value": u.reported_value,
                    "supersedes": u.supersedes_id,
                },
            )
            for u in made
        ],
    )
    marked: Sequence[Target | int] = targets or [u.target_id for u in made]
    touch(session, *marked)  # a report on time can end 逾期未报
    for u in made:
        submitted(session, u)  # the office's 待办 and notices say a report came in


def add_update(
    session: Session,
    target: Target | int,
    *,
    period: date,
    value: float | str | None = None,
    narrative: str = "",
    internal: bool = False,
    evidence_path: str | None = None,
    evidence_name: str | None = None,
    milestone_id: int | None = None,
    supersedes: ProgressUpdate | int | None = None,
    actor: Actor = None,
) -> ProgressUpdate:
    """Append a progress report (submitted; it counts once accepted in 复核). Never edits old rows.

    ``value`` may be a number or what a person typed ("280万", "1361万元", "３,０００"): it is read
    by the one figure parser in the target's unit, or refused with a message naming the field."""
    t = get_target(session, target)
    item = NewProgress(t, period, value, narrative, internal, evidence_path, evidence_name, milestone_id)
    old = get_update(session, supersedes) if supersedes is not None else None
    u = _new_update(session, t, item, actor, supersedes=old)
    if old is not None and old.target_id != t.id:
        raise InputError("更正的进展不属于该目标")
    if old is not None and (newer := is_superseded(session, old.id)) is not None:
        raise InputError(f"第 {old.id} 号进展已被第 {newer} 号更正，只能更正最新的版本")
    if old is None:
        session.add(u)
        session.flush()
    else:
        try:
            with session.begin_nested():  # a savepoint: the refused row goes, the transaction stays usable
                session.add(u)
                session.flush()
        except IntegrityError:  # another correction of the same version was stored first (migration 0009)
            raise InputError(f"第 {old.id} 号进展刚刚已被他人更正，请刷新后在最新的版本上更正") from None
    _added(session, [u], actor, old, targets=[t])
    return u


def add_updates(
    session: Session, items: Sequence[NewProgress], *, actor: Actor = None
) -> list[StoredProgress]:
    """Append many progress reports in the caller's transaction, each checked as :func:`add_update`
    checks one (the first refusal raises; the caller rolls back: all or none).

    For the batch API: the plan years are read in one query, the rows stored by one Core INSERT
    (ids returned in the order given; no ORM object per report), their audit rows in one more,
    and every step of the commit's refresh runs once for the whole batch."""
    targets = [get_target(session, item.target) for item in items]
    plan_years(session, {t.report_id for t in targets})  # all in one query; each check reads them
    rows = [_new_values(session, t, item, actor) for t, item in zip(targets, items, strict=True)]
    if not rows:
        return []
    session.flush()  # (a Core statement does not autoflush)
    ids = [int(i) for i in session.connection().execute(_INSERT_UPDATES, rows).scalars()]
    made = [
        StoredProgress(
            i, r["target_id"], r["period"], r["reported_value"], r["supersedes_id"], r["author_name"]
        )
        for i, r in zip(ids, rows, strict=True)
    ]
    _added(session, made, actor, targets=targets)
    return made


def correct_update(
    session: Session, update: ProgressUpdate | int, *, actor: Actor = None, **changes: Any
) -> ProgressUpdate:
    """A correction: a NEW version pointing at the old one; fields not given are carried over."""
    old = get_update(session, update)
    fields: dict[str, Any] = {
        "period": old.period,
        "value": old.reported_value,
        "narrative": old.narrative,
        "internal": old.narrative_internal,
        "evidence_path": old.evidence_path,
        "evidence_name": old.evidence_name,
        "milestone_id": old.milestone_id,
    }
    unknown = set(changes) - set(fields)
    if unknown:
        raise InputError(f"不能更正字段 {', '.join(sorted(unknown))}")
    fields.update(changes)
    return add_update(session, old.target_id, supersedes=old, actor=actor, **fields)


def update_state(update: ProgressUpdate) -> str:
    """``submitted`` until checked, then the latest 复核 decision (``accepted`` or ``returned``);
    a ``reopened`` check (an undone bulk 复核, luoshi.tracking.bulk) makes it ``submitted`` again."""
    decision = update.checks[-1].decision if update.checks else "submitted"
    return "submitted" if decision == "reopened" else decision


def check_update(
    session: Session, update: ProgressUpdate | int, decision: str, comment: str = "", actor: Actor = None
) -> ProgressCheck:
    """复核: accept or return a submitted update (a new check row; the update itself is untouched)."""
    u = get_update(session, update)
    if decision not in DECISIONS:
        raise InputError(f"复核结论只能是 accepted 或 returned：{decision}")
    if decision == "returned" and not comment.strip():
        raise InputError("退回须说明理由")
    newer = session.scalar(select(ProgressUpdate.id).where(ProgressUpdate.supersedes_id == u.id).limit(1))
    if newer is not None:
        raise InputError(f"该进展已被更正（新版本 {newer}），请复核新版本")
    before = update_state(u)
    user_id, name = actor_fields(actor)
    check = ProgressCheck(
        update_id=u.id, decision=decision, comment=comment.strip(), by_id=user_id, by_name=name
    )
    session.add(check)
    session.flush()
    session.refresh(u, ["checks"])
    record_audit(
        session,
        actor,
        decision,
        "progress_update",
        u.id,
        {"state": before},
        {"state": decision, "comment": check.comment},
    )
    touch(session, u.target_id)
    if decision == "returned":  # the department hears at once
        returned(session, check.id)
    return check
