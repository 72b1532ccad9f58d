"""Several files with bad ones among them: one error line per bad file, the rest written, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.fixtures.builders import (
    REPORT_TEXT,
    make_binary,
    make_corrupt_docx,
    make_corrupt_pdf,
    make_docx,
    make_scanned_pdf,
    write_txt,
)


def _luoshi(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("picture.txt", make_binary, "二进制"),
        ("broken.docx", make_corrupt_docx, "docx"),
        ("broken.pdf", make_corrupt_pdf, "pdf"),
        ("scanned.pdf", make_scanned_pdf, "没有文字层"),
    ],
)
def test_bad_file_alone_exits_2_naming_it(tmp_path: Path, name: str, make: Any, reason: str) -> None:
    bad = make(tmp_path / name)
    proc = _luoshi("extract", bad)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"luoshi: error: {bad}: ")
    assert reason in lines[0]
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_batch_with_bad_files_to_dir(tmp_path: Path, demo_report_path: Path) -> None:
    good1 = write_txt(tmp_path / "good1.txt", demo_report_path.read_text(encoding="utf-8"), "gbk")
    bad = make_corrupt_pdf(tmp_path / "bad.pdf")
    good2 = make_docx(tmp_path / "good2.docx")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out"
    proc = _luoshi("extract", good1, bad, missing, good2, "--output", out)
    assert proc.returncode == 2
    errors = proc.stderr.strip().splitlines()
    assert [e.split(": ")[2] for e in errors] == [str(bad), str(missing)]
    assert all(e.startswith("luoshi: error: ") for e in errors)
    assert sorted(p.name for p in out.iterdir()) == ["good1.json", "good2.json"]
    assert json.loads((out / "good1.json").read_text(encoding="utf-8"))["targets"]


def test_batch_with_bad_file_to_stdout(tmp_path: Path) -> None:
    good = write_txt(tmp_path / "good.txt", REPORT_TEXT)
    bad = make_binary(tmp_path / "bad.txt")
    proc = _luoshi("extract", good, bad)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"luoshi: error: {bad}: ")
    assert [p["document"]["source"] for p in json.loads(proc.stdout)] == ["good.txt"]
    assert "extracting" not in proc.stderr  # no progress bar when not on a terminal


def test_empty_file_is_an_empty_plan(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = _luoshi("extract", tmp_path / "empty.txt")
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["targets"] == [] and plan["outcomes"] == []


def test_folder_without_reports_is_an_error(run: Any, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x")
    result = run("extract", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"luoshi: error: {tmp_path}: no report files" in result.stderr


def test_engine_failure_is_reported_and_batch_continues(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import luoshi.extraction as extraction

    real = extraction.extract_text

    def flaky(text: str, source: str | None = None) -> Any:
        if source == "boom.txt":
            raise RuntimeError("engine bug")
        return real(text, source=source)

    monkeypatch.setattr(extraction, "extract_text", flaky)
    a = write_txt(tmp_path / "boom.txt", REPORT_TEXT)
    b = write_txt(tmp_path / "fine.txt", REPORT_TEXT)
    result = run("extract", a, b, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert f"luoshi: error: {a}: extraction failed (RuntimeError: engine bug)" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["fine.json"]


def test_unwritable_output_reported(run: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("extract", write_txt(tmp_path / "r.txt", REPORT_TEXT), "-o", f"{blocker}/sub/")
    assert result.exit_code == 2
    assert "cannot create output folder" in result.stderr


def test_never_overwrites_an_input(run: Any, tmp_path: Path) -> None:
    src = write_txt(tmp_path / "r.txt", REPORT_TEXT, "gbk")
    before = src.read_bytes()
    result = run("extract", src, "-f", "table", "-o", tmp_path)  # would write r.txt into the same folder
    assert result.exit_code == 2
    assert "refusing to overwrite the input" in result.stderr
    result = run("extract", src, "-o", src)
    assert result.exit_code == 2
    assert src.read_bytes() == before


def test_stdin_as_input(tmp_path: Path, demo_report_path: Path) -> None:
    data = demo_report_path.read_text(encoding="utf-8").encode("gb18030")
    proc = subprocess.run(
        [sys.executable, "-m", "luoshi", "extract", "-"], input=data, capture_output=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout.decode("utf-8"))
    assert plan["targets"] and plan["document"]["source"] is None
    bad = subprocess.run(
        [sys.executable, "-m", "luoshi", "extract", "-"], input=b"\x00\x01\x02" * 50, capture_output=True
    )
    assert bad.returncode == 2 and bad.stderr.decode().startswith("luoshi: error: <stdin>: 二进制")


def test_damaged_txt_warns_and_succeeds(run: Any, tmp_path: Path) -> None:
    data = (REPORT_TEXT * 10).encode("gbk")
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:101] + b"\xff" + data[101:])
    result = run("extract", path)
    assert result.exit_code == 0
    assert result.stderr.startswith(f"luoshi: warning: {path}: ")
    assert "undecodable byte sequence(s) replaced by U+FFFD" in result.stderr
    assert json.loads(result.stdout)["targets"]


def test_the_size_caps_are_settings_for_extract_too(tmp_path: Path) -> None:
    """The refusal names LUOSHI_IMPORT_MAX_TEXT_CHARS; setting it lets the same file through."""
    report = tmp_path / "long.txt"
    report.write_text("2024年新建5G基站300座以上。" * 200, encoding="utf-8")
    env = {**os.environ, "LUOSHI_IMPORT_MAX_TEXT_CHARS": "1000"}
    run = subprocess.run(
        [sys.executable, "-m", "luoshi", "extract", str(report)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 2 and "LUOSHI_IMPORT_MAX_TEXT_CHARS" in run.stderr, run.stderr
    env["LUOSHI_IMPORT_MAX_TEXT_CHARS"] = "100000"
    run = subprocess.run(
        [sys.executable, "-m", "luoshi", "extract", str(report)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0 and '"targets"' in run.stdout, run.stderr
