"""Setting up in the browser's forms (no command line): departments, import, passwords."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from luoshi.store.models import AuditLog, Department, Report, Target, User

from .conftest import csrf_of
from .seed import DEPARTMENTS, PASSWORD


def test_departments_create_rename_merge(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    app, _ = web
    admin = c["admin"]
    page = admin.get("/admin/departments").text
    assert "单位管理" in page and all(d in page for d in DEPARTMENTS)
    token = csrf_of(page)
    r = admin.post("/admin/departments", data={"name": "区科技局\n发改局\n", "csrf_token": token})
    assert r.status_code == 200 and "已新增 2 个单位" in r.text
    r = admin.post("/admin/departments", data={"name": "区科技局", "csrf_token": token})
    assert r.status_code == 400 and "已有名为「区科技局」的单位" in r.text
    with app.state.store.session() as s:
        sci = s.scalar(select(Department.id).where(Department.name == "区科技局"))
        dup = s.scalar(select(Department.id).where(Department.name == "发改局"))
        ndrc = s.scalar(select(Department.id).where(Department.name == DEPARTMENTS[0]))
    assert (
        admin.post(
            f"/admin/departments/{sci}/rename", data={"name": "区科学技术局", "csrf_token": token}
        ).status_code
        == 200
    )
    # a duplicate 发改局 leads a target and has a user; merged into 区发改局 both move over
    admin.post(f"/targets/{ids.other_public_target}/assign", data={"lead": str(dup), "csrf_token": token})
    admin.post(
        "/admin/users",
        data={
            "username": "dup_user",
            "role": "reporter",
            "department": "发改局",
            "password": "long-enough-1",
            "csrf_token": token,
        },
    )
    r = admin.post(f"/admin/departments/{dup}/merge", data={"into": str(ndrc), "csrf_token": token})
    assert r.status_code == 200 and "已合并" in r.text
    with app.state.store.session() as s:
        assert s.get(Department, dup) is None
        assert s.get(Target, ids.other_public_target).lead_department_id == ndrc
        assert s.scalar(select(User.department_id).where(User.username == "dup_user")) == ndrc
        assert s.scalar(select(Department.name).where(Department.id == sci)) == "区科学技术局"
        merge = s.scalar(
            select(AuditLog).where(AuditLog.action == "merge", AuditLog.object_type == "department")
        )
        assert merge is not None and merge.before["merged"] == ["发改局"] and merge.after["lead"] == 1


def test_import_a_report_by_upload_with_preview(clients, web, demo_report_path) -> None:  # noqa: ANN001
    from docx import Document

    c, _ = clients
    app, _ = web
    admin = c["admin"]
    page = admin.get("/admin/import").text
    token = csrf_of(page)
    doc = Document()
    for line in demo_report_path.read_text(encoding="utf-8").splitlines()[:80]:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    r = admin.post(
        "/admin/import",
        data={"jurisdiction": "测试区", "parent": "淄博市", "year": "2024", "csrf_token": token},
        files={"report_file": ("测试区2024.docx", buf.getvalue())},
    )
    assert r.status_code == 200, r.text[:300]
    assert "已导入报告ID" in r.text and "提取预览" in r.text and "去审核提取结果" in r.text
    with app.state.store.session() as s:
        rep = s.scalar(select(Report).where(Report.source_name == "测试区2024.docx"))
        assert rep is not None and rep.year == 2024
        n = s.scalar(select(func.count(Target.id)).where(Target.report_id == rep.id))
    assert n and n > 5 and f"待审核 {n} 项" in r.text
    # errors of the service are shown, nothing is stored
    r = admin.post(
        "/admin/import",
        data={"jurisdiction": "测试区", "year": "2024", "csrf_token": token},
        files={"report_file": ("空.txt", b"")},
    )
    assert r.status_code == 400 and "文件为空" in r.text
    r = admin.post(
        "/admin/import",
        data={"jurisdiction": "测试区", "year": "2024", "csrf_token": token},
        files={"report_file": ("表.exe", b"MZ")},
    )
    assert r.status_code == 400 and "不支持的文件类型" in r.text


def test_import_checks_the_year_and_asks_before_storing_another(clients, web) -> None:  # noqa: ANN001
    """A report stating 2024 given as 2021: a confirm step naming both years, nothing stored until confirmed."""
    c, _ = clients
    app, _ = web
    admin = c["admin"]
    token = csrf_of(admin.get("/admin/import").text)
    data = (
        "政府工作报告\n\n二、2024年主要预期目标和重点工作\n\n"
        "2024年主要预期目标：地区生产总值增长6%左右，新建5G基站300座以上。\n"
    ).encode()
    form = {"jurisdiction": "年份区", "year": "2021", "csrf_token": token}
    r = admin.post("/admin/import", data=form, files={"report_file": ("年份区.txt", data)})
    assert r.status_code == 409 and "2024" in r.text and "2021" in r.text, r.text[:500]
    assert 'name="force" value="1"' in r.text and 'name="jurisdiction" value="年份区"' in r.text
    with app.state.store.session() as s:
        assert s.scalar(select(Report.id).where(Report.source_name == "年份区.txt")) is None
    r = admin.post("/admin/import", data={**form, "force": "1"}, files={"report_file": ("年份区.txt", data)})
    assert r.status_code == 200 and "已导入报告ID" in r.text
    with app.state.store.session() as s:
        assert s.scalar(select(Report.year).where(Report.source_name == "年份区.txt")) == 2021


def test_every_user_changes_own_password_and_admin_resets(clients, web) -> None:  # noqa: ANN001
    c, _ids = clients
    app, _ = web
    reporter = c["reporter"]
    page = reporter.get("/account").text
    assert "修改密码" in page
    token = csrf_of(page)
    r = reporter.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "new_password": "new-pass-123",
            "new_password2": "new-pass-123",
            "csrf_token": token,
        },
    )
    assert r.status_code == 400 and "当前密码不正确" in r.text
    r = reporter.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "new-pass-123",
            "new_password2": "other-123",
            "csrf_token": token,
        },
    )
    assert r.status_code == 400 and "不一致" in r.text
    r = reporter.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "new-pass-123",
            "new_password2": "new-pass-123",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    # every session ends with the change (this one too): the user logs in again with the new password
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    from fastapi.testclient import TestClient

    client = TestClient(app)
    tok = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": "reporter", "password": "new-pass-123", "csrf_token": tok},
        follow_redirects=False,
    )
    assert r.status_code == 303
    # the admin resets another user's password from 用户管理
    admin = c["admin"]
    with app.state.store.session() as s:
        uid = s.scalar(select(User.id).where(User.username == "reporter2"))
    r = admin.post(
        f"/admin/users/{uid}",
        data={
            "role": "reporter",
            "department": "2",
            "password": "reset-pw-99",
            "csrf_token": csrf_of(admin.get("/admin/users").text),
        },
    )
    assert r.status_code == 200
    client = TestClient(app)
    tok = csrf_of(client.get("/login").text)
    assert (
        client.post(
            "/login",
            data={"username": "reporter2", "password": "reset-pw-99", "csrf_token": tok},
            follow_redirects=False,
        ).status_code
        == 303
    )
