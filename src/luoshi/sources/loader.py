"""One entry point, :func:`load`: a path -> :class:`SourceText`, whatever the file type.

Readers import their library (python-docx, pypdf, beautifulsoup4) only when called, so
reading a .txt starts fast. Every failure becomes one :class:`SourceError` line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from luoshi.sources.errors import SourceError
from luoshi.sources.limits import DEFAULT_LIMITS, InputLimits, check_zip, human_bytes
from luoshi.sources.textcodec import BinaryDataError, decode_text

__all__ = ["SUPPORTED_SUFFIXES", "SourceError", "SourceText", "load"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".docx", ".html", ".htm", ".pdf")


@dataclass(frozen=True, slots=True)
class SourceText:
    """Decoded text of one file; extraction spans are offsets into ``text``."""

    path: str
    text: str
    format: str  # "txt", "docx", "html" or "pdf"
    encoding: str | None = None  # of txt/html files; None for docx/pdf
    warnings: tuple[str, ...] = ()  # read, but not perfectly (e.g. damaged bytes replaced)

    @property
    def name(self) -> str:
        return Path(self.path).name


def load(path: str | Path, limits: InputLimits | None = None) -> SourceText:
    """Read a report file as text. Raises :class:`SourceError` naming the file and the reason.

    ``limits`` (default: the settings' defaults) caps the file size, a docx package's unpacked
    size and compression ratio (checked before unpacking) and the length of the text."""
    limits = limits or DEFAULT_LIMITS
    p = Path(path)
    if p.is_dir():
        raise SourceError(p, "是文件夹，不是文件")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise SourceError(p, f"不支持的文件类型 {shown}（支持 {'、'.join(SUPPORTED_SUFFIXES)}）")
    _check_size(p, limits)
    data = _read_bytes(p)
    if not data or data.isspace():
        # An empty file is a valid, empty report whatever its extension says.
        return SourceText(path=str(p), text="", format=_format_of(suffix), encoding=None)
    try:
        source = _read(p, suffix, data, limits)
    except (BinaryDataError, ValueError) as exc:
        raise SourceError(p, str(exc)) from exc
    except RecursionError as exc:  # absurdly nested markup
        raise SourceError(p, "文档嵌套层次过深，无法读取") from exc
    if len(source.text) > limits.import_max_text_chars:
        raise SourceError(
            p,
            f"报告文字过长（{len(source.text):,} 字，上限 {limits.import_max_text_chars:,} 字；"
            f"设置 LUOSHI_IMPORT_MAX_TEXT_CHARS）",
        )
    return source


def _check_size(p: Path, limits: InputLimits) -> None:
    try:
        size = p.stat().st_size
    except OSError:
        return  # _read_bytes names the problem
    if size > limits.import_max_file_bytes:
        raise SourceError(
            p,
            f"文件过大（{human_bytes(size)}，上限 {human_bytes(limits.import_max_file_bytes)}；"
            f"设置 LUOSHI_IMPORT_MAX_FILE_BYTES）",
        )


def _read(p: Path, suffix: str, data: bytes, limits: InputLimits) -> SourceText:
    """One reader per type; a ValueError from any of them becomes one SourceError line."""
    if suffix in (".txt", ".text"):
        decoded = decode_text(data)
        warnings: tuple[str, ...] = ()
        if decoded.replaced:
            warnings = (
                f"{decoded.replaced} undecodable byte sequence(s) replaced by U+FFFD "
                f"(first at byte {decoded.first_bad}; read as {decoded.encoding})",
            )
        return SourceText(str(p), decoded.text, "txt", decoded.encoding, warnings)
    if suffix in (".html", ".htm"):
        from luoshi.sources.html_reader import decode_html, html_to_text

        markup, encoding = decode_html(data)
        return SourceText(path=str(p), text=html_to_text(markup), format="html", encoding=encoding)
    if suffix == ".docx":
        import zipfile

        from luoshi.sources.docx_reader import read_docx

        try:
            check_zip(p, limits)  # before python-docx unpacks anything
        except zipfile.BadZipFile:
            pass  # read_docx names it
        return SourceText(path=str(p), text=read_docx(p), format="docx")
    from luoshi.sources.pdf_reader import read_pdf

    return SourceText(path=str(p), text=read_pdf(p), format="pdf")


def _format_of(suffix: str) -> str:
    return {".text": "txt", ".htm": "html"}.get(suffix, suffix.lstrip("."))


def _read_bytes(p: Path) -> bytes:
    try:
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(p, "文件不存在") from exc
    except IsADirectoryError as exc:
        raise SourceError(p, "是文件夹，不是文件") from exc
    except PermissionError as exc:
        raise SourceError(p, "没有读取权限") from exc
    except OSError as exc:
        raise SourceError(p, f"无法读取：{exc.strerror or exc}") from exc
