"""Pages that only display targets read lines (issue 10): plain rows and the status' brief, not ORM
objects. They must tell what the ORM path tells: the same targets in the same order, the same
status (kept, computed or overridden), the same departments, the same report choices."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import Area, Department, Target
from luoshi.tracking import listing
from luoshi.tracking.queries import list_targets, statuses_for, target_lines
from luoshi.tracking.readmodel import rebuild
from luoshi.web.templating import make_templates

from .conftest import login
from .seed import seed


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def web_any(request: pytest.FixtureRequest, settings: Settings) -> Iterator[tuple[object, object]]:
    """(app, seeded ids) on a SQLite file and on PostgreSQL (the kept status is read by each one's
    JSON operators)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("web")
        return
    from luoshi.store.testing import private_postgres_schema
    from luoshi.web.app import create_app

    with private_postgres_schema(request.getfixturevalue("postgres_url")) as url:
        pg = replace(settings, database_url=url)
        store = open_store(pg)
        with store.session() as s:
            ids = seed(s, upload_dir=Path(pg.upload_dir))
        yield create_app(pg, store=store), ids
        store.dispose()


def _same_as_views(session, settings, **filters) -> int:  # noqa: ANN001
    lines = target_lines(session, settings, **filters)
    views = list_targets(session, settings, **filters)
    assert [x.row.id for x in lines] == [v.target.id for v in views]
    for line, view in zip(lines, views, strict=True):
        assert line.status == view.status.brief
        t = view.target
        assert line.row.area_heading == (t.area.heading if t.area else None)
        assert line.row.lead_name == (t.lead_department.name if t.lead_department else None)
    return len(lines)


@pytest.mark.parametrize("kept", [True, False], ids=["kept status", "computed status"])
def test_lines_tell_what_list_targets_tells(web_any, kept: bool) -> None:  # noqa: ANN001
    app, ids = web_any
    settings = app.state.settings
    with app.state.store.session() as s:
        s.get(Target, ids.public_target).status_override = "far_behind"  # 人工认定
        s.get(Target, ids.other_public_target).status_override = "done"
    with app.state.store.session() as s:
        # kept: the day's statuses as `luoshi remind` keeps them; else none kept for the day asked
        rebuild(s, settings if kept else None)
    with app.state.store.session() as s:
        report = ids.report_id
        area = s.scalar(select(Area.id).join(Target, Target.area_id == Area.id).limit(1))
        heading = s.get(Area, area).heading
        dept = s.scalar(select(Department.id).where(Department.name == "区财政局"))
        counted = [
            _same_as_views(s, settings, report_id=report),
            _same_as_views(s, settings, report_id=report, public_only=True),
            _same_as_views(s, settings, report_id=report, area=area),
            _same_as_views(s, settings, report_id=report, area=heading),
            _same_as_views(s, settings, report_id=report, department=dept),
            _same_as_views(s, settings, report_id=report, department="区发改局"),
            _same_as_views(s, settings, report_id=report, q="%"),  # a literal %, as typed
            _same_as_views(s, settings, report_id=report, q="没有这样的任务"),
            _same_as_views(s, settings, report_id=report, review_state="proposed"),
        ]
        assert counted[0] > counted[1] > 0 and all(counted[2:6]) and counted[7] == 0, counted
        lines = {x.row.id: x.status for x in target_lines(s, settings, report)}
        assert lines[ids.public_target].code == "far_behind"
        assert lines[ids.other_public_target].code == "done"
        later = replace(settings, today="2024-11-30")  # a day with no kept status: computed
        targets = list(s.scalars(select(Target).where(Target.report_id == report)))
        full = statuses_for(s, later, targets)
        for line in target_lines(s, later, report):
            assert line.status == full[line.row.id].brief


def test_report_choices_are_the_reports_in_their_order(web) -> None:  # noqa: ANN001
    app, _ids = web
    with app.state.store.session() as s:
        for public_only in (False, True):
            assert [(c.id, c.year, c.jurisdiction_name) for c in listing.report_choices(s, public_only)] == [
                (r.id, r.year, r.jurisdiction.name) for r in listing.reports(s, public_only)
            ]


def test_list_page_shows_departments_by_name_and_short_areas(web) -> None:  # noqa: ANN001
    app, ids = web
    with app.state.store.session() as s:
        target = s.get(Target, ids.internal_target)
        target.area.heading = "聚焦聚力推进城市更新与品质提升行动 其余文字"
        target.co_departments = [
            s.scalar(select(Department).where(Department.name == name)) for name in ("区财政局", "区发改局")
        ]
        lead = target.lead_department.name
        co = sorted(d.name for d in target.co_departments)  # Target.co_departments' own order
    html = login(app, "admin").get(f"/targets?report={ids.report_id}&sort=id").text
    row = html[html.index(f'value="{ids.internal_target}" form="bulk"') :]
    row = row[: row.index("</tr>")]
    assert f'<b>{lead}</b><br><span class="muted">{co[0]}、{co[1]}</span>' in row
    assert ">聚焦聚力推进城市更新与…</td>" in row  # first word, at most 12 characters


@pytest.mark.parametrize(
    "heading",
    [None, "", "聚焦聚力稳住向好态势", "一二三四五六七八九十一二", "一二三四五六七八九十一二三", "a b", " x"],
)
def test_area_label_is_truncate_of_the_first_word(heading: str | None) -> None:
    env = make_templates().env
    jinja = env.from_string("{{ ((h or '').split(' ')[0])|truncate(12, True, '…', 0) }}")
    assert env.from_string("{{ h|arealabel }}").render(h=heading) == jinja.render(h=heading)
