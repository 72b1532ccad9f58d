"""Property tests of the text decoders: arbitrary bytes never crash them, and text round-trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.sources import decode_bytes
from luoshi.sources.html_reader import decode_html, html_to_text
from luoshi.sources.textcodec import BinaryDataError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text a report may contain: no NUL or other C0/C1 controls (those mark binary data).
report_text = st.text(st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t\r"), max_size=300)


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
