"""Benchmark of corpus mode (run by hand, not in CI): ``python benchmarks/bench_corpus.py [--quick]``.

Builds a corpus of >= 1,000 documents from the dev texts in a temporary folder (each copy gets
its own last line, so its own sha256) and times ``luoshi.corpus.run_corpus`` end to end (hashing,
extraction, parts, tables, Parquet) for:

- 1 worker (in-process), all cores (process pool), Dask with its own LocalCluster (start-up
  included) and Dask on an already running LocalCluster (``--scheduler``);
- each beside a bare process-pool regular-expression scan (read, decode, find every number) of
  the same files with the same number of processes, in the same run.

Prints documents/s and characters/s (medians), the speed-ups (aims: ``--workers 2`` >= 1.8x one
worker; Dask within 25 % of local) and the estimate for 10,000 reports of 30,000 characters.
On a shared machine the figures are noisy: the script says how many cores it saw.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_TEXTS = REPO.parent / "shared" / "eval" / "texts"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def build_corpus(folder: Path, n: int) -> tuple[list[Path], int]:
    from importlib.resources import files

    sources = sorted(SHARED_TEXTS.glob("*.txt")) if SHARED_TEXTS.is_dir() else []
    texts = [p.read_text("utf-8") for p in sources] or [
        (files("luoshi") / "data" / "zhangdian-2024.txt").read_text("utf-8")
    ]
    paths, chars = [], 0
    for i in range(n):
        text = texts[i % len(texts)] + f"\n（副本 {i}）\n"
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


def corpus_run(folder: Path, workers: int, engine: str, scheduler: str | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds: this process plus what the workers report) of one run."""
    from luoshi.corpus.run import CorpusConfig, run_corpus

    with tempfile.TemporaryDirectory(prefix="bench-corpus-out-") as out:
        config = CorpusConfig(
            paths=[str(folder)], output=Path(out), workers=workers, engine=engine, scheduler=scheduler
        )
        c0, t0 = time.process_time(), time.perf_counter()
        result = run_corpus(config)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert not result.errors, result.errors[:3]
    in_process = engine == "local" and workers <= 1
    return elapsed, cpu + (0.0 if in_process else result.worker_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (>= 1000)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (median)")
    parser.add_argument("--quick", action="store_true", help="one repetition each (a short, noisier run)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask measurements")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    n_docs = max(1000, args.docs)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"cores seen: {cores}; load average before the run: {load:.2f} (other work on the machine adds noise)"
    )

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        folder = Path(tmp) / "corpus"
        paths, chars = build_corpus(folder, n_docs)
        print(f"corpus: {n_docs} documents, {chars:,} characters ({chars / n_docs:,.0f} per document)\n")
        corpus_run(folder, 1, "local")  # warm the page cache and bytecode

        configs: list[tuple[str, int, str, str | None]] = [("1 worker", 1, "local", None)]
        if cores > 1:
            configs.append((f"{cores} workers (all cores)", cores, "local", None))
        cluster = None
        if not args.no_dask:
            try:
                from distributed import LocalCluster

                configs.append((f"dask LocalCluster x{cores} (start-up incl.)", cores, "dask", None))
                cluster = LocalCluster(
                    n_workers=cores,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=40,
                )
                configs.append((f"dask running cluster x{cores}", cores, "dask", cluster.scheduler_address))
            except ImportError:
                print("dask[distributed] not installed: Dask rows skipped\n")
        results: dict[str, float] = {}
        cpus: dict[str, float] = {}
        header = (
            f"{'configuration':44} {'docs/s':>9} {'chars/s':>12} {'CPU s':>7} "
            f"{'regex docs/s':>13} {'regex chars/s':>14}"
        )
        print(header)
        print("-" * len(header))
        for label, workers, engine, scheduler in configs:
            measured = [corpus_run(folder, workers, engine, scheduler) for _ in range(runs)]
            scans = [regex_scan(paths, workers) for _ in range(runs)]
            t, s = statistics.median(m[0] for m in measured), statistics.median(scans)
            results[label], cpus[label] = t, statistics.median(m[1] for m in measured)
            print(
                f"{label:44} {n_docs / t:9.1f} {chars / t:12,.0f} {cpus[label]:7.1f} "
                f"{n_docs / s:13.1f} {chars / s:14,.0f}"
            )
        if cluster is not None:
            cluster.close()

    one = results["1 worker"]
    print()
    if cores > 1:
        many = results[f"{cores} workers (all cores)"]
        print(f"speed-up, {cores} workers vs 1: {one / many:.2f}x wall time (aim for 2 workers: >= 1.8x)")
        label = f"{cores} workers (all cores)"
        efficiency = cpus["1 worker"] / cpus[label]
        print(
            f"CPU work, 1 worker / {cores} workers: {efficiency:.2f} -> on {cores} idle cores the speed-up "
            f"would be about {cores * efficiency:.2f}x (the wall-time figure depends on what else runs)"
        )
        for label, t in results.items():
            if label.startswith("dask"):
                print(f"{label} vs local {cores} workers: {t / many:.2f}x the time (aim: <= 1.25x)")
    target_chars = 10_000 * 30_000
    print(f"\nestimate for 10,000 reports of 30,000 characters ({target_chars:,} characters):")
    print(f"  {'configuration':44} {'measured':>9} {'idle cores':>11}")
    for label, t in results.items():
        n = 1 if label == "1 worker" else cores
        measured = target_chars / (chars / t) / 60
        idle = target_chars * cpus[label] / chars / n / 60  # the CPU work spread over n free cores
        print(f"  {label:44} {measured:6.1f} min {idle:7.1f} min")
    print("(extraction speed itself is the extraction package's: see benchmarks/bench_extract.py)")


if __name__ == "__main__":
    sys.exit(main())
