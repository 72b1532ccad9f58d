"""待办 (/inbox) and 批量处理 with undo, through the real app on a real SQLite file."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from luoshi.store.models import AuditLog, Department, Target

from .conftest import csrf_of
from .seed import DEPARTMENTS


def _report(client, target_id: int, period: str, value: str) -> None:  # noqa: ANN001
    token = csrf_of(client.get(f"/targets/{target_id}").text)
    r = client.post(
        f"/targets/{target_id}/updates",
        data={"period": period, "value": value, "narrative": "待办测试", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def test_office_inbox_lists_waiting_work_and_one_click_check(clients) -> None:  # noqa: ANN001
    c, ids = clients
    admin, reporter = c["admin"], c["reporter"]
    _report(reporter, ids.public_target, "2024-07-01", "275")
    page = admin.get("/inbox").text
    assert "待复核的进展" in page and "数据截至 2024-07-10" in page
    found = re.findall(r'action="/updates/(\d+)/check" id="check-\d+"', page)
    assert found, "no one-click 复核 form"
    # proposals of every report, not only the latest one
    assert f'href="/queue?report={ids.report_id}"' in page and "1 项待审核" in page
    # the nav badge counts reports awaiting 复核 + proposals
    badge = re.search(r'href="/inbox"[^>]*>待办 <span class="count">(\d+)</span>', page)
    assert badge and int(badge.group(1)) >= 2
    # the office was told a report came in
    assert "新报送待复核" in admin.get("/notices").text
    update_id = found[-1]
    r = admin.post(
        f"/updates/{update_id}/check",
        data={"decision": "accepted", "back": "/inbox", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/inbox"
    assert f'id="check-{update_id}"' not in admin.get("/inbox").text


def test_department_inbox_shows_due_returned_and_comments(clients) -> None:  # noqa: ANN001
    c, ids = clients
    admin, reporter, leader = c["admin"], c["reporter"], c["leader"]
    page = reporter.get("/inbox").text
    assert "本单位待办" in page and DEPARTMENTS[0] in page and "本期应报送" in page
    # a report, returned with a reason, shows with the reason
    _report(reporter, ids.public_target, "2024-07-01", "280")
    target_page = admin.get(f"/targets/{ids.public_target}").text
    update_id = re.findall(r'action="/updates/(\d+)/check"', target_page)[0]
    admin.post(
        f"/updates/{update_id}/check",
        data={"decision": "returned", "comment": "数据口径不符，请核实", "csrf_token": csrf_of(target_page)},
    )
    # a leader's 批示 reaches the lead department
    leader.post(
        f"/targets/{ids.public_target}/comments",
        data={
            "body": "加快进度，月底前完成",
            "csrf_token": csrf_of(leader.get(f"/targets/{ids.public_target}").text),
        },
    )
    page = reporter.get("/inbox").text
    assert "被复核退回" in page and "数据口径不符，请核实" in page
    assert "加快进度，月底前完成" in page
    assert re.search(r'href="/inbox"[^>]*>待办 <span class="count">1</span>', page)
    notices = reporter.get("/notices").text
    assert "领导批示" in notices and "加快进度" in notices
    # another department sees none of it
    other = c["reporter_other"].get("/inbox").text
    assert "数据口径不符" not in other and "加快进度" not in other


def test_bulk_assign_preview_confirm_and_undo(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    app, _ = web
    admin = c["admin"]
    page = admin.get("/targets").text
    assert 'id="bulk"' in page and 'name="ids"' in page
    with app.state.store.session() as s:
        fin = s.scalar(select(Department.id).where(Department.name == DEPARTMENTS[2]))
        picked = [ids.public_target, ids.other_public_target]
        before = {
            t.id: (t.lead_department_id, sorted(d.id for d in t.co_departments))
            for t in s.scalars(select(Target).where(Target.id.in_(picked)))
        }
    form = {
        "action": "assign",
        "ids": [str(i) for i in picked],
        "lead": str(fin),
        "csrf_token": csrf_of(page),
    }
    preview = admin.post("/bulk/preview", data=form)
    assert (
        preview.status_code == 200 and "确认批量操作" in preview.text and "将改动 <b>2</b> 项" in preview.text
    )
    assert "区财政局" in preview.text
    with app.state.store.session() as s:  # the preview writes nothing
        assert {t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(picked)))} != {fin}
    r = admin.post("/bulk/apply", data=form, follow_redirects=False)
    assert r.status_code == 303
    entry = r.headers["location"]
    audit_id = int(entry.rsplit("/", 1)[1])
    with app.state.store.session() as s:
        assert {t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(picked)))} == {fin}
        row = s.get(AuditLog, audit_id)
        assert row.action == "assign" and row.object_type == "bulk" and len(row.after["items"]) == 2
    entry_page = admin.get(entry).text
    assert "撤销这次批量操作" in entry_page
    assert f'href="/bulk/{audit_id}"' in admin.get("/admin/audit", params={"object_type": "bulk"}).text
    r = admin.post(f"{entry}/undo", data={"csrf_token": csrf_of(entry_page)}, follow_redirects=False)
    assert r.status_code == 303
    with app.state.store.session() as s:
        after = {
            t.id: (t.lead_department_id, sorted(d.id for d in t.co_departments))
            for t in s.scalars(select(Target).where(Target.id.in_(picked)))
        }
    assert after == before
    page = admin.get(entry).text
    assert "已撤销" in page and "撤销这次批量操作" not in page
    r = admin.post(f"{entry}/undo", data={"csrf_token": csrf_of(page)})
    assert r.status_code == 400 and "不能重复撤销" in r.text


def test_undo_refused_when_changed_since(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    app, _ = web
    admin = c["admin"]
    token = csrf_of(admin.get("/targets").text)
    form = {
        "action": "schedule",
        "ids": [str(ids.public_target)],
        "cadence": "quarterly",
        "due_day": "15",
        "deadline": "2024-11-30",
        "csrf_token": token,
    }
    r = admin.post("/bulk/apply", data=form, follow_redirects=False)
    entry = r.headers["location"]
    with app.state.store.session() as s:
        t = s.get(Target, ids.public_target)
        assert (t.cadence, t.due_day, t.deadline.isoformat()) == ("quarterly", 15, "2024-11-30")
    # a later single edit of the same field: undo would overwrite it, so it is refused
    again = {**form, "due_day": "20"}
    admin.post("/bulk/apply", data=again, follow_redirects=False)
    r = admin.post(f"{entry}/undo", data={"csrf_token": token})
    assert r.status_code == 400 and "已被再次修改" in r.text
    with app.state.store.session() as s:
        assert s.get(Target, ids.public_target).due_day == 20


def test_accept_all_asks_to_confirm_and_can_be_undone(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    app, _ = web
    admin = c["admin"]
    page = admin.get(f"/queue?report={ids.report_id}").text
    r = admin.post("/queue/accept-all", data={"report": str(ids.report_id), "csrf_token": csrf_of(page)})
    assert r.status_code == 200 and "确认批量操作" in r.text and "采纳" in r.text
    with app.state.store.session() as s:
        assert s.get(Target, ids.proposed_target).review_state == "proposed"  # not yet
    confirm = r.text
    fields = dict(re.findall(r'<input type="hidden" name="(action)" value="([^"]*)"', confirm))
    form = {
        "action": fields["action"],
        "ids": re.findall(r'name="ids" value="(\d+)"', confirm),
        "csrf_token": csrf_of(confirm),
    }
    r = admin.post("/bulk/apply", data=form, follow_redirects=False)
    with app.state.store.session() as s:
        assert s.get(Target, ids.proposed_target).review_state == "accepted"
    entry = admin.get(r.headers["location"]).text
    admin.post(f"{r.headers['location']}/undo", data={"csrf_token": csrf_of(entry)})
    with app.state.store.session() as s:
        assert s.get(Target, ids.proposed_target).review_state == "proposed"


def test_bulk_check_and_its_undo_reopen(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    admin, reporter = c["admin"], c["reporter"]
    _report(reporter, ids.public_target, "2024-07-02", "285")
    page = admin.get("/inbox").text
    uids = re.findall(r'name="ids" value="(\d+)" data-group="u"', page)
    assert uids
    form = {"action": "check", "ids": uids, "csrf_token": csrf_of(page)}
    assert "复核通过" in admin.post("/bulk/preview", data=form).text
    r = admin.post("/bulk/apply", data=form, follow_redirects=False)
    assert "没有待复核的进展" in admin.get("/inbox").text
    entry = admin.get(r.headers["location"]).text
    admin.post(f"{r.headers['location']}/undo", data={"csrf_token": csrf_of(entry)})
    page = admin.get("/inbox").text  # back to awaiting 复核: a 'reopened' check was appended
    assert all(f'id="check-{u}"' in page for u in uids)


def test_notices_are_digested_per_cause_per_day(clients, web) -> None:  # noqa: ANN001
    from luoshi.notify.notices import add_notice

    c, ids = clients
    app, _ = web
    with app.state.store.session() as s:
        for n in range(42):
            add_notice(
                s, "overdue_report", f"逾期未报：测试目标{n}", role="admin", target_id=ids.public_target
            )
    page = c["admin"].get("/notices").text
    assert page.count("<details") <= 5  # one line per cause per day, not 42
    assert "42 条" in page and "逾期未报：测试目标0" in page and "逾期未报：测试目标41" in page


def test_queue_accepts_the_ticked_proposals_after_confirming(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    app, _ = web
    admin = c["admin"]
    page = admin.get(f"/queue?report={ids.report_id}").text
    assert 'form="bulk-accept"' in page and "采纳所选" in page
    r = admin.post(
        "/bulk/preview",
        data={"action": "accept", "ids": [str(ids.proposed_target)], "csrf_token": csrf_of(page)},
    )
    assert "将改动 <b>1</b> 项" in r.text and "待审核 → <b>已采纳</b>" in r.text
    with app.state.store.session() as s:
        assert s.get(Target, ids.proposed_target).review_state == "proposed"


def test_one_click_urge_tells_the_lead_department_once_a_day(clients, web) -> None:  # noqa: ANN001
    c, ids = clients
    app, _ = web
    admin, reporter = c["admin"], c["reporter"]
    page = admin.get("/inbox").text
    r = admin.post(
        f"/inbox/urge/{ids.public_target}", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert r.status_code == 303 and f"urged={ids.public_target}" in r.headers["location"]
    assert "已催办" in admin.get(r.headers["location"]).text
    assert "催办：请尽快报送" in reporter.get("/notices").text
    r = admin.post(
        f"/inbox/urge/{ids.public_target}", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert "urged=0" in r.headers["location"]  # once a day, not a flood
    with app.state.store.session() as s:
        n = s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "urge"))
    assert n == 1


def test_reports_and_comments_by_any_path_tell_who_must_act(clients, web) -> None:  # noqa: ANN001
    """The notices come from the write services at commit, not from one route: a report sent
    through the JSON API tells the office too, and a 批示 tells the lead department."""
    from fastapi.testclient import TestClient

    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user
    from luoshi.store.models import Notice

    c, ids = clients
    app, _ = web
    with app.state.store.session() as s:
        plain, _row = create_token(s, get_user(s, "reporter"), "api")
    api = TestClient(app, headers={"Authorization": f"Bearer {plain}"})

    def notices(kind: str) -> list[str]:
        with app.state.store.session() as s:
            return list(s.scalars(select(Notice.message).where(Notice.kind == kind).order_by(Notice.id)))

    before = len(notices("submitted"))
    r = api.post(
        f"/api/targets/{ids.public_target}/updates",
        json={"period": "2024-07-02", "value": "276", "narrative": "经 API 报送"},
    )
    assert r.status_code == 201, r.text
    after = notices("submitted")
    assert len(after) == before + 1 and "待复核" in after[-1]
    assert "新报送待复核" in c["admin"].get("/notices").text
    leader = c["leader"]
    before = len(notices("comment"))
    token = csrf_of(leader.get(f"/targets/{ids.public_target}").text)
    r = leader.post(
        f"/targets/{ids.public_target}/comments",
        data={"body": "请加快进度", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert len(notices("comment")) == before + 1


def test_the_badge_follows_every_write_from_any_process(clients, settings) -> None:  # noqa: ANN001
    """The 待办 count is read from the maintained record: exact at once after a write through the
    web form, and after one from another process (a CLI's own store), with no cache to expire."""
    from luoshi.notify.inbox import awaiting_check
    from luoshi.store import open_store
    from luoshi.tracking.services import check_update

    c, ids = clients
    admin = c["admin"]

    def badge() -> int:
        found = re.search(
            r'href="/inbox"[^>]*>待办(?: <span class="count">(\d+)</span>)?', admin.get("/targets").text
        )
        assert found
        return int(found.group(1) or 0)

    before = badge()
    _report(c["reporter"], ids.public_target, "2024-07-03", "277")
    assert badge() == before + 1
    other = open_store(settings)  # another engine, as `luoshi` on the command line would open
    try:
        with other.session() as s:
            waiting = [u for u in awaiting_check(s) if u.target_id == ids.public_target]
            assert waiting
            check_update(s, waiting[-1], "accepted", actor="cli")
    finally:
        other.dispose()
    assert badge() == before
