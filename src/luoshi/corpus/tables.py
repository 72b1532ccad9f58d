"""The three output tables as pandas DataFrames with fixed columns, dtypes and row order.

Fixed schemas make the files byte-identical from run to run and engine to engine, and keep an
empty table's columns. pandas is imported here only (an optional extra of luoshi).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from luoshi.corpus.work import ITEM_FIELDS, ITEM_ROW_COLUMNS

__all__ = ["DOCUMENT_COLUMNS", "ERROR_COLUMNS", "PANEL_COLUMNS", "Columns", "frame", "item_columns"]

S, INT, F, B = "string", "Int64", "Float64", "boolean"

DOCUMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", S), ("path", S), ("file_name", S), ("format", S), ("encoding", S), ("chars", INT),
    ("title", S), ("jurisdiction", S), ("jurisdiction_evidence", S), ("level", S), ("level_evidence", S),
    ("report_year", INT), ("report_year_evidence", S), ("plan_year", INT), ("plan_year_evidence", S),
    ("genre", S), ("genre_evidence", S), ("targets", INT), ("outcomes", INT), ("duplicates", S), ("warnings", S),
)  # fmt: skip

PANEL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("jurisdiction", S), ("level", S), ("plan_year", INT), ("indicator", S), ("indicator_name", S),
    ("codebook_version", S), ("raw_indicator", S), ("doc_id", S), ("path", S), ("genre", S),
    ("target_surface", S), ("target_value", F), ("target_value_max", F), ("unit", S), ("comparator", S),
    ("direction", S), ("hedge", S), ("hedge_word", S), ("target_start", INT), ("target_end", INT),
    ("target_sentence", S), ("outcome_doc_id", S), ("outcome_path", S), ("outcome_indicator", S),
    ("outcome_surface", S), ("outcome_value", F), ("outcome_unit", S), ("outcome_start", INT), ("outcome_end", INT),
    ("match_score", F), ("gap", F), ("verdict", S), ("ratio", F),
)  # fmt: skip

ERROR_COLUMNS: tuple[str, ...] = ("path", "sha256", "stage", "error")


def _dtype(annotation: str) -> str:
    if "tuple" in annotation:
        return INT
    if "float" in annotation:
        return F
    if "bool" in annotation:
        return B
    if "int" in annotation:
        return INT
    return S


# item-table columns that are not Item fields of the same name (all others: strings)
_ITEM_EXTRA: dict[str, str] = {
    "item_index": INT, "start": INT, "end": INT, "sentence_start": INT, "sentence_end": INT,
    "basis_start": INT, "basis_end": INT,
}  # fmt: skip


def item_columns() -> tuple[tuple[str, str], ...]:
    """Item-table columns: document keys, then work.ITEM_ROW_COLUMNS (every field of luoshi
    extract's Item, then the extras), each with its dtype."""
    annotations = dict(ITEM_FIELDS)
    cols: list[tuple[str, str]] = [("doc_id", S), ("path", S), ("jurisdiction", S), ("plan_year", INT)]
    for name in ITEM_ROW_COLUMNS:
        dtype = _dtype(annotations[name]) if name in annotations else _ITEM_EXTRA.get(name, S)
        cols.append((name, dtype))
    return tuple(cols)


def frame(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> Any:
    import pandas as pd

    data = {name: pd.array([r.get(name) for r in rows], dtype=dtype) for name, dtype in columns}
    return pd.DataFrame(data, columns=[name for name, _ in columns])


class Columns:
    """Rows gathered column by column (one list per column), then one DataFrame."""

    def __init__(self, columns: Sequence[tuple[str, str]]) -> None:
        self.columns = tuple(columns)
        self.data: dict[str, list[Any]] = {name: [] for name, _ in self.columns}

    def append(self, row: dict[str, Any]) -> None:
        for name, values in self.data.items():
            values.append(row.get(name))

    def extend(self, columns: dict[str, list[Any]], n: int, constants: dict[str, Any]) -> None:
        """``n`` rows at once: lists from ``columns``, one value repeated from ``constants``."""
        for name, values in self.data.items():
            if name in constants:
                values.extend([constants[name]] * n)
            else:
                values.extend(columns[name])

    def frame(self) -> Any:
        import pandas as pd

        arrays = {name: pd.array(self.data[name], dtype=dtype) for name, dtype in self.columns}
        return pd.DataFrame(arrays, columns=[name for name, _ in self.columns])
