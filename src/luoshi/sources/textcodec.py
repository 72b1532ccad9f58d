"""Bytes of a plain-text report -> str, with the encoding detected rather than assumed.

Chinese reports arrive as UTF-8 (with or without BOM), GB18030/GBK/GB2312, Big5 or UTF-16.
Order: BOM, strict UTF-8, then GB18030 vs Big5 by which reading is real Chinese, then
charset-normalizer on a sample (UTF-16 without BOM, non-Chinese text). The GB family is
always decoded as GB18030 (a strict superset); Big5 falls back to its supersets.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["BinaryDataError", "Decoded", "decode_bytes", "decode_text"]

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
_DAMAGE = re.compile("\ufffd+")
# Share of common Chinese characters above which a reading counts as Chinese text at all.
_MIN_PLAUSIBLE = 0.05


class BinaryDataError(ValueError):
    """The bytes are not text in any encoding we accept."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes replaced by U+FFFD (a damaged but readable file)
    first_bad: int | None = None  # byte offset of the first of them


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode report bytes; return ``(text, encoding)``. See :func:`decode_text`."""
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


def decode_text(data: bytes) -> Decoded:
    """Decode report bytes, the encoding detected; the BOM is not part of the text.

    A text with a handful of damaged bytes (a truncated download, one corrupt character) is
    still read, those bytes replaced by U+FFFD and counted in the result. Raises
    :class:`BinaryDataError` with a short reason for binary or undecodable data.
    """
    found = _strict(data)
    if found is not None:
        return Decoded(*found)
    # A Chinese or UTF-8 reading with a few damaged bytes is likelier than the exotic codec a
    # statistical detector would pick for it (cp949, shift_jis, ... that decode it as mojibake).
    damaged = _lenient(data)
    if damaged is not None:
        return damaged
    return Decoded(*_detected_reading(data))


def _strict(data: bytes) -> tuple[str, str] | None:
    """BOM, UTF-16, UTF-8, GB18030 or Big5 decoded without a single error; else None."""
    if not data:
        return "", "utf-8"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise BinaryDataError(f"以 {encoding} 字节序标记开头，但内容不是有效的 {encoding}") from exc
            return _checked(text), encoding
    sample = _sample(data)
    has_nul = b"\x00" in sample
    if has_nul:
        found = _utf16(data, _best_reading(sample, ("utf-16-le", "utf-16-be"), partial=False))
        if found is not None:
            return found
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _checked(text), "utf-8"
    if not has_nul:
        codecs_ = ("gb18030", "big5hkscs") + (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ())
        best = _best_reading(sample, codecs_, partial=len(sample) < len(data))
        if best == "gb18030":
            return _decode_family(data, "gb18030")
        if best == "big5hkscs":
            return _decode_family(data, "big5")
        if (found := _utf16(data, best)) is not None:
            return found
    return None


def _detected_reading(data: bytes) -> tuple[str, str]:
    """Last resort: what charset-normalizer proposes (non-Chinese text, mostly)."""
    for encoding in _detected(_sample(data)):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return _checked(text), encoding
    raise BinaryDataError("二进制或无法识别的数据（不是 UTF-8、UTF-16、GB18030/GBK 或 Big5 编码的文字）")


def _lenient(data: bytes) -> Decoded | None:
    """The most plausible reading with at most a few replaced bytes, or None."""
    if b"\x00" in data[:_SAMPLE_BYTES]:
        return None  # binary, or UTF-16 already judged
    from luoshi.sources.hanzi import COMMON_HANZI

    best: tuple[float, Decoded] | None = None
    for encoding in ("utf-8", "gb18030", "big5hkscs"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        # One damaged spot yields a short run of U+FFFD; real text in another encoding, many spots.
        if not text or not bad or sum(1 for _ in _DAMAGE.finditer(text)) > max(2, len(text) // 1000):
            continue
        try:
            _checked(text)
        except BinaryDataError:
            continue
        try:
            data.decode(encoding)
            first_bad = None
        except UnicodeDecodeError as exc:
            first_bad = exc.start
        probe = text[:_SAMPLE_BYTES]
        score = sum(1 for ch in probe if ch in COMMON_HANZI or " " <= ch <= "~") / len(probe)
        if best is None or score > best[0]:
            best = (score, Decoded(text, encoding, bad, first_bad))
    return None if best is None else best[1]


def _sample(data: bytes) -> bytes:
    """The head of the data, cut at a line end so it does not split a multi-byte character
    (0x0A is never a trail byte in GB or Big5); a 50 MB file is judged by its head."""
    if len(data) <= _SAMPLE_BYTES:
        return data
    sample = data[:_SAMPLE_BYTES]
    cut = sample.rfind(b"\n")
    if cut > 0:
        sample = sample[: cut + 1]
    if b"\x00" in sample and len(sample) % 2:
        sample = sample[:-1]  # UTF-16 needs whole code units
    return sample


def _best_reading(sample: bytes, candidates: tuple[str, ...], *, partial: bool) -> str | None:
    """The codec whose reading of the sample looks most like real Chinese (or ASCII) text.

    Short texts fool statistical detectors (a GBK line is often valid, garbled Big5), so the
    readings are compared directly: real text is dense in common characters, mojibake is not.
    Earlier candidates win ties (GB18030 first: it is the national standard).
    """
    from luoshi.sources.hanzi import COMMON_HANZI

    best: tuple[float, str] | None = None
    for codec in candidates:
        text = _try_decode(sample, codec, partial=partial or codec.startswith("utf-16"))
        if not text:
            continue
        common = sum(1 for ch in text if ch in COMMON_HANZI)
        if codec.startswith("utf-16"):
            # ASCII in UTF-16 means NUL bytes: no GB/Big5 reading competes there.
            common += sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\r\n")
        controls = sum(1 for _ in _CONTROL.finditer(text))
        score = (common - 3 * controls) / len(text)
        if score > _MIN_PLAUSIBLE and (best is None or score > best[0]):
            best = (score, codec)
    return None if best is None else best[1]


def _utf16(data: bytes, codec: str | None) -> tuple[str, str] | None:
    """Decode UTF-16 without a byte-order mark, if that is the plausible reading."""
    if codec is None or not codec.startswith("utf-16") or len(data) % 2:
        return None
    try:
        return _checked(data.decode(codec)), codec
    except (UnicodeDecodeError, BinaryDataError):
        return None


def _try_decode(sample: bytes, codec: str, *, partial: bool) -> str | None:
    # A partial sample may still end inside a character when it has no line break.
    if codec.startswith("utf-16"):
        sample = sample[: len(sample) // 2 * 2]
    for trim in range(0, 4 if partial else 1, 2 if codec.startswith("utf-16") else 1):
        try:
            return sample[: len(sample) - trim].decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _decode_family(data: bytes, family: str) -> tuple[str, str]:
    error: UnicodeDecodeError | None = None
    for encoding in _FAMILIES[family]:
        try:
            return _checked(data.decode(encoding)), encoding
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    raise BinaryDataError(f"看似 {family.upper()} 文字，但第 {error.start} 个字节不是有效的 {family.upper()}")


def _detected(sample: bytes) -> list[str]:
    """Encodings charset-normalizer proposes, best first (UTF-16 without BOM, Western, ...)."""
    from charset_normalizer import from_bytes

    names = [m.encoding.replace("_", "-").lower() for m in from_bytes(sample)]
    if b"\x00" in sample and not any(n.startswith(("utf-16", "utf-32")) for n in names):
        raise BinaryDataError("二进制数据（含 NUL 字节，且不是 UTF-16 文字）")
    ordered: list[str] = []
    for name in names:
        for enc in _FAMILIES.get(name.replace("-", ""), (name,)):
            if enc not in ordered:
                ordered.append(enc)
    return ordered


def _checked(text: str) -> str:
    """Reject text that decodes but is really binary (NULs, control characters)."""
    if "\x00" in text:
        raise BinaryDataError("二进制数据（含 NUL 字符）")
    probe = text[:_SAMPLE_BYTES]
    controls = sum(1 for _ in _CONTROL.finditer(probe))
    if probe and controls / len(probe) > _MAX_CONTROL_RATIO:
        raise BinaryDataError("二进制数据（控制字符过多，不像文字）")
    return text
