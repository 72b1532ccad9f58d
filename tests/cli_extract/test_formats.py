"""`luoshi extract` in every format, to stdout, to a FILE and to a DIR."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from tests.fixtures.builders import REPORT_TEXT, make_docx, make_pdf, write_txt

from luoshi.formats import COLUMNS

PLAN_KEYS = {"document", "sections", "targets", "outcomes", "projects", "project_counts"}


def _items(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return plan["targets"] + plan["outcomes"]


def test_json_to_stdout_is_plan_to_dict(run: Any, tmp_path: Path, demo_text: str) -> None:
    import luoshi

    path = write_txt(tmp_path / "zd.txt", demo_text, "gbk")
    result = run("extract", path)
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert set(plan) == PLAN_KEYS
    assert plan["document"]["source"] == "zd.txt"
    assert plan["document"]["sha256"] == hashlib.sha256(demo_text.encode("utf-8")).hexdigest()
    assert plan == luoshi.extract(demo_text, source="zd.txt").to_dict()
    assert "\\u" not in result.stdout  # Chinese written as is (ensure_ascii=False)
    assert result.stdout.startswith("{\n  ")  # indented


def test_several_inputs_to_stdout_make_an_array(run: Any, tmp_path: Path, demo_text: str) -> None:
    a = write_txt(tmp_path / "a.txt", demo_text, "utf-8", bom=True)
    b = make_docx(tmp_path / "b.docx")
    result = run("extract", a, b)
    assert result.exit_code == 0, result.stderr
    plans = json.loads(result.stdout)
    assert [p["document"]["source"] for p in plans] == ["a.txt", "b.docx"]


def test_output_file(run: Any, tmp_path: Path, demo_text: str) -> None:
    src = write_txt(tmp_path / "r.txt", demo_text, "utf-16")
    out = tmp_path / "result.json"
    result = run("extract", src, "--output", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    plan = json.loads(out.read_text(encoding="utf-8"))
    assert set(plan) == PLAN_KEYS and plan["document"]["source"] == "r.txt"
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed into place


@pytest.mark.parametrize(("fmt", "suffix"), [("json", ".json"), ("csv", ".csv"), ("xlsx", ".xlsx")])
def test_output_dir_one_file_per_input(
    run: Any, tmp_path: Path, demo_text: str, fmt: str, suffix: str
) -> None:
    inputs = [
        write_txt(tmp_path / "gbk-report.txt", demo_text, "gbk"),
        make_docx(tmp_path / "word.docx"),
        make_pdf(tmp_path / "scan.pdf"),
    ]
    out = tmp_path / "out"
    out.mkdir()
    result = run("extract", *inputs, "-f", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem + suffix for p in inputs)


def test_output_dir_created_when_path_ends_with_slash(run: Any, tmp_path: Path) -> None:
    src = write_txt(tmp_path / "one.txt", REPORT_TEXT)
    result = run("extract", src, "--output", f"{tmp_path / 'new' / 'dir'}/")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "new" / "dir" / "one.json").is_file()


def test_directory_input_is_expanded(run: Any, tmp_path: Path, demo_text: str) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    write_txt(reports / "x.txt", demo_text, "gb18030")
    make_docx(reports / "y.docx")
    (reports / "notes.md").write_text("ignored")
    (reports / "~$y.docx").write_bytes(b"\x00lock")  # Word's lock file while y.docx is open
    (reports / ".hidden.txt").write_text("ignored")
    (reports / "sub").mkdir()
    out = tmp_path / "out"
    result = run("extract", reports, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["x.json", "y.json"]


def test_same_stem_does_not_overwrite(run: Any, tmp_path: Path) -> None:
    a = write_txt(tmp_path / "r.txt", REPORT_TEXT)
    b = make_docx(tmp_path / "r.docx")
    out = tmp_path / "out"
    assert run("extract", a, b, "-o", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["r-2.json", "r.json"]
    assert json.loads((out / "r-2.json").read_text())["document"]["source"] == "r.docx"


def test_csv_rows_match_json_items(run: Any, tmp_path: Path, demo_text: str) -> None:
    src = write_txt(tmp_path / "zd.txt", demo_text, "gbk")
    plan = json.loads(run("extract", src).stdout)
    out = tmp_path / "zd.csv"
    result = run("extract", src, "--format", "csv", "--output", out)
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS if rows else True
    items = sorted(_items(plan), key=lambda i: tuple(i["span"]))
    assert len(rows) == len(items)
    for row, item in zip(rows, items, strict=True):
        assert (int(row["start"]), int(row["end"])) == tuple(item["span"])
        assert float(row["value"]) == pytest.approx(item["value"])
        assert row["unit"] == item["unit"] and row["role"] == item["role"]
        assert row["source_file"] == "zd.txt"
        assert demo_text[item["span"][0] : item["span"][1]] in row["sentence_text"]


def test_csv_to_stdout_has_header(run: Any, tmp_path: Path) -> None:
    result = run("extract", write_txt(tmp_path / "r.txt", REPORT_TEXT), "-f", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].lstrip("\ufeff") == ",".join(COLUMNS)


def test_xlsx_workbook(run: Any, tmp_path: Path, demo_text: str) -> None:
    from openpyxl import load_workbook

    src = write_txt(tmp_path / "zd.txt", demo_text)
    plan = json.loads(run("extract", src).stdout)
    out = tmp_path / "zd.xlsx"
    result = run("extract", src, "-f", "xlsx", "-o", out)
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(out)
    rows = list(wb["items"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == len(_items(plan))
    docs = list(wb["documents"].iter_rows(values_only=True))
    assert docs[1][0] == "zd.txt"
    assert docs[1][6:8] == (len(plan["targets"]), len(plan["outcomes"]))


def test_xlsx_to_stdout_is_refused(run: Any, tmp_path: Path) -> None:
    result = run("extract", write_txt(tmp_path / "r.txt", REPORT_TEXT), "-f", "xlsx")
    assert result.exit_code == 2
    assert "--output" in result.stderr and result.stdout == ""


def test_table_format(run: Any, tmp_path: Path, demo_text: str) -> None:
    src = write_txt(tmp_path / "zd.txt", demo_text)
    plan = json.loads(run("extract", src).stdout)
    result = run("extract", src, "--format", "table")
    assert result.exit_code == 0, result.stderr
    for header in ("role", "figure", "value", "unit", "comparator", "indicator", "deadline"):
        assert header in result.stdout
    assert f"{len(plan['targets'])} targets" in result.stdout
    for item in _items(plan)[:3]:
        assert item["indicator"][:4] in result.stdout


def test_unknown_format_is_a_usage_error(run: Any, tmp_path: Path) -> None:
    result = run("extract", write_txt(tmp_path / "r.txt", REPORT_TEXT), "-f", "yaml")
    assert result.exit_code == 2
