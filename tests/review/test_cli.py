"""``luoshi review`` on files (extracted on the fly) and on stored reports in a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.review.conftest import TEXT_2023, TEXT_2024

KEYS = {"target", "outcome", "verdict", "ratio", "reason", "candidates"}


def luoshi(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], capture_output=True, text=True, timeout=120
    )


def test_stored_reports_json(store, two_reports, tmp_path: Path) -> None:
    a, b = two_reports
    db = store.engine.url.database
    proc = luoshi("review", "--targets", f"report:{a}", "--outcomes", "示例区/2024", "--db", db)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [set(d) for d in data] == [KEYS] * 5
    by = {d["target"]["indicator"]: d for d in data}
    jobs = by["城镇新增就业"]
    assert jobs["verdict"] == "exceeded" and jobs["ratio"] == pytest.approx(1.125)
    assert TEXT_2023[slice(*jobs["target"]["span"])] == "1.2万人"
    assert TEXT_2024[slice(*jobs["outcome"]["span"])] == "1.35万人"
    assert by["城镇登记失业率"]["outcome"] is None and by["城镇登记失业率"]["verdict"] == "no_outcome"
    assert by["新建5G基站"]["verdict"] == "partly_met" and by["新建5G基站"]["ratio"] == pytest.approx(0.84)
    assert all(d["candidates"] == [] for d in data)
    assert all(d["reason"].endswith("。") for d in data)


def test_save_then_csv_and_xlsx(store, two_reports, tmp_path: Path) -> None:
    a, b = two_reports
    db = store.engine.url.database
    proc = luoshi(
        "review", "--targets", str(a), "--outcomes", str(b), "--db", db, "--save", "--format", "csv"
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0][:3] == ["序号", "指标", "目标值"] and len(rows) == 6
    assert any("超额完成" in r for r in rows)
    from luoshi.store.models import ReviewResult

    with store.session() as s:
        assert s.query(ReviewResult).count() == 5
    out = tmp_path / "card.xlsx"
    proc = luoshi(
        "review", "--targets", str(a), "--outcomes", str(b), "--db", db, "-f", "xlsx", "-o", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws["A2"].value == "序号" and ws.max_row == 7


def test_files_are_extracted_on_the_fly(tmp_path: Path) -> None:
    y, y1 = tmp_path / "a-2023.txt", tmp_path / "a-2024.txt"
    y.write_text(TEXT_2023, encoding="utf-8")
    y1.write_text(TEXT_2024, encoding="utf-8")
    proc = luoshi("review", "--targets", str(y), "--outcomes", str(y1))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    extracted = json.loads(luoshi("extract", str(y)).stdout)
    assert [d["target"] for d in data] == extracted["targets"]
    for d in data:
        assert set(d) == KEYS
        if d["outcome"] is not None:
            assert TEXT_2024[slice(*d["outcome"]["span"])]


def test_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    proc = luoshi("review", "--targets", str(tmp_path / "missing.txt"), "--outcomes", "x.txt")
    assert proc.returncode == 2 and "missing.txt" in proc.stderr and "Traceback" not in proc.stderr
    proc = luoshi(
        "review",
        "--targets",
        "nowhere/2024",
        "--outcomes",
        "nowhere/2025",
        "--db",
        str(tmp_path / "empty.db"),
    )
    assert proc.returncode == 2 and "nowhere/2024" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "empty.db").exists()  # reading never creates a database
    y = tmp_path / "y.txt"
    y.write_text(TEXT_2023, encoding="utf-8")
    proc = luoshi("review", "--targets", str(y), "--outcomes", str(y), "--format", "xlsx")
    assert proc.returncode == 2 and "--output" in proc.stderr


def test_stored_targets_use_progress_readings(store, two_reports) -> None:
    from datetime import date

    from sqlalchemy import select

    from luoshi.store.models import ProgressCheck, ProgressUpdate, Target

    a, b = two_reports
    with store.session() as s:
        t = s.scalar(select(Target).where(Target.report_id == a, Target.indicator == "城镇登记失业率"))
        u = ProgressUpdate(target_id=t.id, period=date(2023, 12, 31), reported_value=4.9)
        s.add(u)
        s.flush()
        s.add(ProgressCheck(update_id=u.id, decision="accepted"))
    proc = luoshi(
        "review", "--targets", f"report:{a}", "--outcomes", f"report:{b}", "--db", store.engine.url.database
    )
    assert proc.returncode == 0, proc.stderr
    row = next(d for d in json.loads(proc.stdout) if d["target"]["indicator"] == "城镇登记失业率")
    assert row["outcome"] is None and row["verdict"] == "not_met" and "进度填报" in row["reason"]
