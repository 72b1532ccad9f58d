"""Every form keeps what was typed when it shows an error (issue 9): the page comes back with the
Chinese reason beside the form and the typed values in it, and nothing is stored."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from luoshi.store.models import Comment, Department, ProgressUpdate, User

from .conftest import csrf_of, login


def _count(app, model) -> int:  # noqa: ANN001
    with app.state.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def test_progress_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    reporter = login(app, "reporter")
    page = reporter.get(f"/targets/{ids.public_target}").text
    before = _count(app, ProgressUpdate)
    r = reporter.post(
        f"/targets/{ids.public_target}/updates",
        data={
            "csrf_token": csrf_of(page),
            "period": "2024-07-01",
            "value": "很多座",
            "narrative": "已建成基站一百余座，正在加紧施工",
            "internal": "1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert 'role="alert"' in r.text and "无法识别为数字" in text.split('role="alert">')[1].split("</p>")[0]
    assert 'value="很多座"' in text and ">已建成基站一百余座，正在加紧施工</textarea>" in text
    assert 'value="2024-07-01"' in text and 'name="internal" value="1" checked' in text
    assert _count(app, ProgressUpdate) == before


def test_correction_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    reporter = login(app, "reporter")
    page = reporter.get(f"/targets/{ids.public_target}").text
    before = _count(app, ProgressUpdate)
    r = reporter.post(
        f"/updates/{ids.update_id}/correct",
        data={"csrf_token": csrf_of(page), "value": "1e999", "narrative": "统计口径调整"},
        follow_redirects=False,
    )
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert 'value="1e999"' in text and 'value="统计口径调整"' in text and "<details open>" in text
    assert 'role="alert"' in text
    assert _count(app, ProgressUpdate) == before


def test_comment_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    leader = login(app, "leader")
    page = leader.get(f"/targets/{ids.public_target}").text
    r = leader.post(
        f"/targets/{ids.public_target}/comments",
        data={"csrf_token": csrf_of(page), "body": "   "},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "批示内容不能为空" in r.text
    body = "请区工信局加快进度，" * 250  # 2,500 characters: too long for a 批示
    r = leader.post(
        f"/targets/{ids.public_target}/comments",
        data={"csrf_token": csrf_of(page), "body": body},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "批示不能超过 2000 字" in r.text
    assert f">{body}</textarea>" in r.text  # what was typed is still there
    assert _count(app, Comment) == 0


def test_user_forms_keep_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    page = admin.get("/admin/users").text
    r = admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_of(page),
            "username": "viewer",
            "role": "leader",
            "department": "区财政局",
            "password": "long-enough-1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 400 and "用户名「viewer」已存在" in r.text
    add_form = r.text.split("<h2>新增用户</h2>")[1]
    assert 'name="username" required value="viewer"' in add_form
    assert '<option value="leader" selected>' in add_form and 'value="区财政局"' in add_form
    assert "long-enough-1" not in r.text  # a password is never sent back
    r = admin.post(
        "/admin/users",
        data={"csrf_token": csrf_of(page), "username": "张 三", "role": "viewer"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "不合规" in r.text and 'value="张 三"' in r.text
    r = admin.post(
        f"/admin/users/{ids.spare_user}",
        data={"csrf_token": csrf_of(page), "role": "leader", "department": "", "password": "short"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "密码至少" in r.text
    row = r.text.split(f'action="/admin/users/{ids.spare_user}"')[1].split("</form>")[0]
    assert '<option value="leader" selected>' in row  # the role chosen, not the stored one
    with app.state.store.session() as s:
        assert s.get(User, ids.spare_user).role != "leader"  # role and password: together or not at all


def test_department_forms_keep_what_was_typed(web) -> None:  # noqa: ANN001
    app, _ = web
    admin = login(app, "admin")
    page = admin.get("/admin/departments").text
    with app.state.store.session() as s:
        before = s.scalar(select(func.count()).select_from(Department))
        first = s.scalars(select(Department).order_by(Department.id)).first()
        assert first is not None
        first_id, first_name = first.id, first.name
    typed = "区教体局\n区发改局\n区民政局"  # the second exists: nothing is added, the list stays
    r = admin.post(
        "/admin/departments", data={"csrf_token": csrf_of(page), "name": typed}, follow_redirects=False
    )
    assert (
        r.status_code == 400 and "已有名为「区发改局」的单位" in r.text and f">{typed}</textarea>" in r.text
    )
    with app.state.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Department)) == before
    r = admin.post(
        f"/admin/departments/{first_id}/rename",
        data={"csrf_token": csrf_of(page), "name": "区工信局"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "已有名为「区工信局」的单位" in r.text
    row = r.text.split(f'action="/admin/departments/{first_id}/rename"')[1].split("</form>")[0]
    assert 'value="区工信局"' in row
    with app.state.store.session() as s:
        assert s.get(Department, first_id).name == first_name


def test_webhook_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, _ = web
    admin = login(app, "admin")
    page = admin.get("/admin/webhooks").text
    r = admin.post(
        "/admin/webhooks",
        data={
            "csrf_token": csrf_of(page),
            "kind": "dingtalk",
            "url": "ftp://oapi.dingtalk.com/robot/send?access_token=abc",
            "secret": "SEC123",
            "department": "区工信局",
        },
        follow_redirects=False,
    )
    assert r.status_code == 400 and "地址" in r.text and "无效" in r.text
    form = r.text.split("<h2>添加</h2>")[1]
    assert 'value="ftp://oapi.dingtalk.com/robot/send?access_token=abc"' in form
    assert '<option value="dingtalk" selected>' in form and '<option value="区工信局" selected>' in form
    assert "SEC123" not in r.text
