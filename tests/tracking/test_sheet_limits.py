"""The 任务分解表 upload is read in streaming mode within caps: a fake ``<dimension>`` allocates
nothing, 100,000 empty rows are refused after the row cap, zip bombs before unpacking.
Real sheets are made by openpyxl (``export_sheet``), then edited at the XML level as an attacker would."""

from __future__ import annotations

import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from tests.sources.test_limits import _rewrite_zip

from luoshi.errors import InputError
from luoshi.settings import Settings
from luoshi.sources.limits import DEFAULT_LIMITS
from luoshi.store.models import ProgressUpdate, Target
from luoshi.tracking import services
from luoshi.tracking.importer import import_report
from luoshi.tracking.sheet import export_sheet, import_sheet

from .conftest import SAMPLE_TEXT, make_plan

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def sheet(store, tmp_path: Path) -> Path:  # noqa: ANN001
    with store.session() as s:
        import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
        for t in s.scalars(select(Target)):
            services.accept_target(s, t)
    out = tmp_path / "sheet.xlsx"
    with store.session() as s:
        export_sheet(s, Settings(), out)
    wb = load_workbook(out)
    ws = wb.active
    cols = {c.value: c.column for c in ws[1]}
    ws.cell(row=2, column=cols["本期完成值"]).value = 12
    ws.cell(row=2, column=cols["填报日期"]).value = "2024-06-30"
    wb.save(out)
    return out


def _updates(store) -> int:  # noqa: ANN001
    with store.session() as s:
        return int(s.scalar(select(func.count(ProgressUpdate.id))) or 0)


def _peak(fn):  # noqa: ANN001, ANN202
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_fake_dimension_allocates_nothing(store, sheet: Path, tmp_path: Path) -> None:  # noqa: ANN001
    fake = _rewrite_zip(
        sheet,
        tmp_path / "fake.xlsx",
        SHEET,
        edit=(r'<dimension ref="[A-Z]+\d+:[A-Z]+\d+"\s*/>', '<dimension ref="A1:XFD1048576"/>'),
    )
    with store.session() as s:
        result, peak = _peak(lambda: import_sheet(s, fake, filename="fake.xlsx"))
    assert result.updates == 1 and _updates(store) == 1
    assert peak < 60 << 20, f"{peak / 2**20:.0f} MB for a {fake.stat().st_size} byte sheet"


def test_100k_empty_rows_are_refused_after_the_row_cap(store, sheet: Path, tmp_path: Path) -> None:  # noqa: ANN001
    rows = "".join(f'<row r="{r}"><c r="A{r}" s="0"/></row>' for r in range(100, 100_100))
    padded = _rewrite_zip(sheet, tmp_path / "rows.xlsx", SHEET, edit=(r"</sheetData>", rows + "</sheetData>"))
    assert padded.stat().st_size < 1_000_000
    before = _updates(store)
    with pytest.raises(InputError) as exc, store.session() as s:
        import_sheet(s, padded.read_bytes(), filename="rows.xlsx")
    assert "rows.xlsx" in str(exc.value) and "超过 20,000 行" in str(exc.value)
    assert _updates(store) == before  # nothing stored
    # under a raised cap the same file is read, the empty rows skipped, and the one real row applied
    with store.session() as s:
        result = import_sheet(
            s, padded, filename="rows.xlsx", limits=replace(DEFAULT_LIMITS, xlsx_max_rows=200_000)
        )
    assert result.updates == 1


def test_cells_columns_and_zip_caps(store, sheet: Path, tmp_path: Path) -> None:  # noqa: ANN001
    with (
        pytest.raises(InputError, match=r"sheet\.xlsx: 单元格过多.*LUOSHI_XLSX_MAX_CELLS"),
        store.session() as s,
    ):
        import_sheet(s, sheet, filename="sheet.xlsx", limits=replace(DEFAULT_LIMITS, xlsx_max_cells=20))
    # a stray value far to the right (column 5000) is cut off while parsing, not an error
    wide = _rewrite_zip(
        sheet,
        tmp_path / "wide.xlsx",
        SHEET,
        edit=(r"</row>", '<c r="GJH1" t="inlineStr"><is><t>x</t></is></c></row>'),
    )
    with store.session() as s:
        assert import_sheet(s, wide, filename="wide.xlsx").updates == 1
    bomb = _rewrite_zip(sheet, tmp_path / "bomb.xlsx", SHEET, extra_bytes=30 << 20)
    with pytest.raises(InputError) as exc, store.session() as s:
        import_sheet(s, bomb.read_bytes(), filename="bomb.xlsx")
    assert str(exc.value).startswith("bomb.xlsx: 压缩比异常")


def test_too_many_rows_are_refused_before_any_row_is_parsed(
    store, sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    # Parsing 20,000 rows before the refusal held the GIL for about half a second per upload, so
    # two upload loops pushed the server's /healthz p95 to ~100 ms (benchmarks/bench_web.py).
    from openpyxl.worksheet._reader import WorkSheetParser

    rows = "".join(f'<row r="{r}"><c r="A{r}" s="0"/></row>' for r in range(100, 100_100))
    padded = _rewrite_zip(sheet, tmp_path / "rows.xlsx", SHEET, edit=(r"</sheetData>", rows + "</sheetData>"))
    parsed: list[int] = []
    real_parse = WorkSheetParser.parse

    def counting(self):  # noqa: ANN001, ANN202
        for item in real_parse(self):
            parsed.append(item[0])
            yield item

    monkeypatch.setattr(WorkSheetParser, "parse", counting)
    with pytest.raises(InputError, match=r"rows\.xlsx: .*超过 20,000 行"), store.session() as s:
        import_sheet(s, padded.read_bytes(), filename="rows.xlsx")
    assert parsed == []
    # a sheet within the cap is still parsed, row by row
    with store.session() as s:
        assert import_sheet(s, sheet, filename="sheet.xlsx").updates == 1
    assert parsed
