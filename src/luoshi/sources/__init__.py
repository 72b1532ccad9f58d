"""Sources: a file on disk -> decoded text (txt in any Chinese encoding, docx, html, pdf)."""

from luoshi.sources.loader import SUPPORTED_SUFFIXES, SourceError, SourceText, load
from luoshi.sources.textcodec import decode_bytes

__all__ = ["SUPPORTED_SUFFIXES", "SourceError", "SourceText", "decode_bytes", "load"]
