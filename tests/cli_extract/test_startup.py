"""The txt -> json path stays light: no web, database, spreadsheet or dataframe imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures.builders import REPORT_TEXT, write_txt

HEAVY = (
    "fastapi",
    "sqlalchemy",
    "jinja2",
    "uvicorn",
    "openpyxl",
    "pandas",
    "alembic",
    "starlette",
    "docx",
    "pypdf",
    "bs4",
)

_PROBE = """
import sys, runpy
sys.argv = ["luoshi", "extract", sys.argv[1]]
try:
    runpy.run_module("luoshi", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def test_extract_txt_imports_nothing_heavy(tmp_path: Path) -> None:
    path = write_txt(tmp_path / "r.txt", REPORT_TEXT, "gbk")
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), ",".join(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CI": "true"},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document"]["source"] == "r.txt"
    assert proc.stderr.strip().splitlines()[-1] == "HEAVY="


def test_import_luoshi_is_light() -> None:
    code = "import sys, luoshi; luoshi.extract('城镇新增就业1万人'); print(','.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = {m.split(".")[0] for m in proc.stdout.strip().split(",")}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert "typer" not in loaded and "rich" not in loaded


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import select

    files = [write_txt(tmp_path / f"r{i}.txt", REPORT_TEXT) for i in range(3)]
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm", "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", "extract", *map(str, files), "-o", str(tmp_path / "out")],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert b"extracting" in seen
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r0.json", "r1.json", "r2.json"]
