"""Unreadable files: one SourceError line naming the file and the reason, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.builders import (
    make_binary,
    make_corrupt_docx,
    make_corrupt_pdf,
    make_docx,
    make_pdf,
    make_scanned_pdf,
    make_truncated,
)

from luoshi.sources import SourceError, load


def _error(path: Path) -> str:
    with pytest.raises(SourceError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert info.value.path == str(path)
    return message


def test_binary_file_renamed_txt(tmp_path: Path) -> None:
    assert "二进制" in _error(make_binary(tmp_path / "image.txt"))


def test_random_bytes(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    _error(path)


def test_corrupt_docx(tmp_path: Path) -> None:
    assert "docx" in _error(make_corrupt_docx(tmp_path / "bad.docx"))


def test_truncated_docx(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx")
    assert "docx" in _error(make_truncated(tmp_path / "cut.docx", good))


def test_text_file_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("城镇新增就业1万人", encoding="utf-8")
    assert "docx" in _error(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    assert "pdf" in _error(make_corrupt_pdf(tmp_path / "bad.pdf"))


def test_truncated_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf")
    _error(make_truncated(tmp_path / "cut.pdf", good, keep=0.3))


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    message = _error(make_scanned_pdf(tmp_path / "scan.pdf"))
    assert "没有文字层" in message and "OCR" in message


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    message = _error(path)
    assert "不支持的文件类型 .doc" in message and ".docx" in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.pdf").endswith("文件不存在")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    assert _error(folder).endswith("是文件夹，不是文件")


@pytest.mark.skipif(__import__("os").geteuid() == 0, reason="root reads any file")
def test_unreadable_permissions(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("x")
    path.chmod(0)
    assert _error(path).endswith("没有读取权限")


def test_empty_docx_and_pdf_files_are_empty_reports(tmp_path: Path) -> None:
    for name in ("empty.docx", "empty.pdf", "empty.html"):
        (tmp_path / name).write_bytes(b"")
        assert load(tmp_path / name).text == ""
