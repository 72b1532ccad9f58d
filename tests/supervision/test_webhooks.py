"""Group-robot webhooks: real HTTP POSTs to a loopback receiver that checks each vendor's message
format and signature (computed here from the vendors' documented algorithms); retries, logging,
and pushes from the web app that never hold up the request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import date
from urllib.parse import unquote_plus

import pytest
from sqlalchemy import select

from luoshi.errors import InputError, NotFoundError
from luoshi.notify.remind import run_reminders
from luoshi.store.models import AuditLog, WebhookDelivery
from luoshi.supervision.webhooks import add_webhook, list_webhooks, push_pending, remove_webhook

from .conftest import Plan, Receiver


def _hooks(store, receiver: Receiver) -> None:  # noqa: ANN001
    with store.session() as s:
        add_webhook(s, "wecom", receiver.base + "/wecom?key=abc")  # the office
        add_webhook(s, "json", receiver.base + "/json", secret="json-secret")  # the office
        add_webhook(
            s, "dingtalk", receiver.base + "/ding?access_token=tok", secret="SECding", department="区工信局"
        )
        add_webhook(s, "feishu", receiver.base + "/feishu", secret="feishu-secret", department="区工信局")
        add_webhook(s, "wecom", receiver.base + "/wecom-fagai", department="区发改局")


def test_each_vendor_gets_its_format_and_signature(store, settings, plan: Plan, receiver: Receiver) -> None:  # noqa: ANN001
    _hooks(store, receiver)
    before = time.time()
    summary = run_reminders(store, settings, date(2024, 7, 10))
    assert "webhooks: 4 messages" in summary.describe(), summary.describe()

    [wecom] = receiver.at("/wecom")
    assert wecom.query == {"key": ["abc"]}
    body = wecom.json
    assert body["msgtype"] == "markdown" and set(body) == {"msgtype", "markdown"}
    content = body["markdown"]["content"]
    assert (
        content.startswith("**落实·督查提醒（")
        and "【逾期未报】" in content
        and "【督办】督办单督字〔2024〕1号" in content
    )
    assert "http://luoshi.example/orders/1" in content  # links use settings.base_url

    [ding] = receiver.at("/ding")
    assert ding.query["access_token"] == ["tok"]
    ts = ding.query["timestamp"][0]
    assert abs(int(ts) / 1000 - before) < 60  # milliseconds
    expected = base64.b64encode(
        hmac.new(b"SECding", f"{ts}\nSECding".encode(), hashlib.sha256).digest()
    ).decode()
    assert ding.query["sign"] == [expected]  # (parse_qs undid the URL-encoding)
    assert "sign=" + expected not in ding.path  # the sign travels URL-encoded
    assert ding.json["msgtype"] == "markdown"
    assert (
        ding.json["markdown"]["title"].startswith("落实·督查提醒")
        and "【催办】" in ding.json["markdown"]["text"]
    )

    [feishu] = receiver.at("/feishu")
    fb = feishu.json
    assert fb["msg_type"] == "text" and "【督办】" in fb["content"]["text"]
    fts = int(fb["timestamp"])
    assert abs(fts - before) < 60  # seconds
    key = f"{fts}\nfeishu-secret".encode()
    assert fb["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()

    [plain] = receiver.at("/json")
    assert (
        plain.headers["X-Luoshi-Signature"]
        == hmac.new(b"json-secret", plain.body, hashlib.sha256).hexdigest()
    )
    events = plain.json["events"]
    assert plain.json["source"] == "luoshi"
    assert {e["kind"] for e in events} >= {"overdue_report", "supervision_order"}
    assert all(
        set(e) == {"id", "kind", "kind_label", "message", "link", "target_id", "department_id", "created_at"}
        for e in events
    )
    # 区发改局 has nothing due: its robot stays quiet
    assert receiver.at("/wecom-fagai") == []

    # again: nothing new, nothing sent
    run_reminders(store, settings, date(2024, 7, 10))
    assert len(receiver.hits) == 4
    with store.session() as s:
        states = set(s.scalars(select(WebhookDelivery.state)))
    assert states == {"sent"}


def test_failures_are_retried_logged_and_retried_next_run(
    store, settings, plan: Plan, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:  # noqa: ANN001
    with store.session() as s:
        add_webhook(s, "wecom", receiver.base + "/flaky")
        add_webhook(s, "dingtalk", receiver.base + "/down", secret="SEC")
    receiver.answers["/flaky"] = [(500, {}), (502, {}), (200, {"errcode": 0})]
    receiver.answers["/down"] = [(200, {"errcode": 310000, "errmsg": "sign not match"})]
    summary = run_reminders(store, settings, date(2024, 7, 10))
    assert len(receiver.at("/flaky")) == 3  # two failures, then delivered
    assert len(receiver.at("/down")) == 3  # webhook_attempts
    assert "1 failed" in summary.webhook_report and "sign not match" in summary.webhook_report
    assert "webhook 2" in caplog.text and "sign not match" in caplog.text
    with store.session() as s:
        rows = {(d.webhook_id, d.state, d.attempts, d.error) for d in s.scalars(select(WebhookDelivery))}
    assert {(1, "sent", 1, None)} <= rows
    assert all(r[1:] == ("failed", 1, "机器人拒绝：sign not match") for r in rows if r[0] == 2)

    receiver.answers["/down"] = [(200, {"errcode": 0})]
    again = push_pending(store, settings)
    assert again.sent == 1 and not again.failed
    with store.session() as s:
        assert {
            (d.state, d.attempts)
            for d in s.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == 2))
        } == {("sent", 2)}
    # a different server: unreachable
    with store.session() as s:
        add_webhook(s, "json", "http://127.0.0.1:9/none")
    # (only notices created after a webhook was added are pushed to it: none yet)
    assert push_pending(store, settings).sent == 0


def test_add_list_remove_and_bad_input(store, plan: Plan) -> None:  # noqa: ANN001
    with store.session() as s:
        with pytest.raises(InputError, match="未知的 webhook 类型"):
            add_webhook(s, "slack", "https://example.org/x")
        with pytest.raises(InputError, match="http:// 或 https://"):
            add_webhook(s, "wecom", "ftp://example.org/x")
        with pytest.raises(NotFoundError, match="区教育局"):
            add_webhook(s, "wecom", "https://example.org/x", department="区教育局")
        hook = add_webhook(
            s,
            "feishu",
            "https://open.feishu.cn/open-apis/bot/v2/hook/xyz?t=1",
            secret="s3cr3t-value",
            department="区发改局",
        )
        assert [h.id for h in list_webhooks(s)] == [hook.id]
        audit = s.scalar(select(AuditLog).where(AuditLog.action == "webhook.add"))
        assert audit is not None and audit.after["url"] == "https://open.feishu.cn/open-apis/bot/v2/hook/xyz"
        assert "s3cr3t" not in str(audit.after) and audit.after["signed"] is True  # no secret in the trail
        remove_webhook(s, hook.id)
        assert list_webhooks(s) == []
        with pytest.raises(NotFoundError):
            remove_webhook(s, hook.id)


def test_the_web_app_pushes_after_the_request_without_waiting(
    store,
    settings,
    plan: Plan,  # noqa: ANN001
    receiver: Receiver,
) -> None:
    from fastapi.testclient import TestClient

    from luoshi.store.models import ProgressUpdate
    from luoshi.web.app import create_app
    from tests.web.conftest import csrf_of

    if store.engine.dialect.name != "sqlite":
        pytest.skip("the web push is the same on PostgreSQL; run once")
    with store.session() as s:
        add_webhook(s, "json", receiver.base + "/slow", department="区发改局")
        update_id = s.scalar(select(ProgressUpdate.id).where(ProgressUpdate.target_id == plan.t1))
    receiver.delay = 3.0  # a slow robot server must not slow the office down
    app = create_app(settings, store=store)
    office = TestClient(app)
    token = csrf_of(office.get("/login").text)
    office.post("/login", data={"username": "office", "password": "pw-office-1", "csrf_token": token})
    token = csrf_of(office.get(f"/targets/{plan.t1}").text)
    started = time.monotonic()
    r = office.post(
        f"/updates/{update_id}/check",
        data={"decision": "returned", "comment": "请补充佐证", "csrf_token": token},
        follow_redirects=False,
    )
    took = time.monotonic() - started
    assert r.status_code == 303, r.text
    assert took < 2.0, f"the request waited for the webhook ({took:.1f} s)"
    deadline = time.monotonic() + 20
    while not receiver.at("/slow") and time.monotonic() < deadline:
        time.sleep(0.1)
    [hit] = receiver.at("/slow")
    [event] = [e for e in hit.json["events"] if e["kind"] == "returned"]
    assert "请补充佐证" in event["message"]
    assert {e["department_id"] for e in hit.json["events"]} == {plan.fagai}
    assert unquote_plus(hit.path) == "/slow"


def test_a_claim_left_by_a_dead_pass_is_taken_over(store, settings, plan: Plan, receiver: Receiver) -> None:  # noqa: ANN001
    from datetime import timedelta

    from luoshi.notify.notices import add_notice
    from luoshi.store.models import utcnow

    with store.session() as s:
        hook = add_webhook(s, "wecom", receiver.base + "/office")
        hook_id = hook.id
    with store.session() as s:
        old = add_notice(s, "overdue_report", "逾期未报：甲。", role="admin")
        fresh = add_notice(s, "overdue_report", "逾期未报：乙。", role="admin")
        s.flush()
        assert old is not None and fresh is not None
        s.add(
            WebhookDelivery(
                webhook_id=hook_id, notice_id=old.id, state="pending", at=utcnow() - timedelta(hours=1)
            )
        )
        s.add(WebhookDelivery(webhook_id=hook_id, notice_id=fresh.id, state="pending", at=utcnow()))
    assert push_pending(store, settings).notices == 1  # the stale claim only: the fresh one is another pass's
    [hit] = receiver.at("/office")
    assert "甲" in hit.json["markdown"]["content"] and "乙" not in hit.json["markdown"]["content"]
