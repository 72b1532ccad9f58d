"""催办 → 督办: a report missing N days becomes a numbered 督办单, logged, shown and closed (办结)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from luoshi.notify.remind import run_reminders
from luoshi.store.models import AuditLog, Notice, SupervisionOrder

from .conftest import TEXT, Plan


def _orders(store) -> list[SupervisionOrder]:  # noqa: ANN001
    with store.session() as s:
        rows = list(s.scalars(select(SupervisionOrder).order_by(SupervisionOrder.id)))
        s.expunge_all()
        return rows


def test_a_report_missing_n_days_becomes_one_numbered_order(store, settings, plan: Plan) -> None:  # noqa: ANN001
    # 7 days after June's due date (2024-06-28): still a 催办, no 督办单
    summary = run_reminders(store, settings, date(2024, 7, 5))
    assert summary.orders == [] and _orders(store) == []
    with store.session() as s:
        assert s.scalar(select(Notice.id).where(Notice.kind == "overdue", Notice.target_id == plan.t3))

    summary = run_reminders(store, settings, date(2024, 7, 10))  # 12 days >= escalate_after_days (10)
    assert summary.orders == ["督字〔2024〕1号"]
    assert "1 督办单 issued" in summary.describe()
    [order] = _orders(store)
    assert (order.target_id, order.department_id, order.number) == (plan.t3, plan.gongxin, "督字〔2024〕1号")
    assert order.report_due == date(2024, 6, 28) and order.opened_on == date(2024, 7, 10)
    assert order.time_limit == date(2024, 7, 15)  # order_time_limit_days = 5
    assert "改造老旧小区100个" in order.matter and "逾期12天" in order.matter
    assert order.basis == "《2024年张店区政府工作报告》：改造老旧小区100个。"  # the source sentence
    assert "改造老旧小区100个。" in TEXT
    assert order.closed_on is None
    with store.session() as s:
        audit = list(s.scalars(select(AuditLog).where(AuditLog.action == "order.create")))
        assert [a.object_id for a in audit] == [str(order.id)]
        assert audit[0].after["department"] == "区工信局"
        told = {
            (n.recipient_department_id, n.recipient_role)
            for n in s.scalars(select(Notice).where(Notice.kind == "supervision_order"))
        }
        assert told == {(plan.gongxin, None), (None, "admin")}

    # again the same day, and the next day: no second order for the same missed report
    assert run_reminders(store, settings, date(2024, 7, 10)).orders == []
    assert run_reminders(store, settings, date(2024, 7, 11)).orders == []
    assert len(_orders(store)) == 1


def test_the_setting_decides_when_to_escalate(store, settings, plan: Plan) -> None:  # noqa: ANN001
    assert run_reminders(store, settings.with_(escalate_after_days=20), date(2024, 7, 10)).orders == []
    assert run_reminders(store, settings.with_(escalate_after_days=3), date(2024, 7, 1)).orders == [
        "督字〔2024〕1号"
    ]


def test_numbers_count_up_within_a_year(store, settings, plan: Plan) -> None:  # noqa: ANN001
    from luoshi.store.models import Target

    with store.session() as s:  # t1 now reports on the 5th: July's report (due 2024-07-05) is missing
        t1 = s.get(Target, plan.t1)
        assert t1 is not None
        t1.due_day = 5
    numbers = run_reminders(store, settings, date(2024, 7, 16)).orders
    assert numbers == ["督字〔2024〕1号", "督字〔2024〕2号"]  # t1: 11 days late, t3: 18 days late
    with store.session() as s:
        rows = s.execute(
            select(SupervisionOrder.target_id, SupervisionOrder.number, SupervisionOrder.report_due).order_by(
                SupervisionOrder.seq
            )
        ).all()
    assert rows == [
        (plan.t1, "督字〔2024〕1号", date(2024, 7, 5)),
        (plan.t3, "督字〔2024〕2号", date(2024, 6, 28)),
    ]


def test_the_order_closes_when_the_department_reports(tmp_path, plan: Plan, store, settings) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    from luoshi.web.app import create_app
    from tests.web.conftest import csrf_of

    if store.engine.dialect.name != "sqlite":
        pytest.skip("the web flow is the same on PostgreSQL (tests/web covers both); run once")
    run_reminders(store, settings, date(2024, 7, 10))
    [order] = _orders(store)
    app = create_app(settings, store=store)
    office = TestClient(app)
    li = TestClient(app)
    for client, name, password in ((office, "office", "pw-office-1"), (li, "li", "pw-li-123")):
        token = csrf_of(client.get("/login").text)
        r = client.post(
            "/login",
            data={"username": name, "password": password, "csrf_token": token},
            follow_redirects=False,
        )
        assert r.status_code == 303

    page = office.get(f"/targets/{plan.t3}").text
    assert "督字〔2024〕1号" in page and "办理中" in page
    listing = office.get("/orders?state=open").text
    assert "督字〔2024〕1号" in listing and "区工信局" in listing

    token = csrf_of(li.get(f"/targets/{plan.t3}").text)
    r = li.post(
        f"/targets/{plan.t3}/updates",
        data={"period": "2024-06-30", "value": "20", "narrative": "补报", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    [order] = _orders(store)
    assert order.closed_on == date(2024, 7, 10) and "2024-06-30" in (order.closed_note or "")
    with store.session() as s:
        assert s.scalar(
            select(AuditLog.id).where(AuditLog.action == "order.close", AuditLog.object_id == str(order.id))
        )
    assert "已办结（2024-07-10）" in office.get(f"/targets/{plan.t3}").text
    assert "督字〔2024〕1号" in office.get("/orders?state=closed").text
    assert "督字〔2024〕1号" not in office.get("/orders?state=open").text

    # the print-ready page and the Word document
    html = office.get(f"/orders/{order.id}").text
    for text in (
        "督办单",
        "编号",
        "督办事项",
        "责任单位",
        "办理时限",
        "督办依据",
        "2024年7月15日前",
        "改造老旧小区100个。",
        "张店区人民政府督查室",
    ):
        assert text in html
    r = office.get(f"/orders/{order.id}.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    from docx import Document

    doc = Document(io.BytesIO(r.content))
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert cells["编号"] == "督字〔2024〕1号"
    assert cells["责任单位"] == "区工信局"
    assert cells["办理时限"] == "2024年7月15日前"
    assert cells["督办依据"] == "《2024年张店区政府工作报告》：改造老旧小区100个。"
    assert "逾期12天未报送" in cells["督办事项"]
    assert cells["办理情况"].startswith("已办结（2024-07-10）")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "督  办  单" in text and "张店区人民政府督查室" in text
    assert office.get("/orders/999.docx").status_code == 404


def test_a_report_through_the_api_closes_the_order_at_once(plan: Plan, store, settings) -> None:  # noqa: ANN001
    """Not only the web form: the write service marks the target, and the commit closes the order."""
    from fastapi.testclient import TestClient

    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user
    from luoshi.web.app import create_app

    if store.engine.dialect.name != "sqlite":
        pytest.skip("the commit hook is the same on PostgreSQL; run once")
    run_reminders(store, settings, date(2024, 7, 10))
    [order] = _orders(store)
    assert order.closed_on is None
    with store.session() as s:
        plain, _row = create_token(s, get_user(s, "li"), "api")
    api = TestClient(create_app(settings, store=store), headers={"Authorization": f"Bearer {plain}"})
    r = api.post(
        f"/api/targets/{plan.t3}/updates", json={"period": "2024-06-30", "value": 20, "narrative": "补报"}
    )
    assert r.status_code == 201, r.text
    [order] = _orders(store)
    assert order.closed_on == date(2024, 7, 10) and "2024-06-30" in (order.closed_note or "")
