"""THE cell writer of every export (CSV and xlsx): text a spreadsheet would run is neutralised.

A cell of imported text such as ``=HYPERLINK("http://evil","点此")`` or ``@SUM(...)`` runs as a
formula when a CSV is opened in Excel/WPS, and openpyxl stores a string starting with ``=`` as
a formula. Such text (leading ``= + - @``, tab or carriage return) gets a leading apostrophe,
the OWASP recommendation, in CSV and xlsx alike. Numbers, dates and ``None`` pass unchanged.
No import of openpyxl at module level: the CSV path stays light.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FORMULA_LEADS", "csv_cell", "is_formula_like", "safe_text", "unguard", "xlsx_cell"]

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# characters XML 1.0 forbids (openpyxl refuses them); same set as openpyxl's ILLEGAL_CHARACTERS_RE
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_LEADS)


def safe_text(text: str) -> str:
    """``text`` with a leading apostrophe when it looks like a formula."""
    return "'" + text if is_formula_like(text) else text


def unguard(text: str) -> str:
    """Undo :func:`safe_text` on a value read back from one of our own exports."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def csv_cell(value: Any) -> Any:
    """A value for ``csv.writer``: strings neutralised, ``None`` as empty, the rest unchanged."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return value


def xlsx_cell(value: Any) -> Any:
    """A value for an openpyxl cell: strings neutralised and stripped of XML-illegal characters."""
    if isinstance(value, str):
        return safe_text(_ILLEGAL_XML.sub("", value))
    return value
