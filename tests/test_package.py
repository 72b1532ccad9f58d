"""Package-level checks: the declared public API and a lint-clean tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import luoshi
from tests.conftest import REPO


def test_public_api_is_declared() -> None:
    assert set(luoshi.__all__) >= {"extract", "Plan", "Item", "Section", "Project", "SourceError"}
    for name in luoshi.__all__:
        assert hasattr(luoshi, name), name


def test_extract_accepts_text() -> None:
    plan = luoshi.extract("")
    assert isinstance(plan, luoshi.Plan)
    assert plan.targets == [] and plan.outcomes == []
    assert [t.unit for t in luoshi.extract("2024年城镇新增就业1.2万人以上。").targets] == ["人"]


def test_extract_takes_a_file_as_path_and_refuses_a_file_name_as_str(tmp_path: Path) -> None:
    """The documented rule: a Path is a file, a str is text, a str naming a file is a TypeError."""
    report = tmp_path / "report.txt"
    report.write_text("2024年城镇新增就业1.2万人以上。", encoding="utf-8")
    assert luoshi.extract(report).document.source == "report.txt"
    with pytest.raises(TypeError, match="Path"):
        luoshi.extract(str(report))
    with pytest.raises(TypeError, match="Path"):
        luoshi.extract("政府工作报告.docx")
    assert "Path(" in (luoshi.__doc__ or "") and "TypeError" in (luoshi.extract.__doc__ or "")


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    proc = subprocess.run(
        [ruff, "check", "src", "tests", "benchmarks", "tools", "setup.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format_clean() -> None:
    """Layout is ruff format's (the formatter's style is pinned with ruff's minor version)."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    proc = subprocess.run(
        [ruff, "format", "--check", "src", "tests", "benchmarks", "tools", "setup.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_clean() -> None:
    """The whole package under ``mypy --strict`` (files and options from pyproject's [tool.mypy])."""
    pytest.importorskip("mypy", reason="mypy is not installed")
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_config_covers_the_package() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert config["files"] == ["src/luoshi"]


def test_python_m_luoshi_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "luoshi", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "luoshi" in proc.stdout


def test_every_data_file_is_packaged() -> None:
    """Each non-Python file under src/luoshi is matched by a package-data glob, so an install
    from a wheel (``pip install .``, the compiled build) has it as an editable install does
    (corpus/data/codebook.tsv was missing: corpus mode failed outside an editable install)."""
    import glob
    import tomllib

    package = REPO / "src" / "luoshi"
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["luoshi"]
    packaged = {Path(p) for pattern in patterns for p in glob.glob(str(package / pattern), recursive=True)}
    files = {
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert files, "no data files found"
    assert not files - packaged, sorted(str(p.relative_to(package)) for p in files - packaged)
