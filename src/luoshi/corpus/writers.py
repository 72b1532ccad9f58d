"""Writing the tables: Parquet (pyarrow), CSV, JSON Lines or Stata .dta, byte-identical per input.

No timestamps (a .dta header's date is fixed), stable row order, fixed schemas; each file is
written to a temporary name and renamed, so a killed run never leaves half a table.

The Dask engine writes Parquet as a dataset instead (``items.parquet/part-00000.parquet``, ...):
:func:`partition_bounds` says where the parts are cut and :func:`write_parquet_part` is what a
Dask worker runs for each part, with the same pyarrow settings as the single file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = [
    "FORMATS",
    "PARTITION_KEYS",
    "PARTITION_ROWS",
    "part_name",
    "partition_bounds",
    "write_errors",
    "write_parquet_part",
    "write_table",
]

FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl", "dta")
_DTA_TIME = datetime(2000, 1, 1)  # a constant: the real time would make every .dta different
_STATA_RESERVED = frozenset(
    {"end", "in", "if", "long", "byte", "int", "float", "double", "str", "using", "with"}
)


# Rows per part of a partitioned Parquet table (the Dask engine), and the column whose runs a
# cut never splits: a document's items always sit in one part file.
PARTITION_ROWS = 50_000
PARTITION_KEYS: dict[str, str] = {"items": "doc_id"}


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    if path.is_dir():  # a partitioned table of an earlier Dask run in the same OUT
        shutil.rmtree(path)
    os.replace(tmp, path)


def _parquet_bytes(df: Any) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, engine="pyarrow", index=False, compression="zstd")
    return buf.getvalue()


def _plain(value: Any) -> Any:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def write_table(df: Any, out_dir: Path, name: str, fmt: str) -> Path:
    """Write ``df`` as ``out_dir/name.<fmt>``; returns the path."""
    path = out_dir / f"{name}.{fmt}"
    if fmt == "parquet":
        _atomic(path, _parquet_bytes(df))
    elif fmt == "csv":
        text = df.to_csv(index=False, lineterminator="\n")
        _atomic(path, b"\xef\xbb\xbf" + text.encode("utf-8"))  # BOM: Excel then reads UTF-8
    elif fmt == "jsonl":
        cols = list(df.columns)
        lines = (
            json.dumps({c: _plain(v) for c, v in zip(cols, row, strict=True)}, ensure_ascii=False)
            for row in df.itertuples(index=False, name=None)
        )
        _atomic(path, "".join(line + "\n" for line in lines).encode("utf-8"))
    elif fmt == "dta":
        _atomic(path, _dta_bytes(df))
    else:
        raise ValueError(f"unknown format {fmt}")
    return path


def partition_bounds(n_rows: int, rows: int, keys: Sequence[Any] | None = None) -> list[tuple[int, int]]:
    """Row ranges ``[start, end)`` of the parts: ``rows`` each, a cut moved on past a run of equal
    ``keys`` (so one document's items stay together); an empty table is one empty part.

    Depends only on the table, never on the cluster, so every run cuts the same parts.
    """
    if rows < 1:
        raise ValueError("rows per part must be at least 1")
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < n_rows:
        end = min(n_rows, start + rows)
        if keys is not None:
            while end < n_rows and keys[end] == keys[end - 1]:
                end += 1
        bounds.append((start, end))
        start = end
    return bounds or [(0, 0)]


def part_name(index: int) -> str:
    """``part-00000.parquet``, ...: zero-padded, so name order is row order (pyarrow reads by name)."""
    return f"part-{index:05d}.parquet"


def write_parquet_part(df: Any, path: str) -> str:
    """Write one part of a partitioned table (run on a Dask worker); returns ``path``."""
    _atomic(Path(path), _parquet_bytes(df))
    return path


def _dta_bytes(df: Any) -> bytes:
    """Stata 118 (Unicode): strings as str/strL, nullable numbers as doubles with Stata missing."""
    out = df.rename(columns={c: f"{c}_" for c in df.columns if c in _STATA_RESERVED})  # Stata: end -> end_
    strl = []
    for col in out.columns:
        dtype = str(out[col].dtype)
        if dtype == "string":
            out[col] = out[col].astype(object).where(out[col].notna(), "")
            if max((len(s.encode("utf-8")) for s in out[col]), default=0) > 2000:
                strl.append(col)
        elif dtype in ("Int64", "Float64", "boolean"):
            out[col] = out[col].astype("float64")
    buf = io.BytesIO()
    out.to_stata(buf, write_index=False, version=118, time_stamp=_DTA_TIME, convert_strl=strl)
    return buf.getvalue()


def write_errors(rows: Sequence[dict[str, Any]], out_dir: Path) -> Path:
    """``errors.csv``: one line per file that could not be read or extracted (header always)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["path", "sha256", "stage", "error"])
    for r in sorted(rows, key=lambda r: (r["path"], r.get("stage") or "")):
        writer.writerow([r["path"], r.get("sha256") or "", r.get("stage") or "", r["error"]])
    path = out_dir / "errors.csv"
    _atomic(path, b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return path
