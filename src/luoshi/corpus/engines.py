"""Where the documents are processed: in this process, a local process pool, or a Dask cluster.

Every engine runs the same :func:`luoshi.corpus.work.process_batch` on the same batches and
yields batch results as batches finish (in any order); the caller sorts, so output never depends
on the engine or on timing. An engine is a context manager: entering it starts the workers and
waits until each is ready (so start-up is timed apart from the documents), leaving stops them.
The Dask engine is :class:`luoshi.corpus.dask_engine.DaskEngine`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any

from luoshi.corpus.work import process_batch, warm, warm_cpu

__all__ = ["ENGINES", "LocalEngine", "batches", "default_workers"]

ENGINES: tuple[str, ...] = ("local", "dask")
Task = tuple[str, str]
# what the pool's workers import once, in the forkserver they are forked from
# (pyarrow: the workers build their batch's Arrow table; its first use imports pandas, 0.3 s)
_PRELOAD = ["luoshi.corpus.work", "luoshi.extraction", "luoshi.reading", "luoshi.corpus.detect",
            "luoshi.corpus.hedge", "luoshi.corpus.parts", "luoshi.corpus.tables", "pandas", "pyarrow"]  # fmt: skip


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def batches(
    tasks: Sequence[Task], sizes: Sequence[int], workers: int, largest: int = 400_000, most: int = 128
) -> list[list[Task]]:
    """Tasks cut, in order, into batches of at most about ``largest`` bytes (≥ 1 document, ≤ ``most``).

    Batching keeps per-task overhead (pickling, scheduling, the parent's handling of a result)
    small for many short documents. Batches shrink towards the end (each at most a
    ``2 * workers``-th of what is left, but no less than an eighth of ``largest``), so the
    workers finish together although the first batches are large; a small corpus still gets
    at least about 4 batches per worker.
    """
    total = remaining = sum(sizes)
    floor = max(1, min(largest // 8, total // max(1, workers * 4)))
    out: list[list[Task]] = []
    current: list[Task] = []
    chars = target = 0
    for task, size in zip(tasks, sizes, strict=True):
        if not current:
            target = max(floor, min(largest, remaining // max(1, 2 * workers)))
        current.append(task)
        chars += size
        if chars >= target or len(current) >= most:
            out.append(current)
            remaining -= chars
            current, chars = [], 0
    if current:
        out.append(current)
    return out


def _context() -> Any:
    """fork while this process has one thread (nothing can hold a lock in the child, and a fork
    costs milliseconds); else forkserver, whose clean process imports the extraction code once
    (a new interpreter: a few tenths of a second more start-up)."""
    import multiprocessing as mp
    import threading

    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


class LocalEngine:
    """This process (``workers`` <= 1) or a pool of ``workers`` processes on this machine.

    Workers write each document's parts into ``parts_dir`` themselves and send back only the
    compact records, so the parent never unpickles texts or plans.
    """

    def __init__(self, workers: int, parts_dir: str) -> None:
        self.workers = workers
        self.parts_dir = parts_dir
        self.pool: Any = None
        self.start_cpu: dict[int, float] = {}  # worker pid -> CPU seconds of its start-up

    def __enter__(self) -> LocalEngine:
        if self.workers <= 1:
            warm()
            return self
        from concurrent.futures import ProcessPoolExecutor

        context = _context()
        if context.get_start_method() == "fork":
            # warmed once here, the imports and caches are inherited by every forked worker:
            # one warm-up's CPU (0.4-0.7 s) instead of one per worker, and the tables' imports
            # (pandas) are done before the workers compete with them for the cores
            warm()
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        # one warm-up per worker (each submit starts a process until there are `workers`)
        for fut in [self.pool.submit(warm_cpu) for _ in range(self.workers)]:
            pid, cpu = fut.result()
            self.start_cpu[pid] = max(cpu, self.start_cpu.get(pid, 0.0))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def run_batches(self, work: list[list[Task]]) -> Iterator[dict[str, Any]]:
        if self.pool is None:
            for batch in work:
                yield process_batch(batch, self.parts_dir)
            return
        from concurrent.futures import as_completed

        futures = [self.pool.submit(process_batch, batch, self.parts_dir) for batch in work]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            for fut in futures:
                fut.cancel()
