"""luoshi (落实): turn a Chinese government work report into a live, accountable plan.

Public API::

    import luoshi
    plan = luoshi.extract("report.docx")     # or a str of report text
    plan.targets[0].value, plan.targets[0].span
    df = plan.to_dataframe()                 # needs pandas
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from luoshi.extraction.model import DocumentInfo, Item, Plan, Project, ProjectCount, Section
from luoshi.sources import SourceError

__version__ = "0.1.0"

__all__ = [
    "DocumentInfo",
    "Item",
    "Plan",
    "Project",
    "ProjectCount",
    "Section",
    "SourceError",
    "__version__",
    "extract",
]


def extract(text_or_path: str | PathLike[str]) -> Plan:
    """Extract a plan from report text, or from a file path (txt/docx/html/pdf).

    A ``str`` is treated as a path only when it names an existing file and is short
    and single-line; anything else is report text.
    """
    from luoshi.extraction import extract_text
    from luoshi.sources import load

    if isinstance(text_or_path, PathLike) or _looks_like_path(text_or_path):
        src = load(Path(text_or_path))
        return extract_text(src.text, source=Path(src.path).name)
    return extract_text(str(text_or_path))


def _looks_like_path(s: str) -> bool:
    if len(s) > 4096 or "\n" in s:
        return False
    try:
        return Path(s).is_file()
    except (OSError, ValueError):
        return False
