"""Pages render for the right people, with the data they should show."""

from __future__ import annotations

import re

from .conftest import csrf_of


def test_overview_for_viewer_shows_status_counts_and_charts(clients) -> None:  # noqa: ANN001
    c, ids = clients
    r = c["viewer"].get("/")
    assert r.status_code == 200
    assert 'lang="zh-CN"' in r.text
    assert "示例数据" in r.text  # demo banner
    assert "<svg" in r.text and "各领域目标状态" in r.text
    assert "达进度" in r.text or "超进度" in r.text


def test_anonymous_overview_goes_to_public_pages(clients) -> None:  # noqa: ANN001
    c, ids = clients
    r = c["anonymous"].get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/public"
    r = c["anonymous"].get("/targets", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_targets_table_filters(clients) -> None:  # noqa: ANN001
    c, ids = clients
    r = c["viewer"].get("/targets", params={"q": "5G"})
    assert r.status_code == 200
    assert "新建5G基站" in r.text and "充电桩" not in r.text
    r = c["viewer"].get("/targets", params={"status": "overdue"})
    assert "新增规模以上企业" in r.text and "新建5G基站" not in r.text


def test_target_page_has_chart_sentence_and_updates(clients) -> None:  # noqa: ANN001
    c, ids = clients
    r = c["viewer"].get(f"/targets/{ids.public_target}")
    assert r.status_code == 200
    assert '<mark class="fig"' in r.text and "新建5G基站300座以上</mark>" in r.text
    assert "序时进度" in r.text and "<polyline" in r.text
    assert "第6月进展" in r.text
    # the viewer cannot report: no form
    assert '/updates"' not in r.text
    r = c["reporter"].get(f"/targets/{ids.public_target}")
    assert f'action="/targets/{ids.public_target}/updates"' in r.text
    csrf_of(r.text)


def test_returned_update_notifies_the_department(clients) -> None:  # noqa: ANN001
    c, ids = clients
    reporter, admin = c["reporter"], c["admin"]
    token = csrf_of(reporter.get(f"/targets/{ids.public_target}").text)
    r = reporter.post(
        f"/targets/{ids.public_target}/updates",
        data={"period": "2024-07-01", "value": "270", "narrative": "七月进展", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = admin.get(f"/targets/{ids.public_target}").text
    assert "待复核" in page
    update_id = int(re.search(r'action="/updates/(\d+)/check"', page).group(1))  # type: ignore[union-attr]
    token = csrf_of(page)
    # returning without a reason is refused with a clear message
    r = admin.post(f"/updates/{update_id}/check", data={"decision": "returned", "csrf_token": token})
    assert r.status_code == 400 and "退回须说明理由" in r.text
    r = admin.post(
        f"/updates/{update_id}/check",
        data={"decision": "returned", "comment": "请补充佐证材料", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    notices = reporter.get("/notices").text
    assert "复核退回" in notices and "请补充佐证材料" in notices
    assert '<span class="count">' in reporter.get("/").text  # unread count in the menu
    assert "已退回" in admin.get(f"/targets/{ids.public_target}").text


def test_status_override_shown_and_cleared(clients) -> None:  # noqa: ANN001
    c, ids = clients
    admin = c["admin"]
    token = csrf_of(admin.get(f"/targets/{ids.public_target}/edit").text)
    url = f"/targets/{ids.public_target}/status"
    assert (
        admin.post(url, data={"status": "far_behind", "csrf_token": token}).status_code == 400
    )  # needs a reason
    r = admin.post(url, data={"status": "far_behind", "note": "实地核查进度滞后", "csrf_token": token})
    assert r.status_code == 200 and "人工认定" in r.text and "实地核查进度滞后" in r.text
    assert c["anonymous"].get(f"/api/targets/{ids.public_target}").json()["status"] == "far_behind"
    admin.post(url, data={"status": "", "csrf_token": token})
    assert c["anonymous"].get(f"/api/targets/{ids.public_target}").json()["status"] != "far_behind"
    audit = admin.get("/admin/audit", params={"action": "override_status"}).text
    assert "实地核查进度滞后" in audit


def test_correction_is_a_new_version_and_milestones(clients) -> None:  # noqa: ANN001
    c, ids = clients
    reporter = c["reporter"]
    token = csrf_of(reporter.get(f"/targets/{ids.public_target}").text)
    r = reporter.post(
        f"/updates/{ids.update_id}/correct",
        data={"value": "45", "narrative": "更正一月数据", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c["admin"].get(f"/targets/{ids.public_target}").text
    assert "已被第" in page and f"更正第 {ids.update_id} 号" in page and "更正一月数据" in page
    versions = c["viewer"].get(f"/api/targets/{ids.public_target}/updates").json()
    assert any(u["supersedes"] == ids.update_id for u in versions)
    assert any(u["id"] == ids.update_id for u in versions)  # the old version is kept
    # milestones: the office adds one, the reporting department marks it done
    token = csrf_of(c["admin"].get("/login").text)
    assert (
        c["admin"]
        .post(
            f"/targets/{ids.public_target}/milestones",
            data={"title": "主体完工", "due": "2024-10-01", "csrf_token": token},
            follow_redirects=False,
        )
        .status_code
        == 303
    )
    r = reporter.post(
        f"/milestones/{ids.public_milestone}/done",
        data={"done": "2024-05-02", "csrf_token": csrf_of(reporter.get("/login").text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = reporter.get(f"/targets/{ids.public_target}").text
    assert "主体完工" in page and "完成 2024-05-02" in page


def test_project_progress_rolls_up(clients) -> None:  # noqa: ANN001
    c, ids = clients
    reporter = c["reporter"]
    page = reporter.get("/projects").text
    assert f'action="/projects/{ids.project}/progress"' in page
    assert f'action="/projects/{ids.project}/progress"' not in c["reporter_other"].get("/projects").text
    r = reporter.post(
        f"/projects/{ids.project}/progress",
        data={"period": "2024-07-01", "completed": "3.5", "stage": "主体施工", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    rollup = c["viewer"].get("/api/projects").json()
    line = next(p for p in rollup["projects"] if p["id"] == ids.project)
    assert line["completed_investment"] == 3.5e8 and line["completion_rate"] == 70.0
