"""Figures typed into every input are stored as the number meant, or refused with a Chinese 4xx
(issue 9: '280万' in the sheet was stored as 280, '1361万' refused by the form, Infinity made the
target page a 500 for everyone)."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from luoshi.store.models import ProgressUpdate, Target

from .conftest import csrf_of, login


def _loan_target(app) -> int:  # noqa: ANN001
    with app.state.store.session() as s:
        return s.scalar(select(Target.id).where(Target.unit == "亿元"))


def _values(app, target_id: int) -> list[float | None]:  # noqa: ANN001
    with app.state.store.session() as s:
        return list(
            s.scalars(
                select(ProgressUpdate.reported_value)
                .where(ProgressUpdate.target_id == target_id)
                .order_by(ProgressUpdate.id)
            )
        )


def test_form_api_and_sheet_store_the_number_meant(web) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    app, ids = web
    admin = login(app, "admin")
    loan = _loan_target(app)
    token = csrf_of(admin.get(f"/targets/{loan}").text)
    r = admin.post(
        f"/targets/{loan}/updates",
        data={"period": "2024-06-30", "value": "9000万元", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert _values(app, loan)[-1] == 0.9
    r = admin.post(
        f"/api/targets/{loan}/updates",
        json={"period": "2024-07-01", "value": "1.2亿"},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 201, r.text
    assert _values(app, loan)[-1] == 1.2
    wb = load_workbook(io.BytesIO(admin.get("/sheet.xlsx").content))
    ws = wb.active
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("ID")].value == ids.public_target:
            row[header.index("本期完成值")].value = "２８０座"
            row[header.index("填报日期")].value = date(2024, 7, 5)
        if row[header.index("ID")].value == loan:
            row[header.index("本期完成值")].value = "1.3亿元"
            row[header.index("填报日期")].value = date(2024, 7, 8)
    out = io.BytesIO()
    wb.save(out)
    r = admin.post(
        "/sheet",
        data={"csrf_token": token},
        files={"sheet": ("表.xlsx", out.getvalue(), "application/octet-stream")},
    )
    assert r.status_code == 200, r.text
    assert _values(app, ids.public_target)[-1] == 280
    assert _values(app, loan)[-1] == 1.3


def test_exported_sheet_and_pages_show_values_as_reports_write_them(web) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    app, ids = web
    admin = login(app, "admin")
    with app.state.store.session() as s:
        t = s.get(Target, ids.public_target)
        t.target_value, t.unit = 1.1e7, "人"
        s.get(Target, ids.other_public_target).target_value = 2.8908e10
        s.get(Target, ids.other_public_target).unit = "元"
    ws = load_workbook(io.BytesIO(admin.get("/sheet.xlsx").content)).active
    cells = [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert not [c for c in cells if "e+" in c], cells
    assert "≥1100万人" in cells and "≥289.08亿元" in cells
    page = admin.get("/targets").text
    assert "1100万人" in page and "289.08亿元" in page
    assert "11,000,000" not in page and "28,908,000,000" not in page


def test_bad_figures_and_dates_are_4xx_in_chinese_and_the_page_still_works(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    target = ids.public_target
    token = csrf_of(admin.get(f"/targets/{target}").text)
    before = _values(app, target)
    for body in (
        '{"period": "2024-06-30", "value": Infinity}',
        '{"period": "2024-06-30", "value": NaN}',
        '{"period": "2024-06-30", "value": 1e999}',
        '{"period": "2024-06-30", "value": "1e999"}',
    ):
        r = admin.post(
            f"/api/targets/{target}/updates",
            content=body,
            headers={"X-CSRF-Token": token, "content-type": "application/json"},
        )
        assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
        assert "有限" in r.text or "数字" in r.text, r.text
    cases = [
        ({"period": "2024-06-30", "value": "-5"}, "不能为负数"),
        ({"period": "2024-12-01", "value": "5"}, "晚于今天"),
        ({"period": "2023-12-01", "value": "5"}, "不在规划期内"),
        ({"period": "2024-06-30", "value": "很多"}, "本期完成值无法识别为数字"),
    ]
    for data, message in cases:
        r = admin.post(
            f"/targets/{target}/updates", data={**data, "csrf_token": token}, follow_redirects=False
        )
        assert r.status_code == 400, (data, r.status_code)
        assert message in r.text, (data, r.text[:300])
        r = admin.post(f"/api/targets/{target}/updates", json=data, headers={"X-CSRF-Token": token})
        assert r.status_code == 400 and message in r.json()["detail"], (data, r.text)
    assert _values(app, target) == before  # nothing stored
    assert admin.get(f"/targets/{target}").status_code == 200
    assert login(app, "anonymous").get(f"/targets/{target}").status_code == 200


def test_a_superseded_report_cannot_be_corrected_again(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    token = csrf_of(admin.get(f"/targets/{ids.public_target}").text)
    r = admin.post(
        f"/updates/{ids.update_id}/correct",
        data={"value": "130", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    r = admin.post(
        f"/updates/{ids.update_id}/correct",
        data={"value": "140", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "只能更正最新的版本" in r.text
    with app.state.store.session() as s:
        assert (
            len(
                list(
                    s.scalars(select(ProgressUpdate.id).where(ProgressUpdate.supersedes_id == ids.update_id))
                )
            )
            == 1
        )
