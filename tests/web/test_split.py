"""Split gives each part its own indicator, comparator and value (issue 9)."""

from __future__ import annotations

from sqlalchemy import select

from luoshi.store.models import AuditLog, Target

from .conftest import csrf_of, login


def test_each_split_part_has_its_own_indicator_comparator_and_value(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    page = admin.get("/queue").text
    parts = (
        "新建5G基站300座以上 | 5G基站 | ≥300座\n"
        "城镇调查失业率控制在5.5%以内 | 城镇调查失业率 | 5.5%以内\n"
        "新增城镇就业1.2万人 | 1.2万人左右\n"
        "居民收入增长6%–6.5% | 居民收入 | 6%–6.5%"
    )
    r = admin.post(
        f"/queue/{ids.proposed_target}/split",
        data={"parts": parts, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with app.state.store.session() as s:
        made = {
            t.title: t for t in s.scalars(select(Target).where(Target.split_from_id == ids.proposed_target))
        }
        got = {
            title: (t.indicator, t.comparator, t.target_value, t.unit, t.value_max)
            for title, t in made.items()
        }
    assert got == {
        "新建5G基站300座以上": ("5G基站", ">=", 300, "座", None),
        "城镇调查失业率控制在5.5%以内": ("城镇调查失业率", "<=", 5.5, "%", None),
        "新增城镇就业1.2万人": ("新增城镇就业1.2万人", "~", 12000, "人", None),
        "居民收入增长6%–6.5%": ("居民收入", "range", 6, "%", 6.5),
    }, got
    bad = admin.post(
        f"/queue/{ids.proposed_target}/split",
        data={"parts": "甲 | 很多\n乙 | 2", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert bad.status_code == 400 and "第 1 行的目标值" in bad.text


def test_merge_shows_enough_to_tell_targets_apart_and_keeps_a_figure(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    with app.state.store.session() as s:
        keep = s.get(Target, ids.other_public_target)
        keep.target_value = None
        proposed = s.get(Target, ids.proposed_target)
        figure = (proposed.target_value, proposed.unit, proposed.comparator)
    page = admin.get("/queue").text
    assert " · 区" in page or " · " in page  # value, area and sentence beside each choice
    assert "「" in page.split('name="into"')[1].split("</select>")[0]
    r = admin.post(
        f"/queue/{ids.proposed_target}/merge",
        data={"into": str(ids.other_public_target), "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with app.state.store.session() as s:
        keep = s.get(Target, ids.other_public_target)
        assert (keep.target_value, keep.unit, keep.comparator) == figure


def test_merge_of_two_figures_asks_which_to_keep_and_records_it(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    with app.state.store.session() as s:
        keep = s.get(Target, ids.other_public_target)
        proposed = s.get(Target, ids.proposed_target)
        keep.target_value, keep.unit, keep.comparator = 300.0, "座", ">="
        proposed.target_value, proposed.unit, proposed.comparator = 1.2e4, "人", ">="
    page = admin.get("/queue").text
    asked = admin.post(
        f"/queue/{ids.proposed_target}/merge",
        data={"into": str(ids.other_public_target), "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert asked.status_code == 200 and "≥300座" in asked.text and "≥1.2万人" in asked.text
    assert 'name="figure"' in asked.text and "请选择保留哪一个" in asked.text
    with app.state.store.session() as s:
        assert s.get(Target, ids.proposed_target).review_state == "proposed"  # nothing merged yet
    bad = admin.post(
        f"/queue/{ids.proposed_target}/merge",
        data={"into": str(ids.other_public_target), "figure": "both", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert bad.status_code == 400 and "请选择保留哪一个目标值" in bad.text
    done = admin.post(
        f"/queue/{ids.proposed_target}/merge",
        data={"into": str(ids.other_public_target), "figure": "this", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    with app.state.store.session() as s:
        keep = s.get(Target, ids.other_public_target)
        assert (keep.target_value, keep.unit) == (1.2e4, "人")
        log = s.scalars(select(AuditLog).where(AuditLog.action == "merge")).one()
        assert log.after["figure_kept_from"] == ids.proposed_target
        assert log.after["figure"]["target_value"] == 1.2e4
    audit = admin.get("/admin/audit").text
    assert f"合并到目标{ids.other_public_target}，保留本目标的目标值" in audit
