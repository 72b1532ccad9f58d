"""A corpus run: inputs -> per-document parts (resumable) -> documents, items, panel, errors.

Policy lives here, not in the CLI: what is skipped on --resume, the row order, what goes into
each table. ``progress`` is told of every finished document so a front end can show a bar.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from luoshi.corpus.engines import ENGINES, LocalEngine, batches, default_workers
from luoshi.corpus.inputs import expand_inputs
from luoshi.corpus.parts import PARTS_FORMAT, PartStore
from luoshi.errors import InputError

__all__ = ["CorpusConfig", "CorpusResult", "run_corpus"]


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    paths: Sequence[str]
    output: Path | None = None  # None: nothing written (extract_corpus from Python)
    fmt: str = "parquet"
    workers: int | None = None  # None: all cores
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    glob: str | None = None
    metadata: Path | None = None
    # Dask engine, Parquet: rows per part file (a document's items are never split)
    partition_rows: int | None = None  # None: writers.PARTITION_ROWS


@dataclass(slots=True)
class CorpusResult:
    documents: Any  # pandas DataFrames
    items: Any
    panel: Any
    errors: list[dict[str, Any]]
    total: int = 0  # distinct documents
    skipped: int = 0  # already done (--resume)
    extracted: int = 0  # processed by this run
    # CPU seconds the workers report for their batches (parts written incl.): the threads that
    # ran them, and their whole processes meanwhile (a Dask worker's event loop too)
    worker_cpu: float = 0.0
    worker_process_cpu: float = 0.0
    batches: int = 0  # tasks sent to the workers
    # CPU seconds of the workers' start-up (a LocalCluster's spawned interpreters and imports
    # incl.): all workers', and the largest one worker's
    worker_start_cpu: float = 0.0
    worker_start_max: float = 0.0
    parent_cpu: float = 0.0  # CPU seconds of this process, its own share of the extraction excluded
    # wall seconds by stage: inputs (listing, hashing), start (workers up and warm), extract
    # (the batches), assemble (tables, panel), write (files)
    timings: dict[str, float] = field(default_factory=dict)
    cpu_timings: dict[str, float] = field(default_factory=dict)  # this process's CPU, same stages
    written: list[Path] = field(default_factory=list)


Progress = Callable[[int, int], None]  # (documents finished, characters) since last call


def _stamp() -> str:
    from luoshi import __version__
    from luoshi.corpus.codebook import load_codebook

    return f"luoshi-{__version__}_codebook-{load_codebook().version}_parts-{PARTS_FORMAT}"


def run_corpus(
    config: CorpusConfig,
    *,
    on_start: Callable[[int, int], None] | None = None,
    progress: Progress | None = None,
) -> CorpusResult:
    """Run the corpus; ``on_start(to_do, already_done)`` is called once the inputs are known."""
    from luoshi.corpus.writers import FORMATS

    if config.engine not in ENGINES:
        raise InputError(f"未知的引擎 {config.engine}（可用：{', '.join(ENGINES)}）")
    if config.fmt not in FORMATS:
        raise InputError(f"未知的格式 {config.fmt}（可用：{', '.join(FORMATS)}）")
    cpu0 = time.process_time()
    clock = _Clock()
    overrides = None
    if config.metadata is not None:
        from luoshi.corpus.metadata import read_metadata

        overrides = read_metadata(config.metadata)
    files, problems = expand_inputs(config.paths, config.glob)
    errors: list[dict[str, Any]] = [
        {"path": p.split(": ", 1)[0], "stage": "input", "error": p} for p in problems
    ]
    errors += [{"path": f.path, "stage": "read", "error": f.error} for f in files if f.error]
    primary: dict[str, str] = {}  # sha256 -> first path (inputs are sorted)
    duplicates: dict[str, list[str]] = {}
    for f in files:
        if f.sha256 is None:
            continue
        if f.sha256 in primary:
            duplicates.setdefault(f.sha256, []).append(f.path)
        else:
            primary[f.sha256] = f.path
    clock.lap("inputs")
    with ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="luoshi-corpus-"))
        out = config.output if config.output is not None else Path(scratch)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{out}: 无法创建输出文件夹（{exc.strerror or exc}）") from exc
        workers = config.workers or default_workers()
        partitioned = config.engine == "dask" and config.output is not None and config.fmt == "parquet"
        parts = PartStore(out, _stamp())
        dask = None
        if config.engine == "dask":
            from luoshi.corpus.dask_engine import DaskEngine

            dask = stack.enter_context(DaskEngine(config.scheduler, workers))
            if partitioned:
                dask.check_output(out)  # before anything is touched: workers may write the Parquet parts
        if config.resume:
            parts.open()
        else:
            parts.reset()
        todo = [(path, sha) for sha, path in primary.items() if not parts.has(sha)]
        skipped = len(primary) - len(todo)
        sizes = [Path(p).stat().st_size for p, _ in todo]
        if dask is not None:
            work = batches(todo, sizes, dask.slots, dask.BATCH_BYTES, dask.BATCH_DOCS)
        else:
            work = batches(todo, sizes, workers)
        source: Iterator[dict[str, Any]]
        if dask is not None:
            # workers that see the parts folder write the parts there; others send texts back
            shared = str(parts.dir.resolve()) if work and dask.sees(parts.dir) else None
            source = dask.run_batches(work, shared)
            start_cpu = list(dask.start_cpu.values())
        else:
            local = stack.enter_context(LocalEngine(workers if len(work) > 1 else 1, str(parts.dir)))
            source = local.run_batches(work)
            start_cpu = list(local.start_cpu.values())
        clock.lap("start")
        if on_start:  # after the pool is up: a progress bar's thread must not exist at a fork
            on_start(len(todo), skipped)
        # pandas is imported while the workers run (not after them): the parent's share overlaps
        tables_import = threading.Thread(target=_import_tables, daemon=True)
        tables_import.start()
        records: dict[str, dict[str, Any]] = {}  # sha256 -> compact record, as batches finish
        slices: dict[str, Any] = {}  # sha256 -> its rows of a batch's Arrow item table
        worker_cpu = worker_process_cpu = 0.0
        n_batches = 0
        for batch in source:
            worker_cpu += batch["cpu"]
            worker_process_cpu += batch["process_cpu"]
            n_batches += 1
            if batch["written"]:
                parts.add(batch["part"])  # written by the worker: only its header is read here
            else:
                parts.put_batch(batch["rows"], batch["plans"])
            table, offset = batch.get("items"), 0
            for record in batch["rows"]:
                records[record["sha256"]] = record
                if table is not None and "error" not in record:
                    n = record["targets"] + record["outcomes"]
                    slices[record["sha256"]] = table.slice(offset, n)
                    offset += n
            if progress:
                progress(len(batch["rows"]), sum(r.get("chars", 0) for r in batch["rows"]))
        tables_import.join()
        clock.lap("extract")
        result = _assemble(parts, records, slices, primary, duplicates, overrides, errors)
        result.total, result.skipped, result.extracted = len(primary), skipped, len(todo)
        result.worker_cpu, result.worker_process_cpu = worker_cpu, worker_process_cpu
        result.batches = n_batches
        result.worker_start_cpu, result.worker_start_max = sum(start_cpu), max(start_cpu, default=0.0)
        clock.lap("assemble")
        if config.output is not None:
            from luoshi.corpus.writers import PARTITION_ROWS, write_errors, write_table

            for name, df in (
                ("documents", result.documents),
                ("items", result.items),
                ("panel", result.panel),
            ):
                if partitioned and dask is not None:
                    rows = config.partition_rows or PARTITION_ROWS
                    result.written.append(dask.write_dataset(df, out, name, rows))
                else:
                    result.written.append(write_table(df, out, name, config.fmt))
            result.written.append(write_errors(result.errors, out))
        clock.lap("write")
        in_process = dask is None and (workers <= 1 or len(work) <= 1)
        result.parent_cpu = time.process_time() - cpu0 - (worker_cpu if in_process else 0.0)
        result.timings, result.cpu_timings = clock.laps, clock.cpu_laps
        return result


def _import_tables() -> None:
    import importlib

    for name in ("pandas", "luoshi.corpus.tables", "luoshi.corpus.panel"):
        importlib.import_module(name)


class _Clock:
    """Wall and CPU seconds (this process, all its threads) between laps, by name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.cpu_laps: dict[str, float] = {}
        self.last, self.last_cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.laps[name], self.cpu_laps[name] = now - self.last, cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu


def _assemble(
    parts: PartStore,
    records: dict[str, dict[str, Any]],
    slices: dict[str, Any],
    primary: dict[str, str],
    duplicates: dict[str, list[str]],
    overrides: Any,
    errors: list[dict[str, Any]],
) -> CorpusResult:
    """The tables from the compact records (this run's, else the parts'), in path order.

    Items come as the workers' Arrow tables (``slices``) where pyarrow is installed: the parent
    only concatenates them; a resumed document's item columns are converted here.
    """
    from luoshi.corpus.panel import PANEL_ITEM_KEYS, build_panel
    from luoshi.corpus.tables import (
        DOCUMENT_COLUMNS,
        PANEL_COLUMNS,
        Columns,
        arrow_frame,
        frame,
        has_arrow,
        item_arrow,
        item_columns,
        items_table,
    )
    from luoshi.corpus.work import plan_from_parts

    arrow = has_arrow()
    documents: list[dict[str, Any]] = []
    items = Columns(item_columns())  # without pyarrow: column lists, not a dict per row
    pieces: list[Any] = []  # with pyarrow: each document's Arrow rows, and its keys
    keyed: list[tuple[dict[str, Any], int]] = []
    coded: list[dict[str, Any]] = []  # the panel reads only targets with a codebook indicator
    for sha, path in sorted(primary.items(), key=lambda kv: kv[1]):
        rec = records.pop(sha, None) or parts.get(sha)  # popped: no second copy of the columns
        if "error" in rec:
            errors.append({"path": path, "sha256": sha, "stage": rec["stage"], "error": rec["error"]})
            continue
        doc = {
            "doc_id": sha, "path": path, "file_name": Path(path).name, "format": rec["format"],
            "encoding": rec["encoding"], "chars": rec["chars"], "title": rec["title"], **rec["meta"],
            "targets": rec["targets"], "outcomes": rec["outcomes"],
            "duplicates": ";".join(duplicates.get(sha, [])) or None,
            "warnings": "; ".join(rec["warnings"]) or None,
        }  # fmt: skip
        if overrides is not None:
            overrides.apply(doc)
        documents.append(doc)
        keys = {
            "doc_id": sha,
            "path": path,
            "jurisdiction": doc["jurisdiction"],
            "plan_year": doc["plan_year"],
        }
        n = rec["targets"] + rec["outcomes"]
        if arrow:
            piece = slices.pop(sha, None)
            pieces.append(piece if piece is not None else item_arrow(rec["items"]))
            keyed.append((keys, n))
            continue
        cols = rec["items"]
        items.extend(cols, n, keys)
        for i, (role, code) in enumerate(zip(cols["role"], cols["codebook_id"], strict=True)):
            if role == "target" and code:
                coded.append({"doc_id": sha, **{k: cols[k][i] for k in PANEL_ITEM_KEYS}})
    if arrow:
        import pyarrow.compute as pc

        table = items_table(pieces, keyed)
        targets = pc.and_(pc.equal(table["role"], "target"), pc.is_valid(table["codebook_id"]))
        coded = table.filter(targets).select(["doc_id", *PANEL_ITEM_KEYS]).to_pylist()
        items_df = arrow_frame(table)
    else:
        items_df = items.frame()
    panel = build_panel(documents, coded, lambda sha: plan_from_parts(parts.get(sha), parts.get_plan(sha)))
    return CorpusResult(
        documents=frame(documents, DOCUMENT_COLUMNS),
        items=items_df,
        panel=frame(panel, PANEL_COLUMNS),
        errors=errors,
    )
