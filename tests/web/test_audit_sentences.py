"""The audit log reads as Chinese sentences, with the raw record one click away (issue 9)."""

from __future__ import annotations

import html

from luoshi.store.models import Department

from .conftest import csrf_of, login


def test_audit_page_reads_as_sentences(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    page = admin.get(f"/targets/{ids.public_target}/edit").text
    with app.state.store.session() as s:
        gongxin = s.query(Department).filter_by(name="区工信局").one().id
    r = admin.post(
        f"/targets/{ids.public_target}/assign",
        data={"lead": str(gongxin), "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = admin.post(
        f"/targets/{ids.public_target}/status",
        data={"status": "behind", "note": "督查发现滞后", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    text = html.unescape(admin.get("/admin/audit").text)
    assert "admin 于 " in text
    assert "将「新建5G基站300座以上」的牵头单位改为 区工信局" in text
    assert "将「新建5G基站300座以上」的状态人工认定为 欠进度（理由：督查发现滞后）" in text
    assert "<summary>原始记录</summary>" in text and '"lead": "区工信局"' in text
