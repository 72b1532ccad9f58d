"""`luoshi.extract(text_or_path)`: text (str), file (Path), bytes; typed results; DataFrame.

A str is always report text: a str naming a file is refused (TypeError), never read or guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.builders import make_docx, make_pdf, write_txt

import luoshi


def test_text_path_and_bytes_agree(tmp_path: Path, demo_report_path: Path) -> None:
    text = demo_report_path.read_text(encoding="utf-8")
    path = write_txt(tmp_path / "zd.txt", text, "gbk")
    from_text = luoshi.extract(text)
    from_path = luoshi.extract(path)
    from_bytes = luoshi.extract(text.encode("gb18030"))
    assert from_text.targets, "the demo report has targets"
    for plan in (from_path, from_bytes):
        assert plan.targets == from_text.targets and plan.outcomes == from_text.outcomes
        assert plan.text == text
    assert from_path.document.source == "zd.txt"
    assert from_text.document.source is None
    assert luoshi.extract(text, source="named.txt").document.source == "named.txt"


def test_documents_through_the_api(tmp_path: Path) -> None:
    docx = luoshi.extract(make_docx(tmp_path / "r.docx"))
    pdf = luoshi.extract(make_pdf(tmp_path / "r.pdf"))
    assert docx.document.source == "r.docx" and pdf.document.source == "r.pdf"
    for plan in (docx, pdf):
        for item in plan.items():
            assert isinstance(item, luoshi.Item)
            assert plan.text[item.span[0] : item.span[1]]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(luoshi.SourceError, match="文件不存在"):
        luoshi.extract(tmp_path / "missing.docx")
    with pytest.raises(luoshi.SourceError):
        luoshi.extract(tmp_path / "missing.txt")


def test_a_str_naming_a_file_is_refused_not_guessed(tmp_path: Path) -> None:
    """A str is report text; one that can only mean a file asks for Path(...) instead of being
    read (a guess) or extracted as a one-line report (an empty plan)."""
    existing = write_txt(tmp_path / "notes", "新建5G基站300座", "utf-8")  # no suffix, but it exists
    for meant_as_file in (str(tmp_path / "missing.docx"), "报告.PDF", f"  {existing}  ", str(tmp_path)):
        with pytest.raises(TypeError, match=r"Path\("):
            luoshi.extract(meant_as_file)
    # the same line is still extractable as text when that is what is meant
    from luoshi.reading import read_plan

    assert read_plan(text="报告.pdf")[1].targets == []


def test_text_that_is_not_a_path() -> None:
    for text in ("城镇新增就业1.2万人。", "增长6.5%", "新建5G基站300座\n充电桩3000个", "x" * 10000):
        assert isinstance(luoshi.extract(text), luoshi.Plan)


def test_binary_bytes_raise_source_error() -> None:
    with pytest.raises(luoshi.SourceError, match="二进制"):
        luoshi.extract(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_wrong_type() -> None:
    with pytest.raises(TypeError):
        luoshi.extract(42)  # type: ignore[arg-type]


def test_source_error_is_a_luoshi_error() -> None:
    assert issubclass(luoshi.SourceError, luoshi.InputError)
    assert issubclass(luoshi.SourceError, luoshi.LuoshiError)


def test_to_dataframe(demo_report_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    plan = luoshi.extract(demo_report_path)
    df = plan.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(plan.targets) + len(plan.outcomes)
    assert {"role", "value", "unit", "start", "end"} <= set(df.columns)


def test_folder_path_is_an_error_not_empty_text(tmp_path: Path) -> None:
    with pytest.raises(luoshi.SourceError, match="是文件夹"):
        luoshi.extract(tmp_path)
