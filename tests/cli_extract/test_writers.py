"""The writers on a hand-built plan: every field lands in the right column, nothing lost."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from luoshi.extraction.model import DocumentInfo, Item, Plan, Section
from luoshi.formats import COLUMNS, dumps_json
from luoshi.formats.csv_fmt import render_csv
from luoshi.formats.rows import format_number

TEXT = "二、主要预期目标\n力争城镇新增就业1.2万人以上，CPI涨幅3%左右，=SUM(A1)\x01增长5%-6%。\n"


def _plan() -> Plan:
    sentence = (9, len(TEXT) - 1)
    return Plan(
        document=DocumentInfo(
            source="r.txt", sha256="0" * 64, title="报告", jurisdiction="张店区", plan_year=2024
        ),
        text=TEXT,
        sections=[Section("二、主要预期目标", (0, 8), "plan")],
        targets=[
            Item(
                "target",
                (17, 20),
                "1.2万人",
                12000.0,
                "人",
                ">=",
                "城镇新增就业",
                sentence,
                section=0,
                deadline=2024,
                aspirational=True,
            ),
            Item(
                "target",
                (47, 48),
                "5%-6%",
                5.0,
                "%",
                "range",
                "=SUM(A1)\x01增长",
                sentence,
                value_max=6.0,
                direction="up",
            ),
        ],
        outcomes=[Item("outcome", (29, 30), "3%", 3.0, "%", "~", "CPI涨幅", sentence, section=0)],
    )


def test_format_number() -> None:
    assert format_number(31240000000.0) == "31240000000"
    assert format_number(6.5) == "6.5"
    assert format_number(100 / 3) == repr(100 / 3)
    assert format_number(None) == ""
    assert format_number(float("inf")) == "inf"


def test_json_is_to_dict() -> None:
    plan = _plan()
    assert json.loads(dumps_json(plan)) == plan.to_dict()
    assert json.loads(dumps_json([plan, plan])) == [plan.to_dict()] * 2
    with pytest.raises(ValueError):
        dumps_json(
            Plan(
                document=plan.document,
                text="",
                targets=[Item("target", (0, 1), "x", float("nan"), "", "=", "", (0, 1))],
            )
        )


def test_csv_rows() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv([_plan()]))))
    assert [r["role"] for r in rows] == ["target", "outcome", "target"]  # text order
    first, second, third = rows
    assert tuple(first) == COLUMNS
    assert first["value"] == "12000" and first["unit"] == "人" and first["comparator"] == ">="
    assert first["aspirational"] == "true" and first["deadline"] == "2024"
    assert first["section_heading"] == "二、主要预期目标" and first["source_file"] == "r.txt"
    assert first["sentence_text"].startswith("力争城镇新增就业")
    assert third["value_max"] == "6" and third["direction"] == "up" and third["section_heading"] == ""
    assert second["comparator"] == "~"


def test_xlsx_cells(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from luoshi.formats.xlsx_fmt import write_xlsx

    write_xlsx([_plan()], tmp_path / "p.xlsx")
    ws = load_workbook(tmp_path / "p.xlsx")["items"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["value"] == 12000 and row["aspirational"] is True and row["deadline"] == 2024
    last = dict(zip(COLUMNS, rows[3], strict=True))
    # No formula injection and no illegal control characters in the workbook.
    assert last["indicator"] == "'=SUM(A1)增长"
    assert ws.cell(row=4, column=COLUMNS.index("indicator") + 1).data_type == "s"


def test_table_renders_every_item() -> None:
    from rich.console import Console

    from luoshi.formats.table_fmt import render_table

    buf = io.StringIO()
    render_table(_plan(), Console(file=buf, width=200, color_system=None))
    out = buf.getvalue()
    assert "r.txt · 报告 · 张店区 · 2024" in out and "2 targets, 1 outcomes" in out
    assert "城镇新增就业" in out and "5–6" in out and "target*" in out and "12,000" in out
    assert "* aspirational" in out


def test_streamed_json_is_byte_identical_to_json_dumps(demo_report_path: Path) -> None:
    import luoshi

    plan = luoshi.extract(demo_report_path)
    assert plan.targets
    expected = json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert dumps_json(plan) == expected
    assert (
        dumps_json([plan, _plan()])
        == json.dumps([plan.to_dict(), _plan().to_dict()], ensure_ascii=False, indent=2) + "\n"
    )
    assert dumps_json([]) == "[]\n"


def test_json_follows_a_custom_to_dict() -> None:
    """If the model's to_dict() ever adds or renames keys, the fast path must not hide it."""
    from dataclasses import dataclass
    from typing import Any

    @dataclass(frozen=True)
    class Custom:
        span: tuple[int, int]

        def to_dict(self) -> dict[str, Any]:
            return {"span": list(self.span), "extra": "新字段"}

    plan = _plan()
    plan.projects = [Custom((1, 2))]  # type: ignore[list-item]
    assert dumps_json(plan) == json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert '"extra": "新字段"' in dumps_json(plan)
