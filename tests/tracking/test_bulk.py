"""luoshi.tracking.bulk on SQLite and PostgreSQL: preview writes nothing, apply is one audited
change, undo restores exactly and refuses when an item changed since."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from tests.web.seed import DEPARTMENTS, seed

from luoshi.errors import InputError
from luoshi.store.models import AuditLog, Department, Target
from luoshi.tracking import bulk, services


def _state(s, ids):  # noqa: ANN001, ANN202
    return {
        t.id: (
            t.lead_department_id,
            sorted(d.id for d in t.co_departments),
            t.cadence,
            t.due_day,
            t.deadline,
            t.public,
            t.review_state,
        )
        for t in s.scalars(select(Target).where(Target.id.in_(ids)))
    }


def test_assign_keeps_co_departments_unless_chosen_and_undo_restores(store) -> None:  # noqa: ANN001
    with store.session() as s:
        ids = seed(s)
    picked = [ids.public_target, ids.internal_target]
    with store.session() as s:
        dept = {d.name: d.id for d in s.scalars(select(Department))}
        before = _state(s, picked)
        audits = s.scalar(select(func.count(AuditLog.id)))
        changes = bulk.preview(s, "assign", picked, {"lead": dept[DEPARTMENTS[1]]})
        assert {c.id for c in changes} == {ids.public_target}  # the internal one is led by it already
        assert s.scalar(select(func.count(AuditLog.id))) == audits and _state(s, picked) == before
        result = bulk.apply(s, "assign", picked, {"lead": dept[DEPARTMENTS[1]]}, actor="office")
        t = s.get(Target, ids.public_target)
        assert t.lead_department_id == dept[DEPARTMENTS[1]]
        assert [d.id for d in t.co_departments] == [dept[DEPARTMENTS[2]]]  # kept: none chosen
        audit_id = result.audit_id
    with store.session() as s:
        bulk.undo(s, audit_id, actor="office")
    with store.session() as s:
        assert _state(s, picked) == before
        assert bulk.undone_by(s, audit_id) is not None
        with pytest.raises(InputError, match="不能重复撤销"):
            bulk.undo(s, audit_id)


def test_schedule_publish_accept_and_refused_undo(store) -> None:  # noqa: ANN001
    with store.session() as s:
        ids = seed(s)
    picked = [ids.public_target, ids.other_public_target, ids.proposed_target]
    with store.session() as s:
        before = _state(s, picked)
        sched = bulk.apply(
            s, "schedule", picked, {"cadence": "quarterly", "due_day": "10", "deadline": "2024-10-31"}
        )
        pub = bulk.apply(s, "unpublish", picked[:2])
        acc = bulk.apply(s, "accept", picked)  # only the proposed one changes
        assert [c.id for c in acc.changes] == [ids.proposed_target]
        with pytest.raises(InputError, match="无需改动"):
            bulk.apply(s, "unpublish", picked[:2])
        with pytest.raises(InputError, match="日期"):
            bulk.preview(s, "schedule", picked, {"deadline": "明年"})
        t = s.get(Target, ids.public_target)
        assert (t.cadence, t.due_day, t.deadline, t.public) == ("quarterly", 10, date(2024, 10, 31), False)
        # a later single edit of a field the bulk change set: its undo is refused, nothing restored
        services.edit_target(s, ids.other_public_target, {"due_day": 12})
        with pytest.raises(InputError, match="已被再次修改"):
            bulk.undo(s, sched.audit_id)
        assert s.get(Target, ids.public_target).due_day == 10
        bulk.undo(s, acc.audit_id)
        bulk.undo(s, pub.audit_id)
        services.edit_target(s, ids.other_public_target, {"due_day": 10})
        bulk.undo(s, sched.audit_id)
        assert _state(s, picked) == before
