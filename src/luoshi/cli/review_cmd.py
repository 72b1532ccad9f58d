"""``luoshi review --targets REPORT_Y --outcomes REPORT_Y+1 [--format ...] [--output FILE] [--db ...]``.

Thin: each REPORT is a file (extracted on the fly) or a stored report; the sides and the review
are luoshi.review.sides, the writers luoshi.review.export.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["register"]

REPORT_HELP = (
    "A report file (.txt .docx .html .htm .pdf; extracted on the fly) or a stored report: "
    "report:ID, ID, or JURISDICTION/YEAR (e.g. 张店区/2024)."
)


class Format(StrEnum):
    json = "json"
    table = "table"
    csv = "csv"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("review")(review)


def review(
    targets: Annotated[
        str, typer.Option("--targets", metavar="REPORT_Y", help="Report of year Y. " + REPORT_HELP)
    ],
    outcomes: Annotated[
        str, typer.Option("--outcomes", metavar="REPORT_Y+1", help="Report of year Y+1. " + REPORT_HELP)
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Store for stored reports: SQLite path or SQLAlchemy URL (default: settings)."
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Both reports stored: save the results (overrides made by people are kept)."
        ),
    ] = False,
    tolerance: Annotated[
        float | None,
        typer.Option(
            "--tolerance", help="Relative band of '~' (左右) targets and of 'exceeded' (default 0.05)."
        ),
    ] = None,
) -> None:
    """Year-end review: match next year's outcomes to this year's targets (年度目标完成情况).

    Verdicts: met, exceeded, partly_met (with ratio), not_met, no_outcome, ambiguous.
    --format json prints one object per target of year Y: target, outcome, verdict, ratio,
    reason (zh-CN) and candidates (for ambiguous ones).
    """
    from luoshi.errors import InputError
    from luoshi.review.sides import review_sides
    from luoshi.review.verdicts import ReviewConfig
    from luoshi.settings import from_env

    if fmt is Format.xlsx and output is None:
        raise InputError("--format xlsx 输出的是 Excel 工作簿：请用 --output 指定文件（如 结果.xlsx）")
    settings = from_env(database_url=_db_url(db))
    tol = tolerance if tolerance is not None else settings.review_tolerance
    holder: dict[str, Any] = {}  # the store, opened only when a stored report is named
    try:
        t_side = _side(targets, settings, holder)
        o_side = _side(outcomes, settings, holder)
        store = holder.get("store")
        if store is None:
            results = review_sides(t_side, o_side, config=ReviewConfig(tolerance=tol), save=save, actor="cli")
        else:
            with store.session() as session:
                results = review_sides(
                    t_side,
                    o_side,
                    config=ReviewConfig(tolerance=tol),
                    session=session,
                    save=save,
                    actor="cli",
                )
    finally:
        if "store" in holder:
            holder["store"].dispose()
    _write(results, t_side.text, o_side.text, fmt, output)


def _db_url(db: str | None) -> str | None:
    if db is None:
        return None
    from luoshi.store.engine import normalize_url

    return normalize_url(db)


def _side(ref: str, settings: Any, holder: dict[str, Any]) -> Any:
    """A REPORT argument: a file, else a stored report (which is which: luoshi.review.sides.report_file)."""
    from luoshi.review.sides import report_file, side_of_file, side_of_report

    path = report_file(ref)
    if path is not None:
        return side_of_file(path)
    if "store" not in holder:
        from luoshi.store import open_store

        _require_existing_sqlite(settings.database_url, ref)
        holder["store"] = open_store(settings)
    with holder["store"].session() as session:
        return side_of_report(session, ref)


def _require_existing_sqlite(url: str, ref: str) -> None:
    """Reading a stored report must not create an empty database file as a side effect."""
    from sqlalchemy.engine import make_url

    from luoshi.errors import NotFoundError
    from luoshi.store.engine import normalize_url

    parsed = make_url(normalize_url(url))
    db = parsed.database
    if parsed.get_backend_name() == "sqlite" and db and db != ":memory:" and not Path(db).exists():
        raise NotFoundError(f"{ref}：不是文件，{db} 处也没有数据库（请用 --db 指定）")


def _write(results: Any, t_text: str, o_text: str, fmt: Format, output: Path | None) -> None:
    from luoshi.errors import InputError
    from luoshi.review.export import flat_rows, to_csv, to_json, to_table, write_xlsx

    rows = flat_rows(results, t_text, o_text)
    try:
        if fmt is Format.xlsx:
            assert output is not None
            tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
            write_xlsx(rows, tmp)
            os.replace(tmp, output)
            return
        text = {
            Format.json: lambda: to_json(results),
            Format.csv: lambda: to_csv(rows),
            Format.table: lambda: to_table(rows),
        }[fmt]()
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}：无法写入（{exc.strerror or exc}）") from exc
