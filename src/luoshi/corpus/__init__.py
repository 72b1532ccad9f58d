"""Corpus mode: thousands of reports to documents, items and a cited panel (on all cores or Dask).

    from luoshi.corpus import extract_corpus
    documents, items, panel = extract_corpus(["reports/"], workers=4)

pandas (and pyarrow for Parquet) are optional extras: ``pip install 'luoshi[corpus]'``;
``pip install 'luoshi[dask]'`` adds the Dask engine, which writes Parquet as partitioned datasets
(``OUT/items.parquet/part-00000.parquet``, ...; ``pandas.read_parquet`` reads the folder).
Command line: ``luoshi corpus``.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike, fspath
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["CorpusTables", "extract_corpus"]


class CorpusTables(NamedTuple):
    """The three tables (pandas DataFrames); unpacks as ``documents, items, panel``."""

    documents: Any
    items: Any
    panel: Any


def extract_corpus(
    paths: Sequence[str | PathLike[str]] | str | PathLike[str],
    *,
    output: str | PathLike[str] | None = None,
    fmt: str = "parquet",
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    glob: str | None = None,
    metadata: str | PathLike[str] | None = None,
) -> CorpusTables:
    """Extract a corpus of reports (files, folders searched recursively, or glob patterns).

    With ``output`` the tables (and ``errors.csv``) are also written there as ``luoshi corpus``
    writes them. Files that cannot be read are skipped (see ``errors.csv``).
    """
    from luoshi.corpus.run import CorpusConfig, run_corpus

    items = [paths] if isinstance(paths, str | PathLike) else list(paths)
    config = CorpusConfig(
        paths=[fspath(p) for p in items],
        output=Path(fspath(output)) if output is not None else None,
        fmt=fmt,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        resume=resume,
        glob=glob,
        metadata=Path(fspath(metadata)) if metadata is not None else None,
    )
    result = run_corpus(config)
    return CorpusTables(result.documents, result.items, result.panel)
