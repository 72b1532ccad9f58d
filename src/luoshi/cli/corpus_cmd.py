"""``luoshi corpus PATH... --output OUT [--format parquet|csv|jsonl|dta] [--workers N]
[--engine local|dask] [--scheduler ADDRESS] [--resume] [--glob PATTERN] [--metadata FILE.csv]``.

Thin: options -> :class:`luoshi.corpus.run.CorpusConfig` -> run_corpus, with a rich progress bar
(documents/s, ETA) on stderr and a summary at the end. Everything heavy is imported inside.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from luoshi.corpus.run import CorpusResult

__all__ = ["register"]


class CorpusFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    dta = "dta"


class Engine(StrEnum):
    local = "local"
    dask = "dask"


def register(app: typer.Typer) -> None:
    app.command("corpus")(corpus)


def corpus(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...", help="Report files, folders (searched recursively) or glob patterns."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="OUT", help="Output folder.")],
    fmt: Annotated[CorpusFormat, typer.Option("--format", "-f", help="Table format.")] = CorpusFormat.parquet,
    workers: Annotated[
        int | None,
        typer.Option("--workers", metavar="N", min=1, help="Worker processes (default: all cores)."),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local process pool or a Dask cluster (its Parquet: one folder of part files per table).",
        ),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler, e.g. tcp://HOST:8786 (default: a LocalCluster).",
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip documents already done in OUT (by sha256).")
    ] = False,
    glob: Annotated[
        str | None,
        typer.Option(
            "--glob", metavar="PATTERN", help="Only files in folders matching PATTERN, e.g. '*.docx'."
        ),
    ] = None,
    metadata: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            metavar="FILE.csv",
            help="CSV of jurisdiction/level/years/genre that overrides detection.",
        ),
    ] = None,
) -> None:
    """Extract a whole corpus to documents, items and panel tables (research mode)."""
    from luoshi.corpus.run import CorpusConfig, run_corpus

    if scheduler and engine is not Engine.dask:
        print("luoshi: error: --scheduler 仅用于 --engine dask", file=sys.stderr)
        raise typer.Exit(2)
    config = CorpusConfig(
        paths=paths, output=output, fmt=fmt.value, workers=workers, engine=engine.value,
        scheduler=scheduler, resume=resume, glob=glob, metadata=metadata,
    )  # fmt: skip
    with _Bar() as bar:
        result = run_corpus(config, on_start=bar.start, progress=bar.advance)
    _summary(result, output)
    if result.errors:
        raise typer.Exit(2 if result.total == 0 else 0)


class _Bar:
    """A rich progress bar on stderr when it is a terminal; plain start/end lines otherwise."""

    def __init__(self) -> None:
        self.progress: Any = None
        self.task: Any = None
        self.live = sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"

    def __enter__(self) -> _Bar:
        return self

    def start(self, todo: int, done: int) -> None:
        if done:
            print(f"luoshi: 续跑：跳过已完成的 {done} 份文档，待处理 {todo} 份", file=sys.stderr, flush=True)
        if not self.live or not todo:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        speed = TextColumn("{task.fields[rate]}")
        self.progress = Progress(
            TextColumn("提取"), BarColumn(), MofNCompleteColumn(), speed, TextColumn("剩余"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.progress.start()
        self.task = self.progress.add_task("corpus", total=todo, rate="")

    def advance(self, docs: int, _chars: int) -> None:
        if self.progress is None:
            return
        self.progress.update(self.task, advance=docs)
        speed = self.progress.tasks[0].speed
        self.progress.update(self.task, rate=f"{speed:.1f} 份/秒" if speed else "")

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def _summary(result: CorpusResult, output: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    docs, items = result.documents, result.items
    console.print(
        f"文档 {result.total} 份（本次提取 {result.extracted}，续跑跳过 {result.skipped}），"
        f"条目 {len(items)} 条，面板 {len(result.panel)} 行，错误 {len(result.errors)} 个"
    )
    if len(docs):
        by = docs.assign(
            level=docs["level"].fillna("未识别"),
            plan_year=docs["plan_year"].astype("string").fillna("未识别"),
        )
        counts = by.groupby(["level", "plan_year"]).size().unstack(fill_value=0)
        table = Table(title="各级别、计划年份的文档数")
        table.add_column("级别")
        for year in counts.columns:
            table.add_column(str(year), justify="right")
        for level, row in counts.iterrows():
            table.add_row(str(level), *(str(int(v)) for v in row))
        console.print(table)
    targets = items[items["role"] == "target"]
    if len(targets):
        per = targets["codebook_id"].fillna("（码本外）").value_counts().sort_index()
        table = Table(title="各指标的目标数")
        table.add_column("指标")
        table.add_column("目标数", justify="right")
        for name, n in per.items():
            table.add_row(str(name), str(int(n)))
        console.print(table)
    for err in result.errors[:10]:
        console.print(f"[red]错误[/red] {err['error']}")
    if len(result.errors) > 10:
        console.print(f"……另有 {len(result.errors) - 10} 个错误，见 {output / 'errors.csv'}")
    console.print("已写入：" + "、".join(str(p) for p in result.written))
