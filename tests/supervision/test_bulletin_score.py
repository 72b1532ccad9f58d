"""The monthly 通报 and 考核打分 on a plan with known dates: the numbers, the Word file, the xlsx,
a rule of one's own, and the two commands."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from luoshi.errors import InputError
from luoshi.notify.remind import run_reminders
from luoshi.supervision.bulletin import build_bulletin, bulletin_charts
from luoshi.supervision.documents import bulletin_docx
from luoshi.supervision.scoring import load_rule, score_period, scoreboard_xlsx

from .conftest import Plan

REPO = Path(__file__).resolve().parents[2]


def test_june_record_of_each_department(store, settings, plan: Plan) -> None:  # noqa: ANN001
    with store.session() as s:
        b = build_bulletin(s, settings, "张店区", 2024, "2024-06")
    rec = b.record
    assert rec.as_of == date(2024, 6, 30)
    assert b.heading == "张店区2024年政府工作报告重点任务落实情况通报（2024年6月）"
    fagai, gongxin = rec.departments
    assert fagai.name == "区发改局" and gongxin.name == "区工信局"
    # June's report was due on 2024-06-28: t1 on 06-20 (on time), t2 on 07-02 (late), t3 never
    assert (fagai.targets, fagai.due, fagai.on_time, fagai.late, fagai.missing) == (2, 2, 1, 1, 0)
    assert (gongxin.targets, gongxin.due, gongxin.on_time, gongxin.late, gongxin.missing) == (1, 1, 0, 0, 1)
    assert (fagai.returned, fagai.checked, fagai.first_pass) == (1, 3, 2)
    assert dict(rec.totals) == {"ahead": 1, "far_behind": 1, "overdue": 1}
    [behind] = b.behind
    assert behind.target_id == plan.t2 and behind.status == "严重滞后" and behind.department == "区发改局"
    assert behind.gap == pytest.approx(49.6 - 10, abs=0.3)  # 序时进度 at 06-30 minus 10% done
    assert [(c.author, c.body) for c in b.comments] == [("王区长", plan.comment)]
    assert b.issued == [] and fagai.open_orders == gongxin.open_orders == 0


def test_bulletin_word_document_has_the_tables_charts_and_批示(store, settings, plan: Plan, tmp_path) -> None:  # noqa: ANN001
    from docx import Document

    run_reminders(store, settings, date(2024, 7, 10))  # t3 -> 督字〔2024〕1号
    with store.session() as s:
        b = build_bulletin(s, settings, "张店区", 2024, "2024-07")
        charts = bulletin_charts(b)
        content = bulletin_docx(b, charts)
    assert all(png.startswith(b"\x89PNG") and len(png) > 5000 for png in charts.values())
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "通报（2024年7月）" in text and "数据截至2024-07-10" in text
    assert "本月发出督办单1件，办结0件；截至2024-07-10未办结1件" in text
    assert "本月无领导批示" in text  # the 批示 was written in June
    assert len(doc.inline_shapes) == 2  # the two charts, embedded
    blobs = [rel.target_part.blob for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert sorted(blobs) == sorted(charts.values())
    status, departments, behind, orders = doc.tables[0], doc.tables[1], doc.tables[2], doc.tables[3]
    assert [c.text for c in status.rows[0].cells] == ["状态", "目标数", "占比"]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in departments.rows[1:]}
    assert rows["区工信局"][-1] == "1"  # one 督办单 open
    assert behind.rows[1].cells[0].text == "新增城镇就业100人以上"
    assert orders.rows[1].cells[0].text == "督字〔2024〕1号"

    with store.session() as s:
        june = build_bulletin(s, settings, "张店区", 2024, "2024-06")
        text = "\n".join(
            p.text for p in Document(io.BytesIO(bulletin_docx(june, bulletin_charts(june)))).paragraphs
        )
    assert f"王区长（新建5G基站100座以上）：{plan.comment}" in text


def test_score_by_the_bundled_rule(store, settings, plan: Plan) -> None:  # noqa: ANN001
    with store.session() as s:
        board = score_period(s, settings, "张店区", 2024, "2024-06")
    assert board.rule.full_marks == 100
    [first, second] = board.rows
    assert (first.rank, first.department) == (1, "区发改局")
    # 按时 1/2 of 40 + 达进度 1/2 of 30 + 一次通过 2/3 of 20 + no open order 10
    assert first.total == pytest.approx(20 + 15 + 40 / 3 + 10, abs=0.05)
    assert [round(i.points, 1) for i in first.items] == [20.0, 15.0, 13.3, 10.0]
    assert first.items[0].data.startswith("应报2次，按时1次")
    # 区工信局: nothing on time, nothing on pace, nothing checked (full 20), no order yet
    assert (second.rank, second.department, second.total) == (2, "区工信局", 30.0)
    assert "无可计数据" in second.items[2].data

    run_reminders(store, settings, date(2024, 7, 10))
    with store.session() as s:
        july = score_period(s, settings, "张店区", 2024, "2024-07")
    gongxin = next(r for r in july.rows if r.department == "区工信局")
    assert gongxin.items[3].points == 5.0 and gongxin.items[3].data == "未办结督办单1件"


def test_a_rule_of_ones_own_is_data(store, settings, plan: Plan, tmp_path: Path) -> None:  # noqa: ANN001
    rule = tmp_path / "rule.toml"
    rule.write_text(
        'name = "只看督办"\n[[items]]\nmetric = "open_orders"\nlabel = "督办办结"\nweight = 100\n'
        "per_order = 40\n",
        encoding="utf-8",
    )
    run_reminders(store, settings, date(2024, 7, 10))
    mine = settings.with_(scoring_rules=str(rule))
    assert load_rule(mine).name == "只看督办"
    with store.session() as s:
        board = score_period(s, mine, "张店区", 2024, "2024-07")
    assert [(r.rank, r.department, r.total) for r in board.rows] == [
        (1, "区发改局", 100.0),
        (2, "区工信局", 60.0),
    ]

    rule.write_text('[[items]]\nmetric = "popularity"\nweight = 10\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"rule\.toml.*popularity"):
        load_rule(mine)
    rule.write_text("[[items]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"rule\.toml.*TOML"):
        load_rule(mine)
    with pytest.raises(InputError, match="无法读取"):
        load_rule(settings.with_(scoring_rules=str(tmp_path / "missing.toml")))


def test_scoreboard_xlsx(store, settings, plan: Plan) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    with store.session() as s:
        board = score_period(s, settings, "张店区", 2024, "2024-06")
    wb = load_workbook(io.BytesIO(scoreboard_xlsx(board)))
    assert wb.sheetnames == ["考核排名", "计分明细", "计分规则"]
    ranking = list(wb["考核排名"].iter_rows(min_row=2, values_only=True))
    assert ranking[0][:3] == ("排名", "单位", "总分")
    assert ranking[1][:3] == (1, "区发改局", pytest.approx(58.3))
    assert ranking[2][:3] == (2, "区工信局", 30.0)
    detail = list(wb["计分明细"].iter_rows(min_row=2, values_only=True))
    assert ("区发改局", "复核一次通过率", "经复核3次，一次通过2次，67%", 13.3, 20) in detail
    rules = [r[0] for r in wb["计分规则"].iter_rows(values_only=True)]
    assert any("按时报送率（40分）" in str(r) for r in rules)


def test_commands_write_the_documents(store, settings, plan: Plan, tmp_path: Path) -> None:  # noqa: ANN001
    from docx import Document
    from openpyxl import load_workbook

    if store.engine.dialect.name != "sqlite":
        pytest.skip("the commands are the same on PostgreSQL; run once")
    env = {**os.environ, "LUOSHI_TODAY": "2024-07-10", "PYTHONPATH": str(REPO / "src")}
    db = settings.database_url
    out = tmp_path / "通报.docx"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "luoshi",
            "bulletin",
            "--jurisdiction",
            "张店区",
            "--year",
            "2024",
            "--month",
            "2024-06",
            "--output",
            str(out),
            "--db",
            db,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "bulletin 2024-06 written" in proc.stdout
    assert "区发改局" in "\n".join(c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells)

    xlsx = tmp_path / "score.xlsx"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "luoshi",
            "score",
            "--jurisdiction",
            "张店区",
            "--year",
            "2024",
            "--output",
            str(xlsx),
            "--db",
            db,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].split("\t")[1] == "区发改局"
    assert load_workbook(str(xlsx))["考核排名"]["B3"].value == "区发改局"

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "luoshi",
            "bulletin",
            "--jurisdiction",
            "张店区",
            "--year",
            "2023",
            "--month",
            "2023-06",
            "--output",
            str(out),
            "--db",
            db,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "没有张店区2023年的报告" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "luoshi",
            "score",
            "--jurisdiction",
            "张店区",
            "--year",
            "2024",
            "--month",
            "2024-6x",
            "--output",
            str(xlsx),
            "--db",
            db,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "月份" in proc.stderr
