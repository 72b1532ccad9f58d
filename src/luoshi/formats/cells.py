"""THE cell writer of every export (CSV and xlsx): text a spreadsheet would run is neutralised.

A cell of imported text such as ``=HYPERLINK("http://evil","点此")`` or ``@SUM(...)`` runs as a
formula when a CSV is opened in Excel/WPS, and openpyxl stores a string starting with ``=`` as
a formula. Such text (leading ``= + - @``, tab or carriage return) gets a leading apostrophe,
the OWASP recommendation, in CSV and xlsx alike. Numbers, dates and ``None`` pass unchanged.
No import of openpyxl at module level: the CSV path stays light.

A cell that is exactly a comparator symbol (``=`` of the 比较符 column) passes as it is: a lead
with nothing after it is no formula, so nothing can run. LibreOffice Calc 7.4, importing a CSV with
formulas evaluated (its default), reads ``=`` as the text ``=`` (and ``=1+1`` as 2), and shows a
guarded ``'=`` as ``'=``; openpyxl writes ``=`` as a text cell, never a formula (``len > 1``).
"""

from __future__ import annotations

import re
from typing import Any, get_args

from luoshi.extraction.model import Comparator

__all__ = ["FORMULA_LEADS", "csv_cell", "is_formula_like", "safe_text", "unguard", "xlsx_cell"]

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
# whole cells that start with a lead and are still inert: the comparator symbols, nothing after them
_SYMBOLS = frozenset(get_args(Comparator))
# characters XML 1.0 forbids (openpyxl refuses them); same set as openpyxl's ILLEGAL_CHARACTERS_RE
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (a lead, then something to run)."""
    return text.startswith(FORMULA_LEADS) and text not in _SYMBOLS


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
