"""Scorecard pages, exports, the run button and overrides through the real app on a SQLite file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from luoshi.settings import Settings

PASSWORD = "review-pass-123"
KEYS = {"target", "outcome", "verdict", "ratio", "reason", "candidates"}
CARD = "/review/示例区/2023"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture()
def app(store, two_reports, tmp_path: Path):  # noqa: ANN001, ANN201
    from luoshi.accounts.users import create_user
    from luoshi.store.models import Target
    from luoshi.web.app import create_app

    a, _b = two_reports
    with store.session() as s:
        create_user(s, "admin", "admin", password=PASSWORD)
        create_user(s, "viewer", "viewer", password=PASSWORD)
        for t in s.scalars(select(Target).where(Target.report_id == a)):
            t.review_state = "accepted"
            t.public = t.indicator in ("城镇新增就业", "新建5G基站")
            if t.indicator == "新建5G基站":
                t.title = "<script>alert(1)</script>新建5G基站"
    settings = Settings(database_url=str(store.engine.url), secret_key="k", upload_dir=str(tmp_path / "up"))
    return create_app(settings, store=store)


def login(app, user: str) -> TestClient:  # noqa: ANN001
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login", data={"username": user, "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return client


def test_admin_runs_review_and_sees_scorecard(app) -> None:  # noqa: ANN001
    admin = login(app, "admin")
    page = admin.get(CARD)
    assert page.status_code == 200 and "开始评估" in page.text
    assert admin.post(f"{CARD}/run", follow_redirects=False).status_code == 403  # no CSRF token
    r = admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    page = admin.get(CARD).text
    for label in ("超额完成", "已完成", "部分完成", "未报告"):
        assert label in page
    assert "完成率 84%" in page
    index = admin.get("/review").text
    assert (
        "60%（5项）" in index
    )  # met + exceeded: 3 of 5    # both sentences side by side with the figures marked
    assert '<mark class="fig"' in page and "1.2万人</mark>" in page and "1.35万人</mark>" in page
    assert "<script>alert(1)" not in page


def test_anonymous_sees_public_targets_only_and_no_forms(app) -> None:  # noqa: ANN001
    admin = login(app, "admin")
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    anon = TestClient(app)
    # a draft until an admin publishes it (审定后发布): the public sees nothing of it yet
    draft = anon.get(CARD)
    assert draft.status_code == 404 and "尚未审定发布" in draft.text
    assert anon.get(f"{CARD}.json").status_code == 404 and anon.get(f"{CARD}.csv").status_code == 404
    assert "尚未发布" in anon.get("/review").text and "草稿" in admin.get(CARD).text
    r = admin.post(
        f"{CARD}/publish",
        data={"action": "publish", "csrf_token": csrf_of(admin.get(CARD).text)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "已审定发布" in admin.get(CARD).text
    page = anon.get(CARD)
    assert page.status_code == 200
    assert "城镇新增就业" in page.text and "新建5G基站" in page.text
    assert "地区生产总值增长" not in page.text and "/review/results/" not in page.text
    data = anon.get(f"{CARD}.json").json()
    assert len(data) == 2 and all(set(d) == KEYS for d in data)
    assert len(admin.get(f"{CARD}.json").json()) == 5
    token = csrf_of(anon.get("/login").text)
    assert anon.post(f"{CARD}/run", data={"csrf_token": token}).status_code in (401, 403)
    viewer = login(app, "viewer")
    r = viewer.post(f"{CARD}/run", data={"csrf_token": csrf_of(viewer.get(CARD).text)})
    assert r.status_code == 403 and "无权访问" in r.text
    r = viewer.post(
        f"{CARD}/publish", data={"action": "unpublish", "csrf_token": csrf_of(viewer.get(CARD).text)}
    )
    assert r.status_code == 403
    # withdrawn: a draft again, hidden from the public
    admin.post(f"{CARD}/publish", data={"action": "unpublish", "csrf_token": csrf_of(admin.get(CARD).text)})
    assert anon.get(CARD).status_code == 404


def test_exports_and_print(app) -> None:  # noqa: ANN001
    admin = login(app, "admin")
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    csv_text = admin.get(f"{CARD}.csv").text
    assert csv_text.lstrip("\ufeff").startswith("序号,指标,目标值") and "exceeded" in csv_text
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(admin.get(f"{CARD}.xlsx").content)).active
    assert ws.max_row == 7 and ws["B3"].value
    printed = admin.get(f"{CARD}/print").text
    assert "/review/static/review.css" in printed and "<form" not in printed
    css = admin.get("/review/static/review.css")
    assert css.headers["content-type"].startswith("text/css") and "@media print" in css.text
    trend = admin.get("/review/示例区/trend", params={"indicator": "新增城镇就业"}).text
    assert 'class="bar-target"' in trend and 'class="bar-outcome"' in trend


def test_override_is_audited_and_kept(app, store) -> None:  # noqa: ANN001
    from luoshi.store.models import AuditLog, ReviewResult, Target

    admin = login(app, "admin")
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    with store.session() as s:
        rid = s.scalar(select(ReviewResult.id).join(Target).where(Target.indicator == "地区生产总值增长"))
    form = admin.get(f"/review/results/{rid}")
    assert form.status_code == 200 and "判定" in form.text
    r = admin.post(
        f"/review/results/{rid}",
        data={
            "csrf_token": csrf_of(form.text),
            "verdict": "not_met",
            "outcome_id": "",
            "reason": "口径不一致",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    with store.session() as s:
        row = s.get(ReviewResult, rid)
        assert (row.verdict, row.state, row.reason) == ("not_met", "overridden", "口径不一致")
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "review_override")).one()
        assert audit.actor_name == "admin"
    viewer = login(app, "viewer")
    assert viewer.get(f"/review/results/{rid}").status_code == 403


def test_import_next_report_from_the_scorecard_runs_the_review(store, tmp_path: Path) -> None:  # noqa: ANN001
    from luoshi.accounts.users import create_user
    from luoshi.tracking.importer import import_plan
    from luoshi.web.app import create_app
    from tests.review.conftest import TEXT_2024, plan_2023

    with store.session() as s:
        import_plan(s, plan_2023(), "示例区", 2023)
        create_user(s, "admin", "admin", password=PASSWORD)
    app = create_app(
        Settings(database_url=str(store.engine.url), secret_key="k", upload_dir=str(tmp_path / "u")),
        store=store,
    )
    admin = login(app, "admin")
    page = admin.get(CARD).text
    assert "导入并评估" in page and "开始评估" not in page  # no 2024 report yet
    report = ("一、2023年工作回顾\n\n" + TEXT_2024 + "\n").encode("utf-8")
    r = admin.post(
        f"{CARD}/import-next",
        data={"csrf_token": csrf_of(page)},
        files={"report_file": ("示例区2024.txt", report, "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = admin.get(CARD).text
    assert "依据 2024 年政府工作报告" in page and "超额完成" in page
    bad = admin.post(
        f"{CARD}/import-next",
        data={"csrf_token": csrf_of(page)},
        files={"report_file": ("empty.txt", b"", "text/plain")},
        headers={"accept": "application/json"},
    )
    assert bad.status_code == 400


def test_progress_evidence_is_marked_on_the_scorecard(app, store, two_reports) -> None:  # noqa: ANN001
    from datetime import date

    from luoshi.store.models import ProgressCheck, ProgressUpdate, Target

    a, _b = two_reports
    with store.session() as s:
        t = s.scalar(select(Target).where(Target.report_id == a, Target.indicator == "城镇登记失业率"))
        u = ProgressUpdate(target_id=t.id, period=date(2023, 11, 30), reported_value=4.2)
        s.add(u)
        s.flush()
        s.add(ProgressCheck(update_id=u.id, decision="accepted"))
    admin = login(app, "admin")
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    page = admin.get(CARD).text
    assert "依据：年内进度填报" in page and "截至2023-11-30" in page


def test_import_next_asks_before_storing_a_report_of_another_year(store, tmp_path: Path) -> None:  # noqa: ANN001
    from sqlalchemy import func

    from luoshi.accounts.users import create_user
    from luoshi.store.models import Report
    from luoshi.tracking.importer import import_plan
    from luoshi.web.app import create_app
    from tests.review.conftest import plan_2023

    with store.session() as s:
        import_plan(s, plan_2023(), "示例区", 2023)
        create_user(s, "admin", "admin", password=PASSWORD)
    app = create_app(
        Settings(database_url=str(store.engine.url), secret_key="k", upload_dir=str(tmp_path / "u")),
        store=store,
    )
    admin = login(app, "admin")
    page = admin.get(CARD).text
    wrong = "一、2025年工作回顾\n\n全区经济增长6.2%。\n二、2026年主要预期目标\n\n地区生产总值增长6%左右。\n".encode()
    r = admin.post(
        f"{CARD}/import-next",
        data={"csrf_token": csrf_of(page)},
        files={"report_file": ("示例区2026.txt", wrong, "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 409, r.text
    assert "2026" in r.text and "2024" in r.text and "确认年份无误" in r.text and 'name="force"' in r.text
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 1  # nothing stored before the confirm
    r = admin.post(
        f"{CARD}/import-next",
        data={"csrf_token": csrf_of(r.text), "force": "1"},
        files={"report_file": ("示例区2026.txt", wrong, "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 2


def test_headline_share_counts_evaluated_targets_only_and_says_how_many_are_open(app, store) -> None:  # noqa: ANN001
    from luoshi.store.models import Report, Target

    admin = login(app, "admin")
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    before = admin.get(CARD).text
    share = re.search(r'<div class="stat v-met-bg"><b>(\d+)%</b>', before).group(1)
    with store.session() as s:  # a target added after the review: not yet evaluated
        report = s.scalar(select(Report).where(Report.year == 2023))
        s.add(
            Target(
                report_id=report.id,
                title="新增目标：建成口袋公园10处",
                review_state="accepted",
                origin="manual",
            )
        )
    page = admin.get(CARD).text
    assert (
        re.search(r'<div class="stat v-met-bg"><b>(\d+)%</b>', page).group(1) == share
    )  # open ones do not count
    assert re.search(r"<b>1</b><span>未评估</span>", page), page
    assert "按已评估的 5 项计" in page


def test_reports_without_a_published_target_are_not_public(app, store) -> None:  # noqa: ANN001
    from luoshi.store.models import Target

    anon = TestClient(app)
    admin = login(app, "admin")
    admin.post(f"{CARD}/run", data={"csrf_token": csrf_of(admin.get(CARD).text)})
    r = admin.post(
        f"{CARD}/publish",
        data={"action": "publish", "csrf_token": csrf_of(admin.get(CARD).text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert anon.get(CARD).status_code == 200  # a published scorecard of a report with public targets
    with store.session() as s:
        for t in s.scalars(select(Target)):
            t.public = False
    assert anon.get(CARD).status_code == 404
    assert anon.get(f"{CARD}.json").status_code == 404 and anon.get(f"{CARD}.csv").status_code == 404
    assert "示例区" not in anon.get("/review").text
    assert anon.get("/public/示例区/2023.json").status_code == 404
    assert login(app, "admin").get(CARD).status_code == 200  # the office still sees its own work


def test_not_yet_evaluated_targets_are_weipinggu_in_json_and_csv(app) -> None:  # noqa: ANN001
    admin = login(app, "admin")
    data = admin.get(f"{CARD}.json").json()
    assert data and {d["verdict"] for d in data} == {"not_evaluated"}
    csv_text = admin.get(f"{CARD}.csv").content.decode("utf-8-sig")
    assert "未评估" in csv_text and "未报告" not in csv_text and "no_outcome" not in csv_text
    page = admin.get(CARD).text
    assert "未评估" in page
