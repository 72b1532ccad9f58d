"""Benchmark of corpus mode (run by hand, not in CI): ``python benchmarks/bench_corpus.py [--quick]``.

Builds a corpus of >= 1,000 documents from the dev texts in a temporary folder (each copy gets
its own last line, so its own sha256) and times ``luoshi.corpus.run_corpus`` end to end (hashing,
extraction, parts, tables, Parquet) for:

- 1 worker (in-process), all cores (process pool), Dask with its own LocalCluster (start-up
  included) and Dask on an already running LocalCluster (``--scheduler``);
- each beside a bare process-pool regular-expression scan (read, decode, find every number) of
  the same files with the same number of processes, in the same run.

Prints documents/s and characters/s (medians), the workers' start-up (seconds, apart from the
documents), the CPU per document of the parent process (inputs, merging the workers' records,
the tables, the panel, writing) and of the workers (extraction, their part files), the machine's
load average after each measurement; then the accounting: batches sent, the batches' CPU per
document, the workers' other CPU per batch (a Dask worker's event loop), the parent's CPU while
the workers run, the serial stages (inputs, tables, files; start-up, from the CPU of the parent
and of the workers, a LocalCluster's spawned interpreters included) and their share;
and the speed-ups (aims: ``--workers 2`` >= 1.8x one worker; Dask within 25 % of local) as
measured, as the accounting implies on idle cores (and Amdahl's law from the serial share): on
a shared machine the wall times depend on what else runs, the CPU seconds much less. Ends with
the estimate for 10,000 reports of 30,000 characters.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_TEXTS = REPO.parent / "shared" / "eval" / "texts"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def build_corpus(folder: Path, n: int, chars_per_doc: int = 0) -> tuple[list[Path], int]:
    from importlib.resources import files

    sources = sorted(SHARED_TEXTS.glob("*.txt")) if SHARED_TEXTS.is_dir() else []
    texts = [p.read_text("utf-8") for p in sources] or [
        (files("luoshi") / "data" / "zhangdian-2024.txt").read_text("utf-8")
    ]
    paths, chars = [], 0
    for i in range(n):
        text, k = texts[i % len(texts)], i
        while len(text) < chars_per_doc:  # longer documents: the next dev texts joined on
            k += 1
            text += "\n" + texts[k % len(texts)]
        text += f"\n（副本 {i}）\n"
        path = folder / f"{i // 100:02d}" / f"doc-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        chars += len(text)
    return paths, chars


def _scan(paths: list[str]) -> int:
    found = 0
    for p in paths:
        found += len(NUMBER.findall(Path(p).read_bytes().decode("utf-8")))
    return found


def regex_scan(paths: list[Path], workers: int) -> float:
    """Seconds for a bare process-pool scan of the files (pool start-up included)."""
    names = [str(p) for p in paths]
    chunks = [names[i : i + 50] for i in range(0, len(names), 50)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        sum(pool.map(_scan, chunks))
    return time.perf_counter() - t0


@dataclass
class Run:
    wall: float
    start: float  # workers up and warm (pool, cluster), seconds
    parent: float  # parent CPU seconds, its own share of in-process extraction excluded
    worker: float  # CPU seconds of the threads that ran the batches (extraction, part files)
    worker_process: float  # CPU seconds of the workers' whole processes meanwhile (event loops too)
    serial: float  # parent CPU seconds in the serial stages after start-up: inputs, assemble, write
    start_cpu: float  # parent CPU seconds of the start-up (its share of the pool's, cluster's start)
    tasks: float  # batches sent to the workers
    worker_start: float  # CPU seconds of the workers' start-up, all of them
    worker_start_max: float  # ... and of the one that took most
    load: float  # 1-minute load average at the end of the run


def corpus_run(folder: Path, workers: int, engine: str, scheduler: str | None = None) -> Run:
    from luoshi.corpus.run import CorpusConfig, run_corpus

    with tempfile.TemporaryDirectory(prefix="bench-corpus-out-") as out:
        config = CorpusConfig(
            paths=[str(folder)], output=Path(out), workers=workers, engine=engine, scheduler=scheduler
        )
        t0 = time.perf_counter()
        result = run_corpus(config)
        elapsed = time.perf_counter() - t0
    assert not result.errors, result.errors[:3]
    cpu = result.cpu_timings
    # in-process, the batch's process CPU includes the parent's other threads: counted as the parent's
    process = result.worker_cpu if engine == "local" and workers <= 1 else result.worker_process_cpu
    return Run(
        elapsed, result.timings["start"], result.parent_cpu, result.worker_cpu, process,
        cpu["inputs"] + cpu["assemble"] + cpu["write"], cpu["start"], result.batches,
        result.worker_start_cpu, result.worker_start_max, _load(),
    )  # fmt: skip


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f.name) for r in runs) for f in fields(Run)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (>= 1000)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (median)")
    parser.add_argument("--quick", action="store_true", help="one repetition each (a short, noisier run)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask measurements")
    parser.add_argument(
        "--chars-per-doc", type=int, default=0, help="join dev texts into documents of about N characters"
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    n_docs = max(1000, args.docs)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"cores seen: {cores}; load average before the run: {_load():.2f} (other work adds noise)")
    from luoshi.extraction import COMPILED

    print(
        f"compiled extraction core (mypyc): {'yes' if COMPILED else 'no'} (README: LUOSHI_COMPILE=1 pip install .)"
    )

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        folder = Path(tmp) / "corpus"
        paths, chars = build_corpus(folder, n_docs, args.chars_per_doc)
        print(f"corpus: {n_docs} documents, {chars:,} characters ({chars / n_docs:,.0f} per document)\n")
        corpus_run(folder, 1, "local")  # warm the page cache and bytecode

        configs: list[tuple[str, int, str, str | None]] = [("1 worker", 1, "local", None)]
        if cores > 1:
            configs.append((f"{cores} workers (all cores)", cores, "local", None))
        cluster = None
        if not args.no_dask:
            try:
                import distributed  # noqa: F401

                configs.append((f"dask LocalCluster x{cores} (start-up incl.)", cores, "dask", None))
                configs.append((f"dask running cluster x{cores}", cores, "dask", "running"))
            except ImportError:
                print("dask[distributed] not installed: Dask rows skipped\n")
        results: dict[str, Run] = {}
        n_of: dict[str, int] = {}
        header = (
            f"{'configuration':42} {'docs/s':>7} {'chars/s':>10} {'start s':>7} {'docs/s':>7} "
            f"{'parent':>7} {'workers':>8} {'load':>5} {'regex docs/s':>12} {'regex chars/s':>13}"
        )
        print(header)
        print(f"{'':42} {'':>7} {'':>10} {'':>7} {'after':>7} {'ms/doc':>7} {'ms/doc':>8}")
        print("-" * len(header))
        for label, workers, engine, scheduler in configs:
            if scheduler == "running":
                # started only now: its scheduler runs in this process and would add to the others' CPU
                from distributed import LocalCluster

                cluster = LocalCluster(
                    n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=":0",
                    silence_logs=40,
                )  # fmt: skip
                scheduler = cluster.scheduler_address
            r = _median([corpus_run(folder, workers, engine, scheduler) for _ in range(runs)])
            s = statistics.median(regex_scan(paths, workers) for _ in range(runs))
            results[label], n_of[label] = r, workers
            print(
                f"{label:42} {n_docs / r.wall:7.1f} {chars / r.wall:10,.0f} {r.start:7.2f} "
                f"{n_docs / (r.wall - r.start):7.1f} {r.parent / n_docs * 1e3:7.2f} {r.worker / n_docs * 1e3:8.2f} {r.load:5.1f} "
                f"{n_docs / s:12.1f} {chars / s:13,.0f}"
            )
        if cluster is not None:
            cluster.close()

    def extract_parent(r: Run) -> float:
        """The parent's CPU while the workers run (merging their results): shares the cores."""
        return max(0.0, r.parent - r.serial - r.start_cpu)

    def start_idle(label: str) -> float:
        """Start-up on idle cores from its CPU: the parent's and the workers', spread over the
        cores, but no less than the longest single one (they start side by side)."""
        r, n = results[label], n_of[label]
        return max(r.start_cpu, r.worker_start_max, (r.start_cpu + r.worker_start) / n)

    def idle(label: str, worker: float | None = None) -> float:
        """Seconds on idle cores: the serial stages (inputs, start-up, tables, files), then the
        workers' CPU (whole processes) and the parent's meanwhile spread over the workers."""
        r, n = results[label], n_of[label]
        work = (r.worker_process if worker is None else worker) + extract_parent(r)
        return r.serial + start_idle(label) + work / n

    print("\n(start: pool/cluster up and warm, s; docs/s after: the rate once started; parent: CPU")
    print(" of the process running luoshi corpus, in-process extraction excluded (with a LocalCluster")
    print(" its scheduler too); workers: CPU of the threads that ran the batches; load: 1-minute load")
    print(f" average after the run, on {cores} cores)")

    print("\naccounting (CPU seconds; on a shared machine CPU seconds depend on the load much less than")
    print(" wall seconds): tasks = batches sent; batch = CPU of the threads running them per document;")
    print(" worker other = the workers' other CPU meanwhile (event loops, heartbeats) per task;")
    print(" parent extract = the parent's CPU while the workers run, per document; serial = the")
    print(" parent's CPU in inputs, tables and files (s); start = start-up CPU, the parent's and the")
    print(" workers' (s), and as wall seconds on idle cores from it; serial share of the idle-core")
    print(" time at the end")
    print(
        f"  {'configuration':42} {'tasks':>5} {'batch':>7} {'worker':>7} {'parent':>8} {'serial':>7} "
        f"{'start':>6} {'start':>7} {'start':>6} {'serial':>7} {'idle':>7}"
    )
    print(
        f"  {'':42} {'':>5} {'ms/doc':>7} {'ms/task':>7} {'ms/doc':>8} {'s':>7} {'parent':>6} "
        f"{'workers':>7} {'idle s':>6} {'share':>7} {'docs/s':>7}"
    )
    for label, r in results.items():
        other = (r.worker_process - r.worker) / max(1.0, r.tasks) * 1e3
        t = idle(label)
        print(
            f"  {label:42} {r.tasks:5.0f} {r.worker / n_docs * 1e3:7.2f} {other:7.2f} "
            f"{extract_parent(r) / n_docs * 1e3:8.3f} {r.serial:7.3f} {r.start_cpu:6.2f} "
            f"{r.worker_start:7.2f} {start_idle(label):6.2f} "
            f"{(r.serial + start_idle(label)) / t:7.1%} {n_docs / t:7.1f}"
        )

    one = results["1 worker"]
    if cores > 1:
        label = f"{cores} workers (all cores)"
        many = results[label]
        f = (one.serial + start_idle("1 worker")) / idle("1 worker")
        print(
            f"\nspeed-up, {cores} workers vs 1: {one.wall / many.wall:.2f}x measured, "
            f"{idle('1 worker') / idle(label):.2f}x from the accounting on {cores} idle cores "
            f"(aim for 2 workers: >= 1.8x); Amdahl with 1 worker's serial share {f:.1%}: "
            f"{1 / (f + (1 - f) / cores):.2f}x"
        )
        # the same documents cost the workers the same CPU: a difference between two runs is the
        # machine's load, so this figure shows what the serial stages alone leave of 2x
        w = (one.worker_process + many.worker_process) / 2
        equal = idle("1 worker", w) / idle(label, w)
        print(f"  with the workers' CPU taken equal in both ({w / n_docs * 1e3:.2f} ms/doc): {equal:.2f}x")
        for other, r in results.items():
            if other.startswith("dask"):
                w = (many.worker_process + r.worker_process) / 2
                print(
                    f"{other} vs local: {r.wall / many.wall:.2f}x the time measured, "
                    f"{idle(other) / idle(label):.2f}x from the accounting, "
                    f"{idle(other, w) / idle(label, w):.2f}x with the workers' CPU taken equal (aim: <= 1.25x)"
                )
    target_chars = 10_000 * 30_000
    print(f"\nestimate for 10,000 reports of 30,000 characters ({target_chars:,} characters):")
    print(f"  {'configuration':42} {'measured':>9} {'idle cores':>11}")
    for label, r in results.items():
        scale = target_chars / chars  # by characters (see --chars-per-doc for longer documents)
        measured = r.start + (r.wall - r.start) * scale
        on_idle = start_idle(label) + (idle(label) - start_idle(label)) * scale
        print(f"  {label:42} {measured / 60:6.1f} min {on_idle / 60:7.1f} min")
    print("(extraction speed itself is the extraction package's: see benchmarks/bench_extract.py)")


if __name__ == "__main__":
    sys.exit(main())
