"""Sources: a file on disk -> decoded text (txt in any Chinese encoding, docx, html, pdf)."""

from luoshi.sources.loader import SUPPORTED_SUFFIXES, SourceError, SourceText, load
from luoshi.sources.textcodec import Decoded, decode_bytes, decode_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Decoded",
    "SourceError",
    "SourceText",
    "decode_bytes",
    "decode_text",
    "load",
]
