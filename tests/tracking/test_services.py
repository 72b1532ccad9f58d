from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from luoshi.errors import InputError, NotFoundError
from luoshi.settings import Settings
from luoshi.store.models import AuditLog, ProgressCheck, ProgressUpdate, Target, User
from luoshi.tracking import services
from luoshi.tracking.importer import import_report
from luoshi.tracking.projects import add_project_progress, overdue_by_department, project_rollup
from luoshi.tracking.proposals import merge_targets, split_target
from luoshi.tracking.queries import list_targets, overview, target_detail

from .conftest import SAMPLE_TEXT, make_plan

SETTINGS = Settings(today="2024-09-30")


def view_of(s, target_id: int):  # noqa: ANN001, ANN201
    return next(v for v in list_targets(s, SETTINGS) if v.target.id == target_id)


@pytest.fixture
def plan_ids(store) -> dict[str, int]:  # noqa: ANN001
    with store.session() as s:
        import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
        s.add(User(username="office", role="admin"))
        targets = s.scalars(select(Target).order_by(Target.position)).all()
        for t in targets:
            services.accept_target(s, t, actor="office")
        services.get_or_create_department(s, "区发改局")
        services.get_or_create_department(s, "区工信局")
        return {"gdp": targets[0].id, "5g": targets[1].id, "jobless": targets[2].id}


def test_updates_are_append_only_and_corrections_point_at_the_old(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        office = s.scalar(select(User))
        u1 = services.add_update(
            s, plan_ids["5g"], period=date(2024, 9, 25), value=120, narrative="已建120座", actor=office
        )
        services.check_update(s, u1, "accepted", actor=office)
    with store.session() as s:
        fixed = services.correct_update(s, u1.id, value=240, actor="office")
        assert fixed.supersedes_id == u1.id and fixed.narrative == "已建120座" and fixed.id != u1.id
    with store.session() as s:
        old = s.get(ProgressUpdate, u1.id)
        assert old.reported_value == 120  # the old version is kept unchanged
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == 2
        with pytest.raises(InputError, match="更正"):
            services.check_update(s, u1.id, "accepted")  # superseded versions cannot be checked again
        detail = target_detail(s, SETTINGS, plan_ids["5g"])
        assert [v.update.id for v in detail.updates] == [fixed.id, u1.id]
        assert detail.updates[1].superseded_by == fixed.id
        # The correction is not accepted yet: no current accepted reading.
        assert detail.view.status.code == "no_report" and detail.history == []
        services.check_update(s, fixed, "accepted", actor="office")
    with store.session() as s:
        view = view_of(s, plan_ids["5g"])
        assert view.status.latest.value == 240 and view.code == "on_pace"
        assert (
            s.scalar(
                select(func.count()).select_from(AuditLog).where(AuditLog.object_type == "progress_update")
            )
            == 4
        )


def test_review_check_flow(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        u = services.add_update(s, plan_ids["5g"], period=date(2024, 9, 25), value=60, actor="科员")
        assert services.update_state(u) == "submitted"
        # Only accepted values count: submitted is not yet a reading.
        assert view_of(s, plan_ids["5g"]).code == "no_report"
        with pytest.raises(InputError):
            services.check_update(s, u, "returned")  # a return needs a reason
        with pytest.raises(InputError):
            services.check_update(s, u, "maybe", "x")
        services.check_update(s, u, "returned", "数据口径不对", actor="office")
        assert services.update_state(u) == "returned"
    with store.session() as s:
        # A returned report does not count as delivered: the September report is overdue (催办).
        v = view_of(s, plan_ids["5g"])
        assert v.code == "overdue" and v.status.report_overdue
        services.check_update(s, u.id, "accepted", actor="office")
    with store.session() as s:
        assert view_of(s, plan_ids["5g"]).code == "far_behind"
        assert s.get(ProgressUpdate, u.id).reported_value == 60
        assert [c.decision for c in s.scalars(select(ProgressCheck).order_by(ProgressCheck.id))] == [
            "returned",
            "accepted",
        ]


def test_update_needs_content_and_existing_target(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        with pytest.raises(InputError):
            services.add_update(s, plan_ids["5g"], period=date(2024, 9, 1))
        with pytest.raises(NotFoundError):
            services.add_update(s, 99999, period=date(2024, 9, 1), value=1)


def test_filters_edit_assign_and_overview(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        services.assign_departments(s, plan_ids["5g"], "区工信局", ["区发改局"], actor="office")
        services.assign_departments(s, plan_ids["gdp"], "区发改局", [], actor="office")
        services.edit_target(
            s, plan_ids["jobless"], {"title": "失业率不超过5.5%", "public": True}, actor="office"
        )
        with pytest.raises(InputError):
            services.edit_target(s, plan_ids["jobless"], {"kind": "weird"})
        with pytest.raises(InputError):
            services.edit_target(s, plan_ids["jobless"], {"report_id": 5})
        with pytest.raises(InputError, match="目标值"):
            services.edit_target(s, plan_ids["jobless"], {"target_value": "lots"})
        services.edit_target(s, plan_ids["5g"], {"target_value": "300", "amber_gap": 12})
        for tid, value in ((plan_ids["gdp"], 6.2), (plan_ids["jobless"], 5.1)):
            services.check_update(
                s, services.add_update(s, tid, period=date(2024, 9, 20), value=value), "accepted"
            )
    with store.session() as s:
        assert {v.target.id for v in list_targets(s, SETTINGS, department="区发改局")} == {
            plan_ids["gdp"],
            plan_ids["5g"],
        }
        assert [v.target.id for v in list_targets(s, SETTINGS, department="区工信局")] == [plan_ids["5g"]]
        assert [v.target.id for v in list_targets(s, SETTINGS, status="未填报")] == []
        assert [v.target.id for v in list_targets(s, SETTINGS, status="overdue")] == [plan_ids["5g"]]
        assert [v.target.id for v in list_targets(s, SETTINGS, public_only=True)] == [plan_ids["jobless"]]
        assert list_targets(s, SETTINGS, q="%' OR 1=1 --") == []
        assert [v.target.id for v in list_targets(s, SETTINGS, area="二、2024年主要预期目标")] == list(
            plan_ids.values()
        )
        ov = overview(s, SETTINGS)
        assert ov.total.total == 3 and ov.total.counts["on_pace"] == 2 and ov.total.counts["overdue"] == 1
        assert {g.name: g.total for g in ov.by_department} == {"区发改局": 1, "区工信局": 1, "未分配": 1}
        assert ov.to_dict()["total"]["fulfilment"] == pytest.approx(66.7)
        assert [v.target.id for v in overdue_by_department(s, SETTINGS)["区工信局"]] == [plan_ids["5g"]]
        edits = s.scalars(select(AuditLog).where(AuditLog.action == "edit")).all()
        assert edits[0].before["title"] != edits[0].after["title"] and edits[0].after["public"] is True


def test_merge_and_split(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        gdp, jobless = s.get(Target, plan_ids["gdp"]), s.get(Target, plan_ids["jobless"])
        gdp_figure = (gdp.target_value, gdp.unit)
        assert (jobless.target_value, jobless.unit) != gdp_figure
        with pytest.raises(InputError, match="目标值不同.*请选择保留哪一个"):  # never dropped silently
            merge_targets(s, plan_ids["gdp"], [plan_ids["jobless"]], actor="office")
        with pytest.raises(InputError, match="不在这次合并之中"):
            merge_targets(s, plan_ids["gdp"], [plan_ids["jobless"]], figure_from=plan_ids["5g"])
        kept = merge_targets(
            s, plan_ids["gdp"], [plan_ids["jobless"]], actor="office", figure_from=plan_ids["gdp"]
        )
        assert (kept.target_value, kept.unit) == gdp_figure
        merge_log = s.scalars(select(AuditLog).where(AuditLog.action == "merge")).one()
        assert merge_log.after["figure_kept_from"] == plan_ids["gdp"]
        assert merge_log.after["figure"]["target_value"] == jobless.target_value  # the other one is on record
        assert s.get(Target, plan_ids["jobless"]).merged_into_id == kept.id
        parts = split_target(
            s,
            plan_ids["5g"],
            [
                {"title": "新建5G基站150座（上半年）", "target_value": 150},
                {"title": "新建5G基站150座（下半年）", "target_value": 150},
            ],
        )
        assert all(p.split_from_id == plan_ids["5g"] and p.unit == "座" for p in parts)
        assert s.get(Target, plan_ids["5g"]).review_state == "rejected"
    with store.session() as s:
        assert len(list_targets(s, SETTINGS)) == 3  # gdp + two parts
        with pytest.raises(InputError):
            merge_targets(s, plan_ids["gdp"], [plan_ids["gdp"]])


def test_project_rollup(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        rollup = project_rollup(s, SETTINGS)
        smart = next(p for p in rollup.projects if p.name == "智慧城市项目")
        add_project_progress(s, smart.id, date(2024, 6, 30), 0.5e8, stage="在建", actor="office")
        add_project_progress(s, smart.id, date(2024, 9, 30), 1.5e8, actor="office")
        add_project_progress(s, smart.id, date(2024, 10, 30), 1.9e8, actor="office")  # after "today"
    with store.session() as s:
        r = project_rollup(s, SETTINGS)
        line = next(p for p in r.projects if p.name == "智慧城市项目")
        assert line.completed == 1.5e8 and line.rate == 75.0 and line.stage == "在建"
        assert r.total.planned == 2.0e8 and r.total.projects == 24
        assert r.stated_projects == 222 and r.stated_investment == pytest.approx(312.4e8)
        assert 74 < r.time_progress < 76


def test_status_changes_are_logged_once(store, plan_ids) -> None:  # noqa: ANN001
    from luoshi.notify.events import refresh_statuses
    from luoshi.store.models import StatusLog

    with store.session() as s:
        # accepting the plan (a write service) already logged each target's first status at commit
        logged = list(s.scalars(select(StatusLog)))
        assert {r.status for r in logged} == {"overdue"} and all(r.previous is None for r in logged)
        assert refresh_statuses(s, SETTINGS).changes == []
        u = services.add_update(s, plan_ids["5g"], period=date(2024, 9, 25), value=60)
        services.check_update(s, u, "accepted")
    with store.session() as s:
        # the write service's commit hook logged the change; the one writer adds nothing more
        assert refresh_statuses(s, SETTINGS).changes == []
        last = s.scalars(select(StatusLog).order_by(StatusLog.id.desc())).first()
        assert last is not None and (last.target_id, last.previous, last.status) == (
            plan_ids["5g"],
            "overdue",
            "far_behind",
        )
        assert s.scalar(select(func.count()).select_from(StatusLog)) == 4


def test_status_log_has_one_writer() -> None:
    """ONE FACT, ONE PLACE: only notify.events appends status_log rows (tracking.changes was a copy)."""
    import luoshi

    root = Path(luoshi.__file__).parent

    def writes(src: str) -> bool:  # an ORM row or a Core insert into the table
        return ("StatusLog(" in src and "class StatusLog(" not in src) or "StatusLog.__table__" in src

    writers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if writes(p.read_text("utf-8")))
    assert writers == ["notify/events.py"]


def test_status_override_is_shown_audited_and_clearable(store, plan_ids) -> None:  # noqa: ANN001
    with store.session() as s:
        with pytest.raises(InputError):
            services.override_status(s, plan_ids["5g"], "done")  # needs a note
        with pytest.raises(InputError):
            services.override_status(s, plan_ids["5g"], "green", "x")
        services.override_status(s, plan_ids["5g"], "done", "已通过现场核查", actor="office")
    with store.session() as s:
        v = view_of(s, plan_ids["5g"])
        assert v.code == "done" and v.status.overridden and "已通过现场核查" in v.status.reason
        assert v.to_dict()["status_overridden"] is True
        services.override_status(s, plan_ids["5g"], None, actor="office")
    with store.session() as s:
        assert view_of(s, plan_ids["5g"]).code == "overdue"
        assert len(s.scalars(select(AuditLog).where(AuditLog.action == "override_status")).all()) == 2


def test_as_of() -> None:
    from luoshi.tracking.queries import as_of

    assert as_of(Settings(today="2024-09-30")) == date(2024, 9, 30)
    assert as_of(Settings(today="")) == date.today()
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        as_of(Settings(today="30/09/2024"))


def test_find_and_list_reports(store, plan_ids) -> None:  # noqa: ANN001
    from luoshi.tracking.listing import reports as list_reports
    from luoshi.tracking.queries import find_report

    with store.session() as s:
        report = find_report(s, "张店区", 2024)
        assert [r.id for r in list_reports(s)] == [report.id] and report.jurisdiction.name == "张店区"
        with pytest.raises(NotFoundError):
            find_report(s, "张店区", 2023)


def test_moving_a_target_to_another_area(store, plan_ids) -> None:  # noqa: ANN001
    from luoshi.store.models import Area

    with store.session() as s:
        t = s.get(Target, plan_ids["5g"])
        other = s.scalars(select(Area).where(Area.report_id == t.report_id, Area.id != t.area_id)).first()
        assert t.area is not None
        services.edit_target(s, t, {"area_id": other.id})
        assert t.area.heading == other.heading
        assert view_of(s, t.id).to_dict()["area"] == other.heading
        with pytest.raises(InputError):
            services.edit_target(s, t, {"area_id": 987654})


def test_a_new_report_with_only_proposed_targets_does_not_take_over(store, plan_ids) -> None:  # noqa: ANN001
    from luoshi.tracking.queries import current_report, latest_report

    with store.session() as s:
        first = s.get(Target, plan_ids["gdp"]).report_id
        text = SAMPLE_TEXT + "（2025年）\n"
        newer = import_report(s, text, "张店区", 2025, plan=make_plan(text)).report.id
        assert latest_report(s).id == newer and current_report(s).id == first
        assert overview(s, SETTINGS).report.id == first
        services.accept_target(s, s.scalars(select(Target).where(Target.report_id == newer)).first())
        assert current_report(s).id == newer


def test_accept_all(store) -> None:  # noqa: ANN001
    from luoshi.tracking.proposals import accept_all

    with store.session() as s:
        report = import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan()).report
        services.reject_target(s, s.scalars(select(Target).order_by(Target.position)).first())
        assert len(accept_all(s, report.id, actor="office")) == 2
        assert sorted(s.scalars(select(Target.review_state))) == ["accepted", "accepted", "rejected"]
        assert accept_all(s, report.id) == []
