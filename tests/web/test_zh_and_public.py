"""zh-CN error pages, CSV for Excel, the sheet's 最新进展 awaiting 复核, public means published (issue 9)."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import quote

from sqlalchemy import select

from luoshi.store.models import Jurisdiction, Report, Target

from .conftest import csrf_of, login


def test_csrf_and_bad_form_errors_are_chinese_pages_in_the_layout(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    r = admin.post(
        f"/targets/{ids.public_target}/comments",
        data={"body": "请加快", "csrf_token": "forged"},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert '<html lang="zh-CN"' in r.text and "请刷新页面后重试" in r.text and "CSRF token" not in r.text
    api = admin.post(
        f"/api/targets/{ids.public_target}/updates",
        json={"period": "2024-06-30", "value": 1},
        headers={"X-CSRF-Token": "forged"},
    )
    assert api.status_code == 403 and "请刷新页面后重试" in api.json()["detail"]


def test_csv_exports_open_in_excel_with_chinese_intact(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    with app.state.store.session() as s:
        report = s.get(Target, ids.public_target).report
        place, year = report.jurisdiction.name, report.year
    for url in (f"/public/{quote(place)}/{year}.csv", "/admin/audit.csv"):
        body = admin.get(url).content
        assert body.startswith("\ufeff".encode()), url
        body.decode("utf-8")


def test_sheet_latest_progress_says_when_it_awaits_review(web) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    app, ids = web
    admin = login(app, "admin")
    token = csrf_of(admin.get(f"/targets/{ids.public_target}").text)
    r = admin.post(
        f"/targets/{ids.public_target}/updates",
        data={"period": "2024-07-09", "value": "270", "narrative": "新建成一批", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    ws = load_workbook(io.BytesIO(admin.get("/sheet.xlsx").content)).active
    header = [c.value for c in ws[1]]
    row = next(
        r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("ID")] == ids.public_target
    )
    latest = row[header.index("最新进展")]
    assert latest.startswith("2024-07-09：270座") and latest.endswith("（待复核）"), latest


def test_a_report_with_no_published_target_is_not_served_publicly(web) -> None:  # noqa: ANN001
    app, _ids = web
    with app.state.store.session() as s:
        place = Jurisdiction(name="示例县")
        report = Report(
            jurisdiction=place,
            year=2024,
            title="示例县2024年政府工作报告",
            text="新建道路10公里。",
            sha256="0" * 64,
        )
        s.add_all(
            [
                place,
                report,
                Target(
                    report=report,
                    title="新建道路10公里",
                    review_state="accepted",
                    public=False,
                    origin="manual",
                    deadline=date(2024, 12, 31),
                ),
            ]
        )
    anon = login(app, "anonymous")
    for url in (
        "/public/示例县/2024",
        "/public/示例县/2024.json",
        "/public/示例县/2024.csv",
        "/public/示例县/2024/changes.atom",
    ):
        assert anon.get(url).status_code == 404, url
    assert "示例县" not in anon.get("/public").text
    assert "示例县" not in anon.get("/api/reports").text
    with app.state.store.session() as s:
        assert s.scalar(select(Report.id).where(Report.title.like("示例县%"))) is not None


def test_override_notes_comments_and_names_never_reach_anonymous_readers(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    t = ids.public_target
    token = csrf_of(admin.get(f"/targets/{t}").text)
    assert (
        admin.post(
            f"/targets/{t}/status",
            data={"status": "done", "note": "机密：领导口头同意", "csrf_token": token},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert (
        admin.post(
            f"/targets/{t}/comments",
            data={"body": "内部批示：抓紧", "csrf_token": token},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert (
        admin.post(
            f"/targets/{t}/updates",
            data={
                "period": "2024-07-09",
                "value": "1",
                "narrative": "内部说明甲",
                "internal": "1",
                "csrf_token": token,
            },
            follow_redirects=False,
        ).status_code
        == 303
    )
    with app.state.store.session() as s:
        report = s.get(Target, t).report
        place, year = quote(report.jurisdiction.name), report.year
    anon = login(app, "anonymous")
    secrets = ("机密：领导口头同意", "内部批示", "内部说明甲", "admin", "reporter")
    for url in (
        f"/targets/{t}",
        f"/api/targets/{t}",
        f"/api/targets/{t}/updates",
        "/api/targets",
        f"/public/{place}/{year}",
        f"/public/{place}/{year}.json",
        f"/public/{place}/{year}.csv",
        f"/public/{place}/{year}/changes.atom",
        f"/public/targets/{t}/changes.atom",
    ):
        body = anon.get(url).text
        assert not [x for x in secrets if x in body], (url, [x for x in secrets if x in body])
    assert "机密：领导口头同意" in admin.get(f"/targets/{t}").text  # the office still sees its reason
