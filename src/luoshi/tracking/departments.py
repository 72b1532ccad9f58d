"""Departments (牵头单位/责任单位): create, rename and merge — each audited, in the caller's transaction.

Interface::

    create_department(session, name, actor=None, short_name=None) -> Department   # InputError if taken
    rename_department(session, department, new_name, actor=None) -> Department
    merge_departments(session, keep, others, actor=None) -> dict[str, int]        # what moved

Merging moves every reference to the merged departments (targets' lead and co-departments, key
projects, users, department notices) to ``keep`` and removes the merged rows; the audit row
lists what moved, so the merge can be traced.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from luoshi.errors import InputError
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import (
    Department,
    KeyProject,
    Notice,
    SupervisionOrder,
    Target,
    User,
    Webhook,
    target_co_departments,
)
from luoshi.tracking.services import get_department

__all__ = ["create_department", "department_usage", "merge_departments", "rename_department"]


def _clean(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("单位名称不能为空")
    if len(name) > 200:
        raise InputError("单位名称过长（最多 200 字）")
    return name


def _taken(session: Session, name: str, but: int | None = None) -> None:
    found = session.scalar(select(Department.id).where(Department.name == name))
    if found is not None and found != but:
        raise InputError(f"已有名为「{name}」的单位")


def create_department(
    session: Session, name: str, actor: Actor = None, short_name: str | None = None
) -> Department:
    name = _clean(name)
    _taken(session, name)
    row = Department(name=name, short_name=(short_name or "").strip() or None)
    session.add(row)
    session.flush()
    record_audit(session, actor, "create", "department", row.id, None, {"name": name})
    return row


def rename_department(
    session: Session, department: Department | int | str, new_name: str, actor: Actor = None
) -> Department:
    row = get_department(session, department)
    name = _clean(new_name)
    _taken(session, name, but=row.id)
    before = row.name
    if before != name:
        row.name = name
        session.flush()
        record_audit(session, actor, "rename", "department", row.id, {"name": before}, {"name": name})
    return row


def department_usage(session: Session) -> dict[int, dict[str, int]]:
    """Per department id: how many targets it leads, co-owns, and how many users belong to it."""
    out: dict[int, dict[str, int]] = {}
    for dep_id, n in session.execute(
        select(Target.lead_department_id, func.count(Target.id))
        .where(Target.lead_department_id.is_not(None))
        .group_by(Target.lead_department_id)
    ):
        if dep_id is not None:
            out.setdefault(dep_id, {})["lead"] = int(n)
    for dep_id, n in session.execute(
        select(target_co_departments.c.department_id, func.count()).group_by(
            target_co_departments.c.department_id
        )
    ):
        out.setdefault(int(dep_id), {})["co"] = int(n)
    for dep_id, n in session.execute(
        select(User.department_id, func.count(User.id))
        .where(User.department_id.is_not(None))
        .group_by(User.department_id)
    ):
        if dep_id is not None:
            out.setdefault(dep_id, {})["users"] = int(n)
    return out


def merge_departments(
    session: Session,
    keep: Department | int | str,
    others: Sequence[Department | int | str],
    actor: Actor = None,
) -> dict[str, int]:
    """Fold ``others`` into ``keep`` (e.g. 区发改局 and 发改局 are one office). Returns counts moved."""
    kept = get_department(session, keep)
    gone = []
    for ref in others:
        d = get_department(session, ref)
        if d.id != kept.id and d not in gone:
            gone.append(d)
    if not gone:
        raise InputError("请选择要并入的其他单位")
    ids = [d.id for d in gone]
    moved = {"lead": 0, "co": 0, "projects": 0, "users": 0, "notices": 0, "orders": 0, "webhooks": 0}
    moved["lead"] = _count(
        session.execute(
            update(Target).where(Target.lead_department_id.in_(ids)).values(lead_department_id=kept.id)
        )
    )
    # co-departments: a target already co-owned by ``kept`` (or led by it) must not get it twice
    co = target_co_departments
    rows = session.execute(
        select(co.c.target_id, co.c.department_id).where(co.c.department_id.in_(ids))
    ).all()
    has_kept = set(session.scalars(select(co.c.target_id).where(co.c.department_id == kept.id)))
    led_by_kept = set(session.scalars(select(Target.id).where(Target.lead_department_id == kept.id)))
    session.execute(delete(co).where(co.c.department_id.in_(ids)))
    for target_id in sorted({t for t, _ in rows}):
        if target_id not in has_kept and target_id not in led_by_kept:
            session.execute(co.insert().values(target_id=target_id, department_id=kept.id))
            has_kept.add(target_id)
        moved["co"] += 1
    moved["projects"] = _count(
        session.execute(
            update(KeyProject)
            .where(KeyProject.lead_department_id.in_(ids))
            .values(lead_department_id=kept.id)
        )
    )
    moved["users"] = _count(
        session.execute(update(User).where(User.department_id.in_(ids)).values(department_id=kept.id))
    )
    moved["notices"] = _count(
        session.execute(
            update(Notice)
            .where(Notice.recipient_department_id.in_(ids))
            .values(recipient_department_id=kept.id)
        )
    )
    # 督办单 and group robots follow their department, or the delete below breaks their foreign keys
    for model, key in ((SupervisionOrder, "orders"), (Webhook, "webhooks")):
        moved[key] = _count(
            session.execute(update(model).where(model.department_id.in_(ids)).values(department_id=kept.id))
        )
    names = [d.name for d in gone]
    for d in gone:
        session.delete(d)
    session.flush()
    session.expire_all()  # relationships loaded before the bulk updates are stale
    record_audit(
        session,
        actor,
        "merge",
        "department",
        kept.id,
        {"merged": names, "ids": ids},
        {"into": kept.name, **moved},
    )
    return moved


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
