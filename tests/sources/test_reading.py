"""luoshi.reading: the one "load a report and extract it", with path= or text= said explicitly."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.reading import read_plan, read_text
from luoshi.sources import SourceError
from luoshi.sources.limits import DEFAULT_LIMITS

TEXT = "2024年主要预期目标：城镇新增就业1.2万人以上；新建5G基站300座以上。"


def test_a_file_is_read_and_extracted_with_spans_into_its_decoded_text(tmp_path: Path) -> None:
    f = tmp_path / "张店区-2024.txt"
    f.write_bytes(TEXT.encode("gb18030"))
    read, plan = read_plan(path=f)
    assert read.text == TEXT == plan.text and read.name == "张店区-2024.txt"
    assert read.source is not None and read.source.encoding and read.source.format == "txt"
    shown = [plan.text[slice(*t.span)] for t in plan.targets]  # spans index the decoded text
    assert any(x.startswith("1.2") for x in shown) and any(x.startswith("300") for x in shown), shown
    assert plan.document.source == "张店区-2024.txt"
    assert read_plan(path=str(f), name="其他.txt")[1].document.source == "其他.txt"


def test_a_docx_file(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph(TEXT)
    doc.save(tmp_path / "r.docx")
    read, plan = read_plan(path=tmp_path / "r.docx")
    assert read.source is not None and read.source.format == "docx" and TEXT in read.text
    assert any(plan.text[slice(*t.span)].startswith("300") for t in plan.targets)


def test_text_is_never_taken_for_a_path_nor_a_path_for_text(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(TEXT, encoding="utf-8")
    read = read_text(text=str(f))  # a string naming an existing file is still text when said so
    assert read.text == str(f) and read.name is None and read.source is None and read.warnings == ()
    _read, plan = read_plan(text=TEXT, name="粘贴的文字")
    assert plan.document.source == "粘贴的文字" and len(plan.targets) >= 2
    with pytest.raises(SourceError, match="文件不存在"):
        read_text(path=tmp_path / "missing.txt")
    with pytest.raises(SourceError, match="不支持的文件类型"):
        read_text(path=tmp_path / "notes.md")


def test_exactly_one_of_path_and_text(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="exactly one"):
        read_text()
    with pytest.raises(TypeError, match="exactly one"):
        read_plan(path=tmp_path / "a.txt", text=TEXT)


def test_limits_apply_to_text_as_to_files(tmp_path: Path) -> None:
    from dataclasses import replace

    small = replace(DEFAULT_LIMITS, import_max_text_chars=10)
    with pytest.raises(SourceError, match="报告文字过长"):
        read_text(text=TEXT, limits=small)
    f = tmp_path / "long.txt"
    f.write_text(TEXT, encoding="utf-8")
    with pytest.raises(SourceError, match="long.txt.*报告文字过长"):
        read_text(path=f, limits=small)
    assert read_text(text=TEXT).text == TEXT  # no limits given: text is not capped


def test_damaged_bytes_are_read_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "damaged.txt"
    f.write_bytes(TEXT.encode("utf-8") * 20 + b"\xff\xfe\xfa" + TEXT.encode("utf-8"))
    read = read_text(path=f)
    assert TEXT in read.text
    assert read.warnings == (read.source.warnings if read.source else ())
