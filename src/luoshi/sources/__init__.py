"""Sources: a file on disk -> decoded text (txt in any Chinese encoding, docx, html, pdf)."""

from luoshi.sources.loader import SourceError, SourceText, load

__all__ = ["SourceError", "SourceText", "load"]
