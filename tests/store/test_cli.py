"""The store commands, run as a person runs them (a real process, a real SQLite file)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa


def luoshi(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "LUOSHI_DATABASE_URL"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_db_upgrade_import_and_sheet(tmp_path: Path, demo_report_path: Path) -> None:
    db = tmp_path / "office.db"
    r = luoshi("db", "upgrade", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "upgraded" in r.stdout and db.exists()
    r = luoshi("db", "upgrade", "--db", str(db), cwd=tmp_path)
    assert "up to date" in r.stdout

    r = luoshi(
        "import",
        str(demo_report_path),
        "--jurisdiction",
        "张店区",
        "--year",
        "2024",
        "--parent",
        "淄博市",
        "--db",
        str(db),
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "已导入报告ID 1" in r.stdout
    r = luoshi(
        "import",
        str(demo_report_path),
        "--jurisdiction",
        "张店区",
        "--year",
        "2024",
        "--db",
        str(db),
        cwd=tmp_path,
    )
    assert r.returncode == 0 and "未重复导入" in r.stdout
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from reports")).scalar() == 1
        proposed = conn.execute(
            sa.text("select count(*) from targets where review_state = 'proposed'")
        ).scalar()
        assert proposed > 0
        conn.execute(sa.text("update targets set review_state = 'accepted'"))
        conn.commit()
    engine.dispose()

    out = tmp_path / "任务分解表.xlsx"
    r = luoshi("sheet", "export", str(out), "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert out.exists() and f"wrote {proposed} targets" in r.stdout
    r = luoshi("sheet", "import", str(out), "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"无变化{proposed}行" in r.stdout


def test_default_database_and_env_url(tmp_path: Path) -> None:
    r = luoshi("db", "upgrade", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "luoshi.db").exists()
    other = tmp_path / "from-env.db"
    r = luoshi("db", "upgrade", cwd=tmp_path, env={"LUOSHI_DATABASE_URL": f"sqlite:///{other}"})
    assert r.returncode == 0 and other.exists()


def test_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    r = luoshi(
        "import",
        str(tmp_path / "missing.txt"),
        "--jurisdiction",
        "张店区",
        "--year",
        "2024",
        "--db",
        str(tmp_path / "x.db"),
        cwd=tmp_path,
    )
    assert r.returncode == 2
    assert "missing.txt" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    r = luoshi("sheet", "import", str(bad), "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert r.returncode == 2 and "bad.xlsx" in r.stderr and "Traceback" not in r.stderr


def test_demo_command_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    r = luoshi("demo", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "loaded" in r.stdout and "2024-09-30" in r.stdout
    r = luoshi("demo", "--db", str(db), cwd=tmp_path)
    assert "already loaded" in r.stdout
    out = tmp_path / "demo.xlsx"
    r = luoshi("sheet", "export", str(out), "--db", str(db), cwd=tmp_path, env={"LUOSHI_TODAY": "2024-09-30"})
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    statuses = {row[9] for row in load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"已完成", "超进度", "达进度", "欠进度", "严重滞后", "逾期", "未填报"}
