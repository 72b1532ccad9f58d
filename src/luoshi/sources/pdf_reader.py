"""Text-based .pdf -> text with pypdf, visual line wrapping undone. Scanned pages (no text layer)
are refused, not OCR'd."""

from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["read_pdf"]


def read_pdf(path: Path) -> str:
    """Return the text of a pdf, pages separated by a line break; ValueError with a reason."""
    # pypdf logs every oddity it recovers from (even as errors); real failures raise, and the
    # caller reports them as one line. Quiet it while reading only: its logger is not ours.
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        return _read(path)
    finally:
        log.setLevel(level)


def _read(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # PdfReadError, struct/zlib/key errors of a damaged file
        raise ValueError("不是有效的 pdf 文件（已损坏或不完整）") from exc
    if locked:
        raise ValueError("pdf 文件有密码保护，请先去除密码")
    if not pages:
        raise ValueError("pdf 文件没有页面")
    if not any(page.strip() for page in pages):
        raise ValueError(f"pdf 的 {len(pages)} 页都没有文字层：扫描件须先做文字识别（OCR）")
    from luoshi.sources.reflow import reflow_page

    # Paragraphs continue across page breaks too, but a page boundary is kept as a line break:
    # running heads and footers make joining across pages more harmful than useful.
    return "\n".join(text for text in (reflow_page(page) for page in pages) if text)
