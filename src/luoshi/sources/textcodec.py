"""Bytes of a plain-text report -> str, with the encoding detected rather than assumed.

Chinese reports arrive as UTF-8 (with or without BOM), GB18030/GBK/GB2312, Big5 or UTF-16.
Order: BOM, strict UTF-8, then charset-normalizer on a sample; the GB family is always
decoded as GB18030 (a strict superset), Big5 falls back to its supersets.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["BinaryDataError", "decode_bytes"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# What to try, in order, once a family is recognised: supersets first, so that a
# rare character outside GBK or Big5 proper still decodes.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "gb18030": ("gb18030",),
    "gbk": ("gb18030",),
    "gb2312": ("gb18030",),
    "cp936": ("gb18030",),
    "hz": ("hz",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
}
_SAMPLE_BYTES = 512 * 1024
# C0/C1 control characters other than tab, line ends, form feed and DOS end-of-file.
_CONTROL = re.compile("[\x01-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.01


class BinaryDataError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode report bytes; return ``(text, encoding)``. The BOM is not part of the text.

    Raises :class:`BinaryDataError` with a short reason for binary or undecodable data.
    """
    if not data:
        return "", "utf-8"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise BinaryDataError(f"starts with a {encoding} byte-order mark but is not valid {encoding}") from exc
            return _checked(text), encoding
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _checked(text), "utf-8"
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return _checked(text), encoding
    raise BinaryDataError("binary or undecodable data (not UTF-8, UTF-16, GB18030/GBK or Big5 text)")


def _candidates(data: bytes) -> list[str]:
    """Encodings to try, best first, detected on a sample so a 50 MB file stays cheap."""
    from charset_normalizer import from_bytes

    sample = data[:_SAMPLE_BYTES]
    if len(data) > _SAMPLE_BYTES:
        # Cut at a line end so the sample does not end inside a multi-byte character
        # (0x0A is never a trail byte in GB or Big5); UTF-16 needs an even length.
        cut = sample.rfind(b"\n")
        if cut > 0:
            sample = sample[: cut + 1]
        if b"\x00" in sample and len(sample) % 2:
            sample = sample[:-1]
    names = [m.encoding.replace("_", "-").lower() for m in from_bytes(sample)]
    if b"\x00" in sample and not any(n.startswith(("utf-16", "utf-32")) for n in names):
        raise BinaryDataError("binary data (contains NUL bytes and is not UTF-16 text)")
    chinese = [n for n in names if n.replace("-", "") in _FAMILIES]
    ordered: list[str] = []
    # A Chinese reading beats a Western/Japanese/Korean one when the detector offers both.
    for name in chinese + [n for n in names if n not in chinese]:
        for enc in _FAMILIES.get(name.replace("-", ""), (name,)):
            if enc not in ordered:
                ordered.append(enc)
    if not ordered and b"\x00" not in sample:
        # The detector gave up (e.g. a short text with one damaged byte): GB18030 is the
        # most likely encoding of a Chinese report that is not UTF-8.
        ordered.append("gb18030")
    return ordered


def _checked(text: str) -> str:
    """Reject text that decodes but is really binary (NULs, control characters)."""
    if "\x00" in text:
        raise BinaryDataError("binary data (contains NUL characters)")
    probe = text[:_SAMPLE_BYTES]
    controls = sum(1 for _ in _CONTROL.finditer(probe))
    if probe and controls / len(probe) > _MAX_CONTROL_RATIO:
        raise BinaryDataError("binary data (too many control characters for text)")
    return text
