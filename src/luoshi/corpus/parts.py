"""Per-document results kept under ``OUT/.luoshi-corpus/``, keyed by sha256: what --resume reuses.

Two files per document: ``<sha256>.plan.z`` (text and plan, read again only by the panel's
review) and ``<sha256>.json.z`` (the compact record the tables are built from), written in that
order, each atomically (temporary file, then rename): the record is the mark of a finished
document, so a run killed at any moment leaves only whole documents behind and a resumed run
extracts the rest, once each. A part made by another luoshi, codebook or part-format version is
stale and is redone.
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from pathlib import Path
from typing import Any

__all__ = ["PARTS_FORMAT", "PartStore", "write_part"]

WORK_DIR = ".luoshi-corpus"
PARTS_FORMAT = "2"  # bump when the parts' layout changes: older parts are then redone


class PartStore:
    def __init__(self, out: Path, stamp: str) -> None:
        # one folder per luoshi and codebook version: a part from other versions is never reused
        self.root = out / WORK_DIR
        self.dir = self.root / stamp
        self.stamp = stamp

    def reset(self) -> None:
        """Forget every part (a run without --resume starts from nothing)."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)

    def open(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob("*.tmp"):  # left by a killed run
            stale.unlink(missing_ok=True)

    def has(self, sha256: str) -> bool:
        return (self.dir / f"{sha256}.json.z").is_file()

    def get(self, sha256: str) -> dict[str, Any]:
        """The compact record (document facts and item columns)."""
        return _read(self.dir / f"{sha256}.json.z")

    def get_plan(self, sha256: str) -> dict[str, Any]:
        """The plan part: ``{"text": ..., "plan": ...}``."""
        return _read(self.dir / f"{sha256}.plan.z")

    def put(self, record: dict[str, Any], plan: dict[str, Any] | None) -> None:
        write_part(self.dir, record, plan)


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(zlib.decompress(path.read_bytes()))
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 1))
    os.replace(tmp, path)


def write_part(folder: Path, record: dict[str, Any], plan: dict[str, Any] | None) -> None:
    """Write one document's parts into ``folder`` (workers of a local engine call this).

    The plan first, the record last: a record on disk means the document is whole.
    """
    sha = record["sha256"]
    if plan is not None:
        _write(folder / f"{sha}.plan.z", plan)
    _write(folder / f"{sha}.json.z", record)
