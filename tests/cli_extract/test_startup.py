"""The txt -> json path stays light: no web, database, spreadsheet or dataframe imports, and
`luoshi extract` with plain arguments starts without the CLI machinery (typer, its pydantic type
adapters, rich) or cn2an, which are loaded only where needed (issue 12: cold start < 0.3 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
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
# made lazy for `luoshi extract` start-up: help, the other commands, rich output and colloquial
# Chinese numerals ("一万二") load them
LAZY = ("typer", "click", "pydantic", "pydantic_core", "rich", "cn2an")

# ENTRY: how the command is started; "-m" is `python -m luoshi`, "script" the console script
_PROBE = """
import sys, runpy
entry, modules = sys.argv[1], sys.argv[2].split(",")
sys.argv = ["luoshi", "extract", *sys.argv[3:]]
try:
    if entry == "script":
        from luoshi.cli import main
        main()
    else:
        runpy.run_module("luoshi", run_name="__main__")
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(modules))
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def _probe(entry: str, modules: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, entry, ",".join(modules), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CI": "true"},
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def test_extract_txt_imports_nothing_heavy(tmp_path: Path) -> None:
    path = write_txt(tmp_path / "r.txt", REPORT_TEXT, "gbk")
    proc = _probe("-m", HEAVY, str(path))
    assert json.loads(proc.stdout)["document"]["source"] == "r.txt"
    assert proc.stderr.strip().splitlines()[-1] == "HEAVY="


@pytest.mark.parametrize("entry", ["-m", "script"])
@pytest.mark.parametrize("extra", [(), ("-f", "csv"), ("--format=json", "-o", "OUT/r.json"), ("-o", "OUT/")])
def test_plain_extract_starts_without_cli_machinery(
    tmp_path: Path, demo_report_path: Path, entry: str, extra: tuple[str, ...]
) -> None:
    args = [a.replace("OUT", str(tmp_path)) for a in extra]
    proc = _probe(entry, (*HEAVY, *LAZY), str(demo_report_path), *args)
    assert proc.stderr.strip().splitlines()[-1] == "HEAVY="
    written = proc.stdout or next(tmp_path.glob("*.json")).read_text(encoding="utf-8")
    assert demo_report_path.name in written and "target" in written


def test_other_words_still_go_through_the_app(tmp_path: Path) -> None:
    """Help and mistakes are the Typer app's (its usage line and error box), run from main()."""
    code = "import sys; from luoshi.cli import main; sys.argv = ['luoshi', *sys.argv[1:]]; main()"
    report = str(write_txt(tmp_path / "r.txt"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CI": "true", "COLUMNS": "100"}
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)

    helped = run("extract", report, "--help")
    assert helped.returncode == 0 and "Usage: " in helped.stdout and "--format" in helped.stdout
    wrong = run("extract", report, "-f", "JSON")
    assert wrong.returncode == 2 and "'JSON'" in wrong.stderr and "Usage: " in wrong.stderr
    assert run("extract").returncode == 2


def test_import_luoshi_is_light() -> None:
    code = "import sys, luoshi; luoshi.extract('城镇新增就业1万人'); print(','.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = {m.split(".")[0] for m in proc.stdout.strip().split(",")}
    assert not loaded & {*HEAVY, *LAZY}, loaded & {*HEAVY, *LAZY}


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
