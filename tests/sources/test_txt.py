"""Plain-text reports: the encoding is detected from the bytes, never assumed."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.builders import REPORT_TEXT, REPORT_TEXT_TRADITIONAL, write_txt

from luoshi.sources import SourceError, load


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8"),
        ("gbk", False, "gb18030"),
        ("gb18030", False, "gb18030"),
        ("gb2312", False, "gb18030"),
        ("utf-16", False, "utf-16"),  # Python's utf-16 writes a BOM
        ("utf-16-le", True, "utf-16-le"),
        ("utf-16-be", True, "utf-16-be"),
        ("utf-16-le", False, "utf-16-le"),  # no BOM: detected from the byte pattern
    ],
)
def test_chinese_encodings_are_detected(tmp_path: Path, encoding: str, bom: bool, expected: str) -> None:
    path = write_txt(tmp_path / "report.txt", REPORT_TEXT, encoding, bom=bom)
    src = load(path)
    assert src.text == REPORT_TEXT
    assert src.format == "txt"
    assert src.encoding is not None and src.encoding.startswith(expected)
    assert not src.text.startswith("\ufeff")  # the BOM is not part of the text


def test_big5_traditional(tmp_path: Path) -> None:
    src = load(write_txt(tmp_path / "tw.txt", REPORT_TEXT_TRADITIONAL, "big5"))
    assert src.text == REPORT_TEXT_TRADITIONAL
    assert src.encoding in {"big5", "cp950", "big5hkscs"}


def test_gb18030_only_characters(tmp_path: Path) -> None:
    # 㐀 (CJK Extension A) and the euro sign exist in GB18030 but not in GBK/GB2312.
    text = "城镇新增就业1.2万人，㐀字与€符号。\n" + REPORT_TEXT
    src = load(write_txt(tmp_path / "r.txt", text, "gb18030"))
    assert src.text == text
    assert src.encoding == "gb18030"


def test_short_gbk_line(tmp_path: Path) -> None:
    src = load(write_txt(tmp_path / "s.txt", "新建5G基站300座。", "gbk"))
    assert src.text == "新建5G基站300座。"


def test_full_width_and_traditional_left_alone(tmp_path: Path) -> None:
    # Sources never normalise: extraction spans index the text as decoded.
    text = "地區生產總值增長６．５％左右。"
    assert load(write_txt(tmp_path / "fw.txt", text, "utf-8")).text == text
    assert load(write_txt(tmp_path / "fw16.txt", text, "utf-16")).text == text


def test_large_gbk_file_is_decoded_whole(tmp_path: Path) -> None:
    # Detection looks at a sample; the whole file must still decode (and quickly).
    from dataclasses import replace

    from luoshi.sources.limits import DEFAULT_LIMITS

    text = REPORT_TEXT * 30000  # ~1.5 MB, above the default text cap: raised for this test
    src = load(
        write_txt(tmp_path / "big.txt", text, "gbk"), replace(DEFAULT_LIMITS, import_max_text_chars=10**7)
    )
    assert src.text == text


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_empty_file_is_empty_text(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert load(path).text == ""


def test_bom_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf")
    assert load(path).text == ""


def test_crlf_kept_as_decoded(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("一行\r\n两行\r\n".encode("gbk"))
    assert load(path).text == "一行\r\n两行\r\n"


def test_uppercase_extension(tmp_path: Path) -> None:
    assert load(write_txt(tmp_path / "R.TXT", REPORT_TEXT, "gbk")).text == REPORT_TEXT


def test_source_error_is_an_input_error(tmp_path: Path) -> None:
    from luoshi.errors import InputError, LuoshiError

    with pytest.raises(SourceError) as info:
        load(tmp_path / "missing.txt")
    assert isinstance(info.value, InputError) and isinstance(info.value, LuoshiError)
    assert str(info.value) == f"{tmp_path / 'missing.txt'}: 文件不存在"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_few_damaged_bytes_are_replaced_not_fatal(tmp_path: Path, encoding: str) -> None:
    text = REPORT_TEXT * 20
    data = text.encode(encoding)
    cut = len(REPORT_TEXT.encode(encoding)) * 10 + 7  # inside a Chinese character
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:cut] + b"\xff" + data[cut:])
    src = load(path)
    assert src.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    assert 1 <= src.text.count("\ufffd") <= 4  # Python replaces each invalid run
    assert src.text.replace("\ufffd", "").count("新建5G基站300座以上") >= 19
    assert len(src.warnings) == 1 and "undecodable byte sequence" in src.warnings[0]


def test_truncated_utf8_download(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(REPORT_TEXT.encode("utf-8")[:-2])  # cut inside the last "。"
    src = load(path)
    assert src.text.startswith(REPORT_TEXT[:-3]) and src.encoding == "utf-8" and src.warnings


def test_detection_on_real_sentences(demo_report_path: Path) -> None:
    """Every sentence of a real report, alone, in each encoding: short inputs are where
    statistical detectors confuse GBK with Big5, Korean or UTF-16."""
    import re

    import opencc

    from luoshi.sources import decode_text

    text = demo_report_path.read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"[。\n]", text) if len(s.strip()) >= 8]
    to_traditional = opencc.OpenCC("s2t").convert
    tried = wrong = 0
    for sentence in sentences:
        for encoding, variant in (
            ("gbk", sentence),
            ("big5", to_traditional(sentence)),
            ("utf-16-le", sentence),
        ):
            try:
                data = variant.encode(encoding)
            except UnicodeEncodeError:
                continue
            tried += 1
            wrong += decode_text(data).text != variant
    assert tried > 100
    assert wrong / tried <= 0.02, f"{wrong} of {tried} sentences misread"
