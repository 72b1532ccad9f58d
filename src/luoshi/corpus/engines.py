"""Where the documents are processed: in this process, a local process pool, or a Dask cluster.

Every engine runs the same :func:`luoshi.corpus.work.process_batch` on the same batches and
yields records as batches finish (in any order); the caller sorts, so output never depends on
the engine or on timing. The Dask engine is :class:`luoshi.corpus.dask_engine.DaskEngine`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from luoshi.corpus.work import process_batch

__all__ = ["ENGINES", "batches", "default_workers", "run_batches"]

ENGINES: tuple[str, ...] = ("local", "dask")
Task = tuple[str, str]


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def batches(tasks: Sequence[Task], sizes: Sequence[int], workers: int) -> list[list[Task]]:
    """Tasks cut into batches of about 200,000 characters (≥ 1 document, ≤ 64), at least 4 per worker.

    Batching keeps per-task overhead (pickling, scheduling) small for many short documents while
    leaving enough batches to balance the load.
    """
    total = sum(sizes)
    target = max(1, min(200_000, total // max(1, workers * 4)))
    out: list[list[Task]] = []
    current: list[Task] = []
    chars = 0
    for task, size in zip(tasks, sizes, strict=True):
        current.append(task)
        chars += size
        if chars >= target or len(current) >= 64:
            out.append(current)
            current, chars = [], 0
    if current:
        out.append(current)
    return out


def run_batches(work: list[list[Task]], *, workers: int, parts_dir: str) -> Iterator[list[dict[str, Any]]]:
    """The local engine: receipts of parts the workers already wrote to ``parts_dir``."""
    if workers <= 1:
        for batch in work:
            yield process_batch(batch, parts_dir)
    else:
        yield from _pool(work, workers, parts_dir)


def _pool(work: list[list[Task]], workers: int, parts_dir: str) -> Iterator[list[dict[str, Any]]]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: workers fork from a clean process that has imported the extraction code once,
    # not from this one (which may run a progress-bar thread).
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["luoshi.corpus.work", "luoshi.extraction", "luoshi.corpus.detect"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(process_batch, batch, parts_dir) for batch in work]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            for fut in futures:
                fut.cancel()
