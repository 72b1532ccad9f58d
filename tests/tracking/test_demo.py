from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from luoshi.store.models import AuditLog, Department, ProgressUpdate, Report, Target
from luoshi.tracking.demo import DEMO_AS_OF, load_demo
from luoshi.tracking.projects import project_rollup
from luoshi.tracking.queries import list_targets, overview
from luoshi.tracking.status import STATUS_CODES


def test_demo_has_every_status_and_is_idempotent(store) -> None:  # noqa: ANN001
    settings = store.settings.with_(today="")
    with store.session() as s:
        info = load_demo(s, settings)
    assert info.sample and info.created and info.as_of == DEMO_AS_OF
    settings = settings.with_(today=info.as_of.isoformat())
    with store.session() as s:
        views = list_targets(s, settings)
        assert len(views) == info.targets > 20
        codes = Counter(v.code for v in views)
        assert set(codes) == set(STATUS_CODES), codes
        assert all(v.target.public and v.target.lead_department is not None for v in views)
        assert len({v.target.lead_department.name for v in views}) >= 5
        assert s.scalar(select(Report)).sample
        ov = overview(s, settings)
        assert ov.total.total == len(views) and len(ov.by_area) >= 3
        rollup = project_rollup(s, settings)
        assert (
            rollup.total is not None
            and rollup.total.planned > 0
            and 0 < rollup.total.completed < rollup.total.planned
        )
        updates = s.scalar(select(func.count()).select_from(ProgressUpdate))
        audits = s.scalar(select(func.count()).select_from(AuditLog))
    with store.session() as s:
        again = load_demo(s, settings)
    assert not again.created and again.report_id == info.report_id
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == updates
        assert s.scalar(select(func.count()).select_from(Report)) == 1
        assert s.scalar(select(func.count()).select_from(Target)) == info.targets
        assert s.scalar(select(func.count()).select_from(Department)) >= 5
        assert s.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_demo_is_deterministic(tmp_path) -> None:  # noqa: ANN001
    from luoshi.settings import Settings
    from luoshi.store import open_store

    values = []
    for name in ("a.db", "b.db"):
        st = open_store(Settings(database_url=str(tmp_path / name)))
        with st.session() as s:
            load_demo(s)
            values.append(
                s.execute(
                    select(ProgressUpdate.target_id, ProgressUpdate.reported_value).order_by(
                        ProgressUpdate.id
                    )
                ).all()
            )
        st.dispose()
    assert values[0] == values[1]


def test_demo_targets_have_milestones_and_review_states(store) -> None:  # noqa: ANN001
    from luoshi.store.models import Milestone, ProgressCheck
    from luoshi.tracking.queries import target_detail

    with store.session() as s:
        info = load_demo(s, store.settings)
    settings = store.settings.with_(today=info.as_of.isoformat())
    with store.session() as s:
        with_ms = s.scalars(select(Milestone.target_id).distinct()).all()
        assert len(with_ms) == 3
        detail = target_detail(s, settings, with_ms[0])
        assert [m.title for m in detail.milestones][0] == "启动实施" and detail.history and detail.pace
        decisions = Counter(s.scalars(select(ProgressCheck.decision)))
        assert decisions["returned"] == 1 and decisions["accepted"] > 100
        waiting = s.scalar(
            select(func.count()).select_from(ProgressUpdate).where(~ProgressUpdate.checks.any())
        )
        assert waiting == 1
