"""The three output tables as pandas DataFrames with fixed columns, dtypes and row order.

Fixed schemas make the files byte-identical from run to run and engine to engine, and keep an
empty table's columns. pandas is imported here only (an optional extra of luoshi).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from luoshi.corpus.work import ITEM_FIELDS, ITEM_ROW_COLUMNS

__all__ = [
    "DOCUMENT_COLUMNS",
    "ERROR_COLUMNS",
    "ITEM_KEYS",
    "PANEL_COLUMNS",
    "Columns",
    "frame",
    "has_arrow",
    "item_arrow",
    "arrow_frame",
    "item_columns",
    "items_table",
]

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


ITEM_KEYS: tuple[str, ...] = ("doc_id", "path", "jurisdiction", "plan_year")  # from the document


def item_columns() -> tuple[tuple[str, str], ...]:
    """Item-table columns: document keys, then work.ITEM_ROW_COLUMNS (every field of luoshi
    extract's Item, then the extras), each with its dtype."""
    annotations = dict(ITEM_FIELDS)
    cols: list[tuple[str, str]] = [("doc_id", S), ("path", S), ("jurisdiction", S), ("plan_year", INT)]
    assert tuple(name for name, _ in cols) == ITEM_KEYS
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


def has_arrow() -> bool:
    """Is pyarrow installed? (then workers send their items as Arrow tables)"""
    from importlib.util import find_spec

    return find_spec("pyarrow") is not None


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    # the storage pandas gives these dtypes (string: large_string), so frames come out identical
    by_dtype = {S: pa.large_string(), INT: pa.int64(), F: pa.float64(), B: pa.bool_()}
    return {name: by_dtype[dtype] for name, dtype in item_columns()}


def item_arrow(columns: dict[str, list[Any]]) -> Any:
    """Item columns (work.ITEM_ROW_COLUMNS, lists) as a pyarrow Table of the item table's types.

    Run by the workers on a whole batch, so the conversion from Python objects, the costly
    half of building the table, happens in parallel and not in the parent.
    """
    import pyarrow as pa

    types = _arrow_types()
    return pa.table({name: pa.array(columns[name], type=types[name]) for name in ITEM_ROW_COLUMNS})


def items_table(pieces: Sequence[Any], docs: Sequence[tuple[dict[str, Any], int]]) -> Any:
    """The item table as one pyarrow Table: ``pieces`` (item_arrow tables, in row order) under
    the document keys (ITEM_KEYS), each document's ``(keys, rows)`` in the same order."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    types = _arrow_types()
    body = pa.concat_tables(pieces) if pieces else item_arrow({n: [] for n in ITEM_ROW_COLUMNS})
    counts = np.array([n for _, n in docs], dtype=np.int64)
    index = pa.array(np.repeat(np.arange(len(docs), dtype=np.int64), counts))
    data = {
        name: pc.take(pa.array([d[name] for d, _ in docs], type=types[name]), index) for name in ITEM_KEYS
    }
    data.update({name: body.column(name) for name in ITEM_ROW_COLUMNS})
    return pa.table(data).combine_chunks()  # one chunk a column, as pandas builds them: same bytes


def arrow_frame(table: Any) -> Any:
    """An items_table as a DataFrame equal, dtypes included, to :meth:`Columns.frame` of its rows."""
    import pandas as pd
    import pyarrow as pa

    dtypes = {
        pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
    }  # fmt: skip
    return table.to_pandas(types_mapper=dtypes.get)
