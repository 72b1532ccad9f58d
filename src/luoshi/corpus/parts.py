"""Per-document results kept under ``OUT/.luoshi-corpus/``, keyed by sha256: what --resume reuses.

One file per batch of documents (``<hash of its sha256s>.parts``), written by the worker that
ran the batch, atomically (temporary file, then rename): a part file on disk means every
document in it is whole, so a run killed at any moment leaves only whole documents behind and a
resumed run extracts the rest, once each. A file per batch, not per document: creating a file
costs 0.4-0.9 ms here (more than a third of a short document's extraction) and file creations
do not run in parallel, so two files per document were the pool's largest serial part.

A part file is a JSON header line then compressed JSON blobs, two per document: its compact
record (document facts, item columns: what the tables are built from) and its plan part (text,
sections, which items are targets: read again only by the panel's review, with the record), so
the panel reads one document without the others. The header names the
codec: zstd (level 1, pyarrow's) where pyarrow is installed, else zlib (level 1): zstd's files
are 3-5 % larger and it compresses at 2.5 times zlib's speed (zlib was a twentieth of a
worker's time). A part made by another luoshi, codebook or part-format version is stale and is redone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from luoshi.errors import InputError

__all__ = ["PARTS_FORMAT", "PartStore", "write_batch"]

WORK_DIR = ".luoshi-corpus"
PARTS_FORMAT = "6"  # bump when the parts' layout changes: older parts are then redone
SUFFIX = ".parts"


class PartStore:
    def __init__(self, out: Path, stamp: str) -> None:
        # one folder per luoshi and codebook version: a part from other versions is never reused
        self.root = out / WORK_DIR
        self.dir = self.root / stamp
        self.stamp = stamp
        self._where: dict[str, str] = {}  # sha256 -> part file name
        # sha256 -> its record's and its plan part's blob (offset, length, size uncompressed)
        self._records: dict[str, tuple[int, int, int]] = {}
        self._plans: dict[str, tuple[int, int, int]] = {}
        self._codecs: dict[str, str] = {}  # part file name -> its codec

    def reset(self) -> None:
        """Forget every part (a run without --resume starts from nothing)."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._where.clear()
        self._records.clear()
        self._plans.clear()
        self._codecs.clear()

    def open(self) -> None:
        """Index the part files already there (--resume)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob("*.tmp"):  # left by a killed run
            stale.unlink(missing_ok=True)
        for path in sorted(self.dir.glob(f"*{SUFFIX}")):
            self.add(path.name, readable_only=True)

    def add(self, name: str, readable_only: bool = False) -> None:
        """Index the part file ``name`` (just written by a worker); with ``readable_only``, a
        file in a codec this process cannot read (zstd without pyarrow) is left out (its
        documents are then done again) instead of failing when it is read."""
        with open(self.dir / name, "rb") as f:
            header = json.loads(f.readline())
        codec = header["codec"]
        if codec not in _codecs():
            if readable_only:
                return
            raise InputError(
                f"{self.dir / name}: 部分结果以 {codec} 压缩，本机无法解压（pip install pyarrow）"
            )
        self._codecs[name] = codec
        for sha in header["docs"]:
            self._where[sha] = name
        for sha, blob in header["records"].items():
            self._records[sha] = (blob[0], blob[1], blob[2])
        for sha, blob in header["plans"].items():
            self._plans[sha] = (blob[0], blob[1], blob[2])

    def has(self, sha256: str) -> bool:
        return sha256 in self._where

    def documents(self) -> dict[str, str]:
        """Every finished document's sha256 and the name of its part file."""
        return dict(self._where)

    def get(self, sha256: str) -> dict[str, Any]:
        """The compact record (document facts and item columns)."""
        record: dict[str, Any] = self._blob(sha256, self._records[sha256])
        return record

    def get_plan(self, sha256: str) -> dict[str, Any]:
        """The plan part (text, document, sections, targets, outcomes: see
        :func:`luoshi.corpus.work.plan_from_parts`; KeyError for a document in error)."""
        plan: dict[str, Any] = self._blob(sha256, self._plans[sha256])
        return plan

    def _blob(self, sha256: str, where: tuple[int, int, int]) -> Any:
        offset, length, size = where
        name = self._where[sha256]
        with open(self.dir / name, "rb") as f:
            f.readline()
            f.seek(offset, os.SEEK_CUR)
            return json.loads(_decompress(self._codecs[name], f.read(length), size))

    def put_batch(self, records: Sequence[dict[str, Any]], plans: dict[str, dict[str, Any]]) -> None:
        """Write a batch's parts here (for workers that do not see this folder)."""
        self.add(write_batch(self.dir, records, plans))


@cache
def _codecs() -> dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes, int], bytes]]]:
    """The codecs this process can use, name -> (compress, decompress(data, size)); the first is
    the one written."""
    codecs: dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes, int], bytes]]] = {}
    from luoshi.corpus.tables import has_arrow

    if has_arrow():
        import pyarrow as pa

        if pa.Codec.is_available("zstd"):
            zstd = pa.Codec("zstd", compression_level=1)
            codecs["zstd"] = (
                lambda data: zstd.compress(data, asbytes=True),
                lambda data, size: zstd.decompress(data, decompressed_size=size, asbytes=True),
            )
    codecs["zlib"] = (lambda data: zlib.compress(data, 1), lambda data, _size: zlib.decompress(data))
    return codecs


def _decompress(codec: str, data: bytes, size: int) -> bytes:
    return _codecs()[codec][1](data, size)


def write_batch(folder: Path, records: Sequence[dict[str, Any]], plans: dict[str, dict[str, Any]]) -> str:
    """Write one batch's part file into ``folder`` (workers call this); returns its name.

    ``records`` are the documents' compact records, ``plans`` their plan parts by sha256 (none
    for a document in error). The name depends only on the documents, so a batch run twice
    (a Dask retry) replaces its own file.
    """
    shas = [r["sha256"] for r in records]
    codec, (compress, _) = next(iter(_codecs().items()))
    blobs: list[bytes] = []
    offset = 0

    def blob(data: Any) -> list[int]:
        nonlocal offset
        raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
        blobs.append(compress(raw))
        offset += len(blobs[-1])
        return [offset - len(blobs[-1]), len(blobs[-1]), len(raw)]

    # a blob per record, not one for the batch: the panel reads a few documents' records out of
    # order, and decoding a whole batch's records for each was quadratic in a large corpus
    where = {r["sha256"]: blob(r) for r in records}
    index = {sha: blob(plans[sha]) for sha in shas if sha in plans}
    header = {"docs": shas, "codec": codec, "records": where, "plans": index}
    name = hashlib.sha256("\n".join(shas).encode("ascii")).hexdigest()[:32] + SUFFIX
    tmp = folder / f"{name}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(json.dumps(header).encode("ascii") + b"\n")
        f.writelines(blobs)
    os.replace(tmp, folder / name)
    return name
