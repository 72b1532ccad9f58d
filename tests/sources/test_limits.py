"""Bounded inputs: real files (python-docx, openpyxl, zipfile) over each cap get a clear Chinese
error naming the file, and nothing is stored. Memory is checked with tracemalloc, not timers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.fixtures.builders import make_docx, write_txt

from luoshi.errors import InputError
from luoshi.settings import Settings, from_env
from luoshi.sources import SourceError, load
from luoshi.sources.limits import DEFAULT_LIMITS, InputLimits, check_zip
from luoshi.store import open_store
from luoshi.store.models import Report, Target


def _rewrite_zip(
    src: Path,
    dst: Path,
    member: str,
    extra_bytes: int = 0,
    chunk: bytes = b" ",
    edit: tuple[str, str] | None = None,
) -> Path:
    """Copy a package, changing one member: a text edit and/or ``extra_bytes`` of padding after it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != member:
                zout.writestr(info, data)
                continue
            if edit is not None:
                text = data.decode("utf-8")
                assert re.search(edit[0], text), edit[0]
                data = re.sub(edit[0], edit[1], text, count=1).encode("utf-8")
            with zout.open(member, "w", force_zip64=True) as out:
                out.write(data)
                block = chunk * (1 << 20)
                left = extra_bytes
                while left > 0:
                    out.write(block[:left])
                    left -= len(block)
    return dst


def test_settings_registry_has_the_caps() -> None:
    limits = InputLimits.from_settings(from_env({"LUOSHI_XLSX_MAX_ROWS": "123", "LUOSHI_ZIP_MAX_RATIO": "7"}))
    assert limits.xlsx_max_rows == 123 and limits.zip_max_ratio == 7
    assert DEFAULT_LIMITS == InputLimits.from_settings(Settings())
    assert DEFAULT_LIMITS.import_max_text_chars >= 500_000 and DEFAULT_LIMITS.report_max_items >= 1000


def test_zip_bomb_docx_is_refused_before_unpacking(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    assert "5G基站" in load(good).text
    # 40 MB of whitespace after the document element: valid XML, a ~40 KB file (ratio ~1000:1)
    bomb = _rewrite_zip(good, tmp_path / "bomb.docx", "word/document.xml", extra_bytes=40 << 20)
    assert bomb.stat().st_size < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as exc:
            load(bomb)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(exc.value)
    assert "bomb.docx" in message and "压缩比" in message and "LUOSHI_ZIP_MAX_RATIO" in message
    assert peak < 20 << 20, f"{peak / 2**20:.0f} MB allocated to refuse a zip bomb"


def test_docx_over_the_unpacked_size_cap(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    big = _rewrite_zip(good, tmp_path / "big.docx", "word/document.xml", extra_bytes=3 << 20)
    limits = replace(DEFAULT_LIMITS, zip_max_uncompressed_bytes=2 << 20, zip_max_ratio=10**6)
    with pytest.raises(SourceError, match=r"big\.docx.*解压后过大"):
        load(big, limits)
    check_zip(good, limits)  # the real document is far below


def test_text_and_file_size_caps(tmp_path: Path) -> None:
    long = write_txt(tmp_path / "long.txt", "新建5G基站300座以上。" * 90_000)  # 1.17 M characters
    with pytest.raises(SourceError) as exc:
        load(long)
    assert "long.txt" in str(exc.value) and "报告文字过长" in str(exc.value)
    with pytest.raises(SourceError, match=r"long\.txt.*文件过大.*LUOSHI_IMPORT_MAX_FILE_BYTES"):
        load(long, replace(DEFAULT_LIMITS, import_max_file_bytes=1 << 20))


def _luoshi(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("LUOSHI_")} | env
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_import_refuses_too_long_texts_and_too_many_items(tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    long = write_txt(tmp_path / "long.txt", "新建5G基站300座以上。" * 90_000)
    r = _luoshi(
        "import",
        str(long),
        "--jurisdiction",
        "张店区",
        "--year",
        "2024",
        "--db",
        str(db),
        env={},
        cwd=tmp_path,
    )
    assert r.returncode != 0 and "long.txt" in r.stderr and "报告文字过长" in r.stderr
    assert "Traceback" not in r.stderr
    # a text that extracts to more items than the cap (set through the settings registry)
    many = write_txt(tmp_path / "many.txt", "".join(f"新建{k}号5G基站{100 + k}座以上。" for k in range(40)))
    r = _luoshi(
        "import",
        str(many),
        "--jurisdiction",
        "张店区",
        "--year",
        "2024",
        "--db",
        str(db),
        env={"LUOSHI_REPORT_MAX_ITEMS": "10"},
        cwd=tmp_path,
    )
    assert r.returncode != 0 and "many.txt" in r.stderr and "超过每份报告上限 10 项" in r.stderr, r.stderr
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    try:
        with store.session() as s:
            assert (
                s.scalar(select(func.count(Report.id))) == 0 and s.scalar(select(func.count(Target.id))) == 0
            )
    finally:
        store.dispose()
    r = _luoshi(
        "import",
        str(many),
        "--jurisdiction",
        "张店区",
        "--year",
        "2024",
        "--db",
        str(db),
        env={},
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr  # under the default cap it imports


def test_import_plan_item_cap_names_the_source(tmp_path: Path) -> None:
    from luoshi.extraction import extract_text
    from luoshi.tracking.importer import import_plan

    plan = extract_text("".join(f"新建{k}号5G基站{100 + k}座以上。" for k in range(12)), source="x.txt")
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'p.db'}"))
    try:
        with pytest.raises(InputError, match=r"^x\.txt: 提取出 \d+ 项"), store.session() as s:
            import_plan(s, plan, "张店区", 2024, limits=replace(DEFAULT_LIMITS, report_max_items=5))
    finally:
        store.dispose()
