"""Writing the tables: Parquet (pyarrow), CSV, JSON Lines or Stata .dta, byte-identical per input.

No timestamps (a .dta header's date is fixed), stable row order, fixed schemas; each file is
written to a temporary name and renamed, so a killed run never leaves half a table.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["FORMATS", "write_errors", "write_table"]

FORMATS: tuple[str, ...] = ("parquet", "csv", "jsonl", "dta")
_DTA_TIME = datetime(2000, 1, 1)  # a constant: the real time would make every .dta different
_STATA_RESERVED = frozenset(
    {"end", "in", "if", "long", "byte", "int", "float", "double", "str", "using", "with"}
)


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


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
        buf = io.BytesIO()
        df.to_parquet(buf, engine="pyarrow", index=False, compression="zstd")
        _atomic(path, buf.getvalue())
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
