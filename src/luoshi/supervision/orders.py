"""督办单: a 催办 left unanswered turns into a numbered supervision notice.

Interface::

    escalate(session, settings, day, actor="system") -> list[SupervisionOrder]   # luoshi remind
    close_answered(session, statuses, day) -> list[SupervisionOrder]             # on every refresh
    order_view(session, order) -> OrderView          # what the page and the Word document show
    list_orders(session, state=None) -> list[SupervisionOrder]
    orders_of_target(session, target_id) -> list[SupervisionOrder]
    open_at(order, day) -> bool

Rule: when an accepted target's progress report is missing ``settings.escalate_after_days`` days
or more past its due date (the 催办 of luoshi.notify.events), ``escalate`` issues ONE order for that
missed report (none while an order for the target is still open): 编号 ``督字〔YEAR〕N号`` (N counts
up per year), 督办事项, 责任单位 (the lead department), 办理时限 (``order_time_limit_days`` later)
and 督办依据 (the report's title and the target's source sentence). The department and the office
are told (notice kind ``supervision_order``) and the audit trail logs ``order.create``.
An order is 办结 (``closed_on``) on the day a report covering the missed period is in — checked by
``close_answered`` inside every status refresh (web forms at once, the API at the next
``luoshi remind``), audited as ``order.close``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from luoshi.errors import NotFoundError
from luoshi.notify.notices import NoticeWriter
from luoshi.notify.statuses import TargetStatus, current_statuses
from luoshi.settings import Settings
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import Department, Jurisdiction, Report, SupervisionOrder, Target
from luoshi.tracking.status import last_due

__all__ = [
    "OFFICE_ROLE",
    "OrderView",
    "close_answered",
    "escalate",
    "get_order",
    "list_orders",
    "open_at",
    "order_number",
    "order_view",
    "orders_of_target",
    "source_sentence",
]

OFFICE_ROLE = "admin"


def order_number(year: int, seq: int) -> str:
    return f"督字〔{year}〕{seq}号"


def source_sentence(target: Target, report: Report) -> str:
    """The sentence of the report the target was read from (its span widened to the sentence)."""
    text = report.text or ""
    start = target.sentence_start if target.sentence_start is not None else target.span_start
    end = target.sentence_end if target.sentence_end is not None else target.span_end
    if start is None or end is None or not 0 <= start < end <= len(text):
        return (target.surface or target.title or "").strip()
    return " ".join(text[start:end].split())


def _short(target: Target) -> str:
    text = (target.title or target.indicator or f"目标{target.id}").strip().replace("\n", " ")
    return text if len(text) <= 60 else text[:59] + "…"


def _link(order_id: int) -> str:
    return f"/orders/{order_id}"


def open_at(order: SupervisionOrder, day: date) -> bool:
    """Was the order open (issued, not yet 办结) at the end of ``day``?"""
    return order.opened_on <= day and (order.closed_on is None or order.closed_on > day)


def escalate(
    session: Session, settings: Settings, day: date, actor: Actor = "system"
) -> list[SupervisionOrder]:
    """Issue the 督办单 that are due as of ``day`` (see the module docstring); the caller commits."""
    statuses = current_statuses(session, settings, day)
    already = {
        (tid, due)
        for tid, due in session.execute(select(SupervisionOrder.target_id, SupervisionOrder.report_due))
    }
    still_open = set(
        session.scalars(select(SupervisionOrder.target_id).where(SupervisionOrder.closed_on.is_(None)))
    )
    seq = int(
        session.scalar(select(func.max(SupervisionOrder.seq)).where(SupervisionOrder.year == day.year)) or 0
    )
    writer = NoticeWriter(session, everything=True)  # orders for any target
    made: list[SupervisionOrder] = []
    for tid, ts in statuses.items():
        res, target = ts.result, ts.target
        if not res.report_overdue or res.report_due is None or tid in still_open:
            continue
        late = (day - res.report_due).days
        if late < settings.escalate_after_days or (tid, res.report_due) in already:
            continue
        report = session.get(Report, target.report_id)
        assert report is not None
        department = session.get(Department, target.lead_department_id) if target.lead_department_id else None
        seq += 1
        order = SupervisionOrder(
            year=day.year,
            seq=seq,
            number=order_number(day.year, seq),
            target_id=tid,
            department_id=department.id if department else None,
            matter=(
                f"「{_short(target)}」应于{res.report_due.isoformat()}前报送的进展，经催办仍逾期{late}天未报送。"
                f"请于办理时限内报送进展并说明逾期原因。"
            ),
            basis=f"《{report.title or report.source_name or f'{report.year}年政府工作报告'}》：{source_sentence(target, report)}",
            report_due=res.report_due,
            time_limit=day + timedelta(days=settings.order_time_limit_days),
            opened_on=day,
        )
        session.add(order)
        session.flush()
        made.append(order)
        still_open.add(tid)
        record_audit(
            session,
            actor,
            "order.create",
            "supervision_order",
            order.id,
            after={
                "number": order.number,
                "target_id": tid,
                "department": department.name if department else None,
                "report_due": order.report_due,
                "time_limit": order.time_limit,
            },
        )
        text = f"督办单{order.number}：{order.matter}办理时限：{order.time_limit.isoformat()}。"
        if department is not None:
            writer.add(
                "supervision_order", text, department_id=department.id, target_id=tid, link=_link(order.id)
            )
        writer.add("supervision_order", text, role=OFFICE_ROLE, target_id=tid, link=_link(order.id))
    return made


_OPEN = select(SupervisionOrder).where(SupervisionOrder.closed_on.is_(None))
_OPEN_OF = _OPEN.where(SupervisionOrder.target_id.in_(bindparam("ids", expanding=True)))


def close_answered(session: Session, statuses: dict[int, TargetStatus], day: date) -> list[SupervisionOrder]:
    """办结 the open orders of ``statuses``' targets whose missed report is now in; the caller commits."""
    if not statuses:
        return []
    if len(statuses) < 500:  # (this runs at the commit of every progress report)
        found = session.scalars(_OPEN_OF, {"ids": list(statuses)})
    else:
        found = session.scalars(_OPEN)
    closed: list[SupervisionOrder] = []
    writer: NoticeWriter | None = None
    for order in found:
        ts = statuses.get(order.target_id)
        submitted = ts.input.last_submitted if ts is not None else None
        if ts is None or submitted is None:
            continue
        inp = ts.input
        cycle = last_due(order.report_due, inp.start, inp.deadline, inp.cadence, inp.due_day)
        covers = cycle[1] if cycle else inp.start
        if submitted < covers:
            continue
        order.closed_on = day
        order.closed_note = f"已报送{submitted.isoformat()}期进展"
        record_audit(
            session,
            "system",
            "order.close",
            "supervision_order",
            order.id,
            before={"closed_on": None},
            after={"closed_on": day, "note": order.closed_note},
        )
        writer = writer or NoticeWriter(session, window=timedelta(days=2))
        writer.add(
            "supervision_order",
            f"督办单{order.number}已办结（{day.isoformat()}）：{order.closed_note}。",
            role=OFFICE_ROLE,
            target_id=order.target_id,
            link=_link(order.id),
        )
        closed.append(order)
    return closed


def list_orders(session: Session, state: str | None = None) -> list[SupervisionOrder]:
    """Every order, newest first; ``state`` ``open`` or ``closed`` filters."""
    query = select(SupervisionOrder).order_by(SupervisionOrder.id.desc())
    if state == "open":
        query = query.where(SupervisionOrder.closed_on.is_(None))
    elif state == "closed":
        query = query.where(SupervisionOrder.closed_on.is_not(None))
    return list(session.scalars(query))


def orders_of_target(session: Session, target_id: int) -> list[SupervisionOrder]:
    return list(
        session.scalars(
            select(SupervisionOrder)
            .where(SupervisionOrder.target_id == target_id)
            .order_by(SupervisionOrder.id.desc())
        )
    )


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str
    issuer: str  # e.g. 张店区人民政府督查室
    matter: str
    department: str
    time_limit: date
    basis: str
    report_due: date
    opened_on: date
    closed_on: date | None
    closed_note: str | None
    target_id: int
    target_title: str

    @property
    def state_label(self) -> str:
        return f"已办结（{self.closed_on.isoformat()}）" if self.closed_on else "办理中"


def order_view(session: Session, order: SupervisionOrder) -> OrderView:
    target = session.get(Target, order.target_id)
    assert target is not None
    report = session.get(Report, target.report_id)
    place = session.get(Jurisdiction, report.jurisdiction_id) if report else None
    department = session.get(Department, order.department_id) if order.department_id else None
    return OrderView(
        id=order.id,
        number=order.number,
        issuer=f"{place.name if place else ''}人民政府督查室",
        matter=order.matter,
        department=department.name if department else "（未指定牵头单位）",
        time_limit=order.time_limit,
        basis=order.basis,
        report_due=order.report_due,
        opened_on=order.opened_on,
        closed_on=order.closed_on,
        closed_note=order.closed_note,
        target_id=target.id,
        target_title=target.title,
    )


def get_order(session: Session, order_id: int) -> SupervisionOrder:
    order = session.get(SupervisionOrder, order_id)
    if order is None:
        raise NotFoundError(f"没有编号为 {order_id} 的督办单")
    return order
