"""The Dask engine: batches run on a distributed cluster; Parquet tables written as partitioned datasets.

Workers that see this machine's parts folder (a LocalCluster, a shared file system) write each
batch's parts (``--resume``) themselves and send back only the compact records, as the local
pool does; a cluster whose workers do not see it sends the texts and plans back too, and they are
written here. The tables are assembled here either way, exactly as the local engine does.
Parquet output is then cut into parts (:func:`luoshi.corpus.writers.partition_bounds`) written
into ``OUT/<table>.parquet/``: on a cluster given by ``--scheduler`` each part by a worker, so
``OUT`` must be a path the workers see too (a shared file system, as the report files already
are), which is checked before any work starts (a wrong setup fails in seconds rather than after
the extraction); on the LocalCluster luoshi starts, by this process (its workers share this disk).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from luoshi.corpus.work import process_batch, warm_cpu
from luoshi.errors import InputError

__all__ = ["DaskEngine"]

Task = tuple[str, str]

# The cluster luoshi starts for itself: the workers' statistical profiler off (it samples every
# task's stack: 5-13 % of their CPU here), and its periodic checks less often (event-loop tick
# every 20 ms, system monitor 500 ms, the nannies' memory check 100 ms: 65-75 ms of CPU a second
# with nothing to do, 12-20 ms so).
_OWN_CLUSTER: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "500ms",
}


def _sees(path: str, token: str, warm_writers: bool = False) -> bool:
    """Run on each worker: does it read the probe file the client wrote under OUT? If so and
    ``warm_writers``, it imports the Parquet writer too (one round trip for both)."""
    try:
        seen = Path(path).read_text("utf-8") == token
    except OSError:
        return False
    if seen and warm_writers:
        _warm_writers()
    return seen


def _process_cpu() -> float:
    import time

    return time.process_time()


def _warm_writers() -> None:
    """Run on each worker before the run: the Parquet writer's imports (pandas, pyarrow)."""
    import importlib

    for name in ("pandas", "pyarrow.parquet", "luoshi.corpus.writers"):
        importlib.import_module(name)


class DaskEngine:
    """A Dask client (on ``scheduler``, or on a LocalCluster of ``workers`` processes it starts)."""

    # Batches as engines.batches cuts them for the cluster (bytes, documents): larger than the
    # local pool's, as a task costs more here (5-6 ms of CPU in the client and its scheduler and
    # as much in the worker, against 1-2 ms in a pool): ~0.5 s of work a task at first, shrinking
    # towards the end so the workers still finish together
    BATCH_BYTES = 1_600_000
    BATCH_DOCS = 512

    def __init__(self, scheduler: str | None, workers: int) -> None:
        self.scheduler = scheduler
        self.workers = workers
        self.slots = workers  # tasks the cluster runs at once (its workers' threads), once connected
        self.client: Any = None
        self.cluster: Any = None
        self.checked: Path | None = None  # an OUT every worker sees (check_output)
        self.start_cpu: dict[str, float] = {}  # worker address -> CPU seconds of its start-up

    def __enter__(self) -> DaskEngine:
        try:
            import distributed
        except ImportError as exc:
            raise InputError("--engine dask 需要 dask[distributed]：pip install 'luoshi[dask]'") from exc
        dd: Any = distributed  # untyped library
        if self.scheduler:
            try:
                self.client = dd.Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError(f"无法连接 Dask 调度器 {self.scheduler}（{exc}）") from exc
        else:
            import dask

            with dask.config.set(_OWN_CLUSTER):
                self.cluster = dd.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=50,
                )
            self.client = dd.Client(self.cluster)
        # imports and caches on every worker: start-up, not the first batch
        before = {} if self.cluster is not None else self.client.run(_process_cpu)
        after: dict[str, tuple[int, float]] = self.client.run(warm_cpu)
        # a worker of our LocalCluster started now: all its CPU so far is this run's start-up
        self.start_cpu = {addr: cpu - before.get(addr, 0.0) for addr, (_pid, cpu) in after.items()}
        self.slots = max(1, sum(self.client.nthreads().values()))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def run_batches(self, work: list[list[Task]], parts_dir: str | None) -> Iterator[dict[str, Any]]:
        """Each batch's result, as batches finish (in any order: the caller sorts); with
        ``parts_dir`` (every worker sees it: :meth:`sees`) the workers write the parts there."""
        import distributed

        dd: Any = distributed  # untyped library
        futures = self.client.map(process_batch, work, parts_dir=parts_dir, pure=False)
        try:
            for fut in dd.as_completed(futures):
                yield fut.result()
        finally:
            self.client.cancel(futures)

    def _blind(self, folder: Path, warm_writers: bool = False) -> list[str]:
        """Addresses of the workers that do not see ``folder`` as this process does."""
        probe = folder / f".luoshi-dask-probe-{os.getpid()}"
        token = secrets.token_hex(8)
        probe.write_text(token, encoding="utf-8")
        try:
            seen: dict[str, bool] = self.client.run(_sees, str(probe.resolve()), token, warm_writers)
        finally:
            probe.unlink(missing_ok=True)
        return sorted(addr for addr, ok in seen.items() if not ok)

    def sees(self, folder: Path) -> bool:
        """Does every worker see ``folder`` (and so can write the parts into it)?"""
        if self.cluster is not None:  # our LocalCluster: this machine's disk
            return True
        if self.checked is not None and folder.resolve().is_relative_to(self.checked):
            return True  # inside OUT, which every worker was seen to see: no second probe
        return not self._blind(folder)

    def check_output(self, out: Path) -> None:
        """Every worker must see ``out`` (it writes the Parquet parts there): a clear error if not.

        Nothing to check on the LocalCluster luoshi starts: this process writes the parts then.
        """
        if self.cluster is not None:
            return
        # the workers that see it import the writer now: start-up, not a delay after the extraction
        blind = self._blind(out, warm_writers=True)
        if not blind:
            self.checked = out.resolve()
        if blind:
            raise InputError(
                f"{out}: Dask 工作进程 {', '.join(blind)} 看不到输出文件夹；分区 Parquet 由工作进程写入，"
                "OUT 须是本机与各工作进程共享的同一路径（如共享文件系统），或改用 --format csv/jsonl/dta"
            )

    def write_dataset(self, df: Any, out: Path, name: str, rows: int) -> Path:
        """``out/<name>.parquet/part-NNNNN.parquet``, one part per worker task; returns the folder.

        Parts go to a hidden staging folder first, which then replaces the table, so a killed
        run never leaves a table with parts of two runs. On the LocalCluster luoshi starts the
        parts are written here, by the same function with the same slices (so the same bytes):
        its workers share this machine's disk, and sending them the table would only add its
        serialisation, a round trip and the Parquet writer's imports (0.3 s of CPU a worker).
        """
        from luoshi.corpus.writers import PARTITION_KEYS, part_name, partition_bounds, write_parquet_part

        final = out / f"{name}.parquet"
        staging = out / f".{name}.parquet.{os.getpid()}.tmp"
        for stale in [*out.glob(f".{name}.parquet.*.tmp"), *out.glob(f".{name}.parquet.*.old")]:
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed run
        staging.mkdir()
        key = PARTITION_KEYS.get(name)
        bounds = partition_bounds(len(df), rows, df[key].tolist() if key else None)
        chunks = [df.iloc[start:end] for start, end in bounds]
        paths = [str((staging / part_name(i)).resolve()) for i in range(len(chunks))]
        try:
            if self.cluster is not None:
                for chunk, path in zip(chunks, paths, strict=True):
                    write_parquet_part(chunk, path)
            else:
                futures = self.client.map(write_parquet_part, self.client.scatter(chunks), paths, pure=False)
                self.client.gather(futures)
            missing = [p for p in paths if not Path(p).is_file()]
        except OSError as exc:  # e.g. a worker lost the shared folder mid-run
            shutil.rmtree(staging, ignore_errors=True)
            who = "" if self.cluster is not None else "Dask 工作进程"
            raise InputError(f"{final}: {who}无法写入分区文件（{exc}）") from exc
        if missing:
            shutil.rmtree(staging, ignore_errors=True)
            raise InputError(f"{missing[0]}: Dask 工作进程写入的分区文件在本机不可见（OUT 须是共享路径）")
        if final.is_dir():
            old = out / f".{name}.parquet.{os.getpid()}.old"
            shutil.rmtree(old, ignore_errors=True)
            os.replace(final, old)
            os.replace(staging, final)
            shutil.rmtree(old)
        else:
            final.unlink(missing_ok=True)  # a single file of an earlier local run
            os.replace(staging, final)
        return final
