"""A metadata CSV that overrides detection: ``--metadata FILE.csv``.

Columns: one key — ``path`` (as given on the command line), ``file_name`` or ``sha256`` — and any
of ``jurisdiction``, ``level``, ``report_year``, ``plan_year``, ``genre``. A non-empty cell replaces
the detected value; its evidence then names the file and line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from luoshi.corpus.detect import GENRES, LEVELS, level_of
from luoshi.errors import InputError

__all__ = ["FIELDS", "KEYS", "Overrides", "read_metadata"]

KEYS: tuple[str, ...] = ("path", "file_name", "sha256")
FIELDS: tuple[str, ...] = ("jurisdiction", "level", "report_year", "plan_year", "genre")


@dataclass(frozen=True, slots=True)
class Overrides:
    source: str
    rows: dict[tuple[str, str], tuple[int, dict[str, Any]]]  # (key column, key) -> (line, values)

    def apply(self, doc: dict[str, Any]) -> None:
        """Replace detected facts of one document row in place."""
        for key in KEYS:
            hit = self.rows.get((key, str(doc.get(key if key != "sha256" else "doc_id") or "")))
            if hit:
                line, values = hit
                for name, value in values.items():
                    doc[name] = value
                    doc[f"{name}_evidence"] = f"元数据文件 {self.source} 第{line}行"
                if "jurisdiction" in values and "level" not in values:
                    doc["level"], reason = level_of(values["jurisdiction"])
                    doc["level_evidence"] = reason
                return


def _year(value: str, where: str) -> int:
    try:
        year = int(value)
    except ValueError:
        raise InputError(f"{where}: 年份“{value}”不是整数") from None
    if not 1949 <= year <= 2100:
        raise InputError(f"{where}: 年份“{value}”不在1949—2100之间")
    return year


def read_metadata(path: Path) -> Overrides:
    """Parse the CSV (UTF-8, with or without BOM); raises InputError naming the file and line."""
    try:
        text = path.read_text("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: 无法读取元数据文件（{exc.strerror or exc}）") from exc
    except UnicodeDecodeError:
        raise InputError(f"{path}: 元数据文件须为 UTF-8 编码的 CSV") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    keys = [k for k in KEYS if k in header]
    if not keys:
        raise InputError(f"{path}: 元数据文件须有 path、file_name 或 sha256 列之一")
    unknown = [h for h in header if h not in KEYS and h not in FIELDS]
    if unknown:
        raise InputError(f"{path}: 未知的列 {', '.join(unknown)}（可用：{', '.join(KEYS + FIELDS)}）")
    rows: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{path} 第{line}行"
        values: dict[str, Any] = {}
        for name in FIELDS:
            cell = row.get(name, "")
            if not cell:
                continue
            if name in ("report_year", "plan_year"):
                values[name] = _year(cell, where)
            elif name == "level" and cell not in LEVELS:
                raise InputError(f"{where}: 级别“{cell}”无效（可用：{', '.join(LEVELS)}）")
            elif name == "genre" and cell not in GENRES:
                raise InputError(f"{where}: 文体“{cell}”无效（可用：{', '.join(GENRES)}）")
            else:
                values[name] = cell
        key = next((k for k in keys if row.get(k)), None)
        if key is None:
            raise InputError(f"{where}: 缺少 {'/'.join(keys)} 值")
        rows[(key, row[key])] = (line, values)
    return Overrides(str(path), rows)
