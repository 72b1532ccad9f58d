"""The Excel 任务分解表 round trip with real openpyxl files."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from luoshi.errors import InputError
from luoshi.store.models import Department, ProgressCheck, ProgressUpdate, Target
from luoshi.tracking import services
from luoshi.tracking.importer import import_report
from luoshi.tracking.queries import list_targets
from luoshi.tracking.sheet import COLUMNS, SheetError, export_sheet, import_sheet

from .conftest import SAMPLE_TEXT, make_plan


@pytest.fixture
def loaded(store) -> list[int]:  # noqa: ANN001
    with store.session() as s:
        import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
        ids = []
        for t in s.scalars(select(Target).order_by(Target.position)):
            services.accept_target(s, t)
            ids.append(t.id)
        services.assign_departments(s, ids[0], services.get_or_create_department(s, "区发改局"), [])
        return ids


def fill(path: Path, rows: dict[int, dict[str, object]], out: Path | None = None) -> Path:
    wb = load_workbook(path)
    ws = wb.active
    cols = {c.value: c.column for c in ws[1]}
    by_id = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for tid, values in rows.items():
        r = by_id.get(tid)
        if r is None:
            r = ws.max_row + 1
        for name, value in values.items():
            ws.cell(row=r, column=cols[name], value=value)
    wb.save(out or path)
    return out or path


def counts(store) -> tuple[int, int, int]:  # noqa: ANN001
    with store.session() as s:
        return (
            s.scalar(select(func.count()).select_from(ProgressUpdate)),
            s.scalar(select(func.count()).select_from(Department)),
            s.scalar(select(func.count()).select_from(Target).where(Target.lead_department_id.is_not(None))),
        )


def test_export_has_the_columns_and_a_row_per_target(store, loaded, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "plan.xlsx"
    with store.session() as s:
        assert export_sheet(s, store.settings, out) == 3
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == list(COLUMNS)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == loaded and [r[1] for r in rows] == [1, 2, 3]
    assert rows[1][4] == "≥300座" and rows[2][4] == "≤5.5%" and rows[0][5] == "区发改局"
    assert rows[0][7].date() == date(2024, 12, 31) and rows[0][9] == "逾期"
    with store.session() as s:
        assert export_sheet(s, store.settings, tmp_path / "dept.xlsx", department="区发改局") == 1
    assert [
        r[0] for r in load_workbook(tmp_path / "dept.xlsx").active.iter_rows(min_row=2, values_only=True)
    ] == [loaded[0]]


def test_import_progress_and_assignments_then_reimport_does_not_duplicate(
    store, loaded, tmp_path: Path
) -> None:  # noqa: ANN001
    out = tmp_path / "plan.xlsx"
    with store.session() as s:
        export_sheet(s, store.settings, out)
    fill(
        out,
        {
            loaded[1]: {
                "本期完成值": 240,
                "填报日期": datetime(2024, 9, 25),
                "进展说明": "已建成240座",
                "牵头单位": "区工信局",
                "责任单位": "区发改局、区住建局",
            },
            loaded[2]: {"本期完成值": "5.1%", "填报日期": "2024-09-20"},
        },
    )
    with store.session() as s:
        result = import_sheet(s, out, actor="督查室")
    assert (result.updates, result.corrections, result.assignments, result.unchanged) == (2, 0, 1, 1)
    with store.session() as s:
        t = s.get(Target, loaded[1])
        assert t.lead_department.name == "区工信局" and [d.name for d in t.co_departments] == [
            "区住建局",
            "区发改局",
        ]
        updates = s.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)).all()
        assert [(u.target_id, u.reported_value, u.author_name) for u in updates] == [
            (loaded[1], 240, "督查室"),
            (loaded[2], 5.1, "督查室"),
        ]
        # Imported progress is submitted; it counts after 复核.
        for u in updates:
            services.check_update(s, u, "accepted")
    with store.session() as s:
        codes = {v.target.id: v.code for v in list_targets(s, store.settings)}
        assert codes[loaded[1]] == "on_pace" and codes[loaded[2]] == "on_pace"
    # The same sheet again: nothing new.
    with store.session() as s:
        again = import_sheet(s, out)
    assert (again.updates, again.corrections, again.assignments, again.unchanged) == (0, 0, 0, 3)
    assert counts(store)[0] == 2
    # A changed value for the same period becomes a correction of the earlier version.
    fill(out, {loaded[1]: {"本期完成值": 250}})
    with store.session() as s:
        fixed = import_sheet(s, out)
        assert fixed.corrections == 1
        newest = s.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
        assert newest.reported_value == 250 and newest.supersedes_id is not None
        assert s.scalar(select(func.count()).select_from(ProgressCheck)) == 2


def test_bad_rows_are_all_reported_and_nothing_is_applied(store, loaded, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "plan.xlsx"
    with store.session() as s:
        export_sheet(s, store.settings, out)
    fill(
        out,
        {
            loaded[0]: {"本期完成值": 6.3, "填报日期": "2024-09-20", "牵头单位": "区统计局"},  # a valid row
            loaded[1]: {"本期完成值": "很多", "填报日期": "2024-09-20"},  # row 3: not a number
            loaded[2]: {"本期完成值": 5.0},  # row 4: no date
        },
    )
    wb = load_workbook(out)
    ws = wb.active
    ws.append(["abc", 4, "", "手工加的一行", "", "", "", "", "", "", 1, "2024-09-01"])  # row 5: bad ID
    ws.append([99999, 5, "", "不存在的目标", "", "", "", "", "", "", 1, "2024-09-01"])  # row 6: unknown ID
    ws.append(
        [loaded[0], 6, "", "重复", "", "", "", "", "", "", 1, "2024/13/45"]
    )  # row 7: duplicate + bad date
    wb.save(out)
    before = counts(store)
    with pytest.raises(SheetError) as info, store.session() as s:
        import_sheet(s, out)
    rows = [r for r, _reason in info.value.problems]
    assert rows == [3, 4, 5, 6, 7]
    text = str(info.value)
    assert "plan.xlsx" in text and "第3行" in text and "不是数字" in text and "缺少填报日期" in text
    assert "ID 99999 不存在" in text and "重复" in text and "填报日期无法识别" in text
    assert counts(store) == before  # nothing applied, not even the valid row's department


def test_not_a_spreadsheet_is_a_clear_error(store, tmp_path: Path) -> None:  # noqa: ANN001
    bad = tmp_path / "notes.xlsx"
    bad.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="notes.xlsx"), store.session() as s:
        import_sheet(s, bad)


def test_hundreds_of_rows(store, loaded, tmp_path: Path) -> None:  # noqa: ANN001
    with store.session() as s:
        report_id = s.get(Target, loaded[0]).report_id
        for i in range(400):
            services.create_target(s, report_id, {"title": f"任务{i}", "target_value": 100.0, "unit": "个"})
    out = tmp_path / "big.xlsx"
    with store.session() as s:
        assert export_sheet(s, store.settings, out) == 403
    ws_ids = [r[0] for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
    fill(out, {tid: {"本期完成值": 70, "填报日期": "2024-09-25", "牵头单位": "区发改局"} for tid in ws_ids})
    with store.session() as s:
        result = import_sheet(s, out)
    assert result.updates == 403 and result.assignments == 402
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == 403


def test_key_project_worksheet_round_trip(store, loaded, tmp_path: Path) -> None:  # noqa: ANN001
    from luoshi.settings import Settings
    from luoshi.tracking.projects import project_rollup

    out = tmp_path / "plan.xlsx"
    with store.session() as s:
        export_sheet(s, store.settings, out)
    wb = load_workbook(out)
    ws = wb["重点项目"]
    header = [c.value for c in ws[1]]
    rows = {r[2]: (i, r) for i, r in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)}
    row_number, smart = rows["智慧城市项目"]
    assert smart[5] == 20000  # 2亿元 = 20000万元
    ws.cell(row=row_number, column=header.index("本期累计完成投资（万元）") + 1, value=15000)
    ws.cell(row=row_number, column=header.index("填报日期") + 1, value="2024-09-30")
    wb.save(out)
    for _ in range(2):  # the second import adds nothing
        with store.session() as s:
            result = import_sheet(s, out)
    assert result.project_progress == 0
    with store.session() as s:
        line = next(
            p for p in project_rollup(s, Settings(today="2024-09-30")).projects if p.name == "智慧城市项目"
        )
        assert line.completed == 1.5e8 and line.rate == 75.0
    # A bad project row stops the whole sheet, with the worksheet named in the reason.
    wb = load_workbook(out)
    wb["重点项目"].cell(row=row_number, column=header.index("本期累计完成投资（万元）") + 1, value="很多")
    wb.save(out)
    with pytest.raises(SheetError, match="重点项目") as info, store.session() as s:
        import_sheet(s, out)
    assert info.value.problems[0][0] == row_number
