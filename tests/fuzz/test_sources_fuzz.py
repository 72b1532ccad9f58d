"""Property tests of the text decoders: arbitrary bytes never crash them, and text round-trips."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.sources import SourceError, decode_bytes, load
from luoshi.sources.html_reader import decode_html, html_to_text
from luoshi.sources.textcodec import BinaryDataError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text a report may contain: no NUL or other C0/C1 controls (those mark binary data).
report_text = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t\r"), max_size=300
)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_or_refuse(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except BinaryDataError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and encoding
        assert "\x00" not in text


@FUZZ
@given(report_text)
def test_utf8_and_bom_round_trip(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))[0] == text
    assert decode_bytes(b"\xff\xfe" + text.encode("utf-16-le"))[0] == text
    assert decode_bytes(b"\xfe\xff" + text.encode("utf-16-be"))[0] == text


@FUZZ
@given(st.binary(max_size=2000))
def test_html_bytes_never_crash(data: bytes) -> None:
    try:
        markup, _ = decode_html(data)
    except BinaryDataError:
        return
    assert isinstance(html_to_text(markup), str)


@FUZZ
@given(st.text(st.sampled_from(list("<>/=\"' pdivbrtablescript!-&;#x城镇1万\n")), max_size=400))
def test_html_soup_never_crashes(markup: str) -> None:
    text = html_to_text(markup)
    assert "\n\n" not in text and text == text.strip(" \t")


@pytest.fixture(scope="session")
def real_documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from tests.fixtures.builders import make_docx, make_html, make_pdf

    folder = tmp_path_factory.mktemp("originals")
    return {
        ".pdf": make_pdf(folder / "r.pdf").read_bytes(),
        ".docx": make_docx(folder / "r.docx", table=[["指标", "目标"], ["就业", "1万人"]]).read_bytes(),
        ".html": make_html(
            folder / "r.html", "<p>城镇新增就业1.2万人。</p>", charset="gbk", encoding="gbk"
        ).read_bytes(),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_damaged_documents_fail_cleanly(
    real_documents: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Bytes of a real pdf/docx/html flipped at random: text, or a SourceError; nothing else."""
    suffix = data.draw(st.sampled_from(sorted(real_documents)))
    damaged = bytearray(real_documents[suffix])
    for _ in range(data.draw(st.integers(1, 30))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    path = tmp_path_factory.mktemp("damaged") / f"report{suffix}"
    path.write_bytes(bytes(damaged))
    try:
        text = load(path).text
    except SourceError as exc:
        assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc)
    else:
        assert isinstance(text, str)
