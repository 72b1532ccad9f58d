"""The declared API of luoshi.corpus, the command's options, and a light start-up."""

from __future__ import annotations

import inspect
import subprocess
import sys

from typer.testing import CliRunner

import luoshi.corpus
from luoshi.cli import app


def test_public_api() -> None:
    assert luoshi.corpus.__all__ == ["CorpusTables", "extract_corpus"]
    params = inspect.signature(luoshi.corpus.extract_corpus).parameters
    assert list(params)[0] == "paths"
    assert {"output", "fmt", "workers", "engine", "scheduler", "resume", "glob", "metadata"} <= set(params)


def test_command_options_as_the_issue_spells_them() -> None:
    result = CliRunner().invoke(app, ["corpus", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in (
        "--output",
        "--format",
        "--workers",
        "--engine",
        "--scheduler",
        "--resume",
        "--glob",
        "--metadata",
    ):
        assert option in result.output, option
    for word in ("parquet", "csv", "jsonl", "dta", "local", "dask"):
        assert word in result.output


def test_scheduler_needs_the_dask_engine(tmp_path: object) -> None:
    result = CliRunner().invoke(app, ["corpus", ".", "-o", str(tmp_path), "--scheduler", "tcp://h:1"])
    assert result.exit_code == 2 and "--engine dask" in result.output


def test_cli_start_up_does_not_import_heavy_modules() -> None:
    code = "import sys, luoshi.cli, luoshi.corpus; print(sorted(m for m in ('pandas','pyarrow','distributed','dask') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
