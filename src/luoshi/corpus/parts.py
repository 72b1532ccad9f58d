"""Per-document results kept under ``OUT/.luoshi-corpus/``, keyed by sha256: what --resume reuses.

Each part is written atomically (temporary file, then rename), so a run killed at any moment
leaves only whole parts behind: a resumed run reads those and extracts the rest, once each.
A part made by another luoshi or codebook version is stale and is redone.
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from pathlib import Path
from typing import Any

__all__ = ["PartStore", "write_part"]

WORK_DIR = ".luoshi-corpus"


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

    def _path(self, sha256: str) -> Path:
        return self.dir / f"{sha256}.json.z"

    def has(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def get(self, sha256: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(zlib.decompress(self._path(sha256).read_bytes()))
        return data

    def put(self, record: dict[str, Any]) -> None:
        write_part(self.dir, record)


def write_part(folder: Path, record: dict[str, Any]) -> None:
    """Write one record atomically as ``folder/<sha256>.json.z`` (workers of a local engine call this)."""
    final = folder / f"{record['sha256']}.json.z"
    tmp = final.with_name(f"{final.name}.{os.getpid()}.tmp")
    payload = json.dumps(record, ensure_ascii=False).encode("utf-8")
    tmp.write_bytes(zlib.compress(payload, 1))
    os.replace(tmp, final)
