"""Excel 任务分解表 through the web: download, fill in, upload; a bad sheet lists its rows and changes nothing."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from luoshi.store.models import ProgressUpdate

from .conftest import csrf_of


def _count(app) -> int:  # noqa: ANN001
    with app.state.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0)


def _upload(client, data: bytes):  # noqa: ANN001, ANN202
    token = csrf_of(client.get("/sheet").text)
    return client.post(
        "/sheet",
        data={"csrf_token": token},
        files={"sheet": ("任务分解表.xlsx", io.BytesIO(data), "application/octet-stream")},
    )


def test_sheet_round_trip_and_bad_rows(clients) -> None:  # noqa: ANN001
    c, ids = clients
    admin = c["admin"]
    r = c["viewer"].get("/sheet.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    wb = load_workbook(io.BytesIO(admin.get("/sheet.xlsx").content))
    ws = wb.active
    header = [cell.value for cell in ws[1]]
    for name in (
        "ID",
        "序号",
        "领域",
        "工作任务",
        "目标值",
        "牵头单位",
        "责任单位",
        "完成时限",
        "最新进展",
        "状态",
    ):
        assert name in header
    col = {name: i + 1 for i, name in enumerate(header)}
    row_of = {ws.cell(row=r, column=col["ID"]).value: r for r in range(2, ws.max_row + 1)}
    assert ids.public_target in row_of and ids.internal_target in row_of
    good_row = row_of[ids.public_target]
    ws.cell(row=good_row, column=col["本期完成值"], value=280)
    ws.cell(row=good_row, column=col["填报日期"], value="2024-07-07")
    ws.cell(row=good_row, column=col["进展说明"], value="表格导入")
    bad_row = row_of[ids.internal_target]
    ws.cell(row=bad_row, column=col["本期完成值"], value="很多")
    ws.cell(row=bad_row, column=col["填报日期"], value="2024-07-07")
    buf = io.BytesIO()
    wb.save(buf)
    before = _count(admin.app)
    r = _upload(admin, buf.getvalue())
    assert r.status_code == 400
    assert f"第 {bad_row} 行" in r.text and "整张表未导入" in r.text
    assert _count(admin.app) == before  # nothing of the sheet applied
    ws.cell(row=bad_row, column=col["本期完成值"], value=2)
    buf = io.BytesIO()
    wb.save(buf)
    r = _upload(admin, buf.getvalue())
    assert r.status_code == 200 and "新增进展2条" in r.text, r.text[-800:]
    assert _count(admin.app) == before + 2
    r = _upload(admin, buf.getvalue())  # the same sheet again: matched by ID, nothing duplicated
    assert r.status_code == 200 and _count(admin.app) == before + 2
    assert _upload(admin, b"not a workbook").status_code == 400
    assert (
        c["reporter"]
        .post(
            "/sheet",
            data={"csrf_token": csrf_of(c["reporter"].get("/login").text)},
            files={"sheet": ("x.xlsx", io.BytesIO(buf.getvalue()), "application/octet-stream")},
        )
        .status_code
        == 403
    )
