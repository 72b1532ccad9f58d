"""The edit page saves every field with one 保存, and keeps what was typed when it refuses (issue 9:
changing 牵头单位 and pressing the other 保存 lost it)."""

from __future__ import annotations

from luoshi.store.models import Department, Target

from .conftest import csrf_of, login


def _form(page: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": csrf_of(page),
        "title": "新建5G基站300座以上",
        "indicator": "5G基站",
        "target_value": "300",
        "unit": "座",
        "comparator": ">=",
        "kind": "count",
        "cadence": "monthly",
        "public": "1",
        "lead": "",
        "co": [],
        "status": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_one_save_keeps_fields_departments_and_status_together(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    page = admin.get(f"/targets/{ids.public_target}/edit").text
    assert page.count('type="submit">保存</button>') == 1 and "保存分配" not in page
    assert ">&gt;=<" not in page and ">不低于（以上）<" in page  # comparators shown in words, not as code
    assert 'name="target_value" value="300"' in page  # not 300.0
    with app.state.store.session() as s:
        gongxin = s.query(Department).filter_by(name="区工信局").one().id
    r = admin.post(
        f"/targets/{ids.public_target}/edit",
        data=_form(page, target_value="1.2万", lead=str(gongxin), status="behind", note="督查发现进度滞后"),
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with app.state.store.session() as s:
        t = s.get(Target, ids.public_target)
        assert t.target_value == 12000 and t.lead_department.name == "区工信局"
        assert t.status_override == "behind" and t.status_override_note == "督查发现进度滞后"


def test_a_refused_edit_keeps_what_was_typed_and_stores_nothing(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    page = admin.get(f"/targets/{ids.public_target}/edit").text
    r = admin.post(
        f"/targets/{ids.public_target}/edit",
        data=_form(page, title="新建5G基站350座", target_value="很多", indicator="5G基站（新口径）"),
        follow_redirects=False,
    )
    assert r.status_code == 400
    assert "目标值无法识别为数字" in r.text
    assert 'value="很多"' in r.text and "新建5G基站350座" in r.text and "5G基站（新口径）" in r.text
    r = admin.post(
        f"/targets/{ids.public_target}/edit",
        data=_form(page, title="新建5G基站350座", status="done", note=""),
        follow_redirects=False,
    )
    assert r.status_code == 400 and "须说明理由" in r.text
    with app.state.store.session() as s:
        t = s.get(Target, ids.public_target)
        assert t.title == "新建5G基站300座以上" and t.status_override is None  # all or nothing
