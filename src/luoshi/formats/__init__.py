"""Writers: a :class:`~luoshi.extraction.model.Plan` -> json, a terminal table, csv or xlsx.

Only json and csv are imported eagerly; rich tables and openpyxl load when asked for.
"""

from luoshi.formats.csv_fmt import write_csv
from luoshi.formats.json_fmt import dumps_json, iter_json
from luoshi.formats.rows import COLUMNS, item_rows

FORMATS: tuple[str, ...] = ("json", "table", "csv", "xlsx")
SUFFIXES: dict[str, str] = {"json": ".json", "table": ".txt", "csv": ".csv", "xlsx": ".xlsx"}

__all__ = ["COLUMNS", "FORMATS", "SUFFIXES", "dumps_json", "item_rows", "iter_json", "write_csv"]
