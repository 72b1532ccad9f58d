"""luoshi (落实): turn a Chinese government work report into a live, accountable plan.

Public API::

    import luoshi
    plan = luoshi.extract("report.docx")     # a path (str or Path), report text, or bytes
    plan.targets[0].value, plan.targets[0].span
    df = plan.to_dataframe()                 # needs pandas
"""

from __future__ import annotations

from os import PathLike, fspath
from pathlib import Path

from luoshi.errors import InputError, LuoshiError
from luoshi.extraction.model import DocumentInfo, Item, Plan, Project, ProjectCount, Section
from luoshi.sources import SUPPORTED_SUFFIXES, SourceError, SourceText, load

__version__ = "0.1.0"

__all__ = [
    "DocumentInfo",
    "InputError",
    "Item",
    "LuoshiError",
    "Plan",
    "Project",
    "ProjectCount",
    "Section",
    "SourceError",
    "SourceText",
    "__version__",
    "extract",
    "load",
]

_MAX_PATH_CHARS = 4096


def extract(text_or_path: str | bytes | PathLike[str], *, source: str | None = None) -> Plan:
    """Extract a plan from report text, from a file path (txt/docx/html/pdf), or from raw bytes.

    - a :class:`~os.PathLike` is always a file;
    - a ``str`` is a file when it is one short line naming an existing file or folder, or
      ending in a supported extension such as ``.docx`` (a missing file or a folder is then an
      error rather than an empty plan); anything else is report text;
    - ``bytes`` are decoded like a .txt file (encoding detected).

    Spans in the result index the text as decoded (``plan.text``). ``source`` overrides
    the document's source name. Raises :class:`SourceError` for an unreadable file.
    """
    from luoshi.reading import read_plan

    if isinstance(text_or_path, bytes | bytearray | memoryview):
        from luoshi.sources import decode_bytes
        from luoshi.sources.textcodec import BinaryDataError

        try:
            text, _encoding = decode_bytes(bytes(text_or_path))
        except BinaryDataError as exc:
            raise SourceError(source or "<bytes>", str(exc)) from exc
        return read_plan(text=text, name=source)[1]
    if isinstance(text_or_path, PathLike):
        return _extract_file(Path(fspath(text_or_path)), source)
    if not isinstance(text_or_path, str):
        raise TypeError(f"extract() takes report text, a path or bytes, not {type(text_or_path).__name__}")
    if _looks_like_path(text_or_path):
        return _extract_file(Path(text_or_path.strip()), source)
    return read_plan(text=text_or_path, name=source)[1]


def _extract_file(path: Path, source: str | None) -> Plan:
    from luoshi.reading import read_plan

    return read_plan(path=path, name=source)[1]


def _looks_like_path(s: str) -> bool:
    candidate = s.strip()
    if not candidate or len(candidate) > _MAX_PATH_CHARS or "\n" in candidate or "\x00" in candidate:
        return False
    try:
        p = Path(candidate)
        return p.is_file() or p.is_dir() or p.suffix.lower() in SUPPORTED_SUFFIXES
    except (OSError, ValueError):
        return False
