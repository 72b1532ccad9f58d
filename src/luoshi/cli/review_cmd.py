"""``luoshi review --targets REPORT_Y --outcomes REPORT_Y+1 [--format ...] [--output FILE] [--db ...]``.

Thin: resolve each REPORT (a file, extracted on the fly, or a stored report), run the pure
review (luoshi.tracking.review) and write the scorecard.
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
    targets: Annotated[str, typer.Option("--targets", metavar="REPORT_Y", help="Report of year Y. " + REPORT_HELP)],
    outcomes: Annotated[
        str, typer.Option("--outcomes", metavar="REPORT_Y+1", help="Report of year Y+1. " + REPORT_HELP)
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Store for stored reports: SQLite path or SQLAlchemy URL (default: settings)."),
    ] = None,
    save: Annotated[
        bool,
        typer.Option("--save", help="Both reports stored: save the results (overrides made by people are kept)."),
    ] = False,
    tolerance: Annotated[
        float | None,
        typer.Option("--tolerance", help="Relative band of '~' (左右) targets and of 'exceeded' (default 0.05)."),
    ] = None,
) -> None:
    """Year-end review: match next year's outcomes to this year's targets (年度目标完成情况).

    Verdicts: met, exceeded, partly_met (with ratio), not_met, no_outcome, ambiguous.
    --format json prints one object per target of year Y: target, outcome, verdict, ratio,
    reason (zh-CN) and candidates (for ambiguous ones).
    """
    from luoshi.errors import InputError
    from luoshi.settings import from_env
    from luoshi.tracking.review import ReviewConfig, review_items

    if fmt is Format.xlsx and output is None:
        raise InputError("--format xlsx writes a workbook: give --output FILE.xlsx")
    settings = from_env(database_url=_db_url(db))
    tol = tolerance if tolerance is not None else settings.review_tolerance
    config = ReviewConfig(tolerance=tol)
    store = None
    try:
        store_holder: dict[str, Any] = {}
        t_side = _resolve(targets, settings, store_holder)
        o_side = _resolve(outcomes, settings, store_holder)
        from luoshi.tracking.review_store import check_review_years

        check_review_years(t_side["year"], o_side["year"])
        store = store_holder.get("store")
        if save:
            results, t_text, o_text = _save_stored(store, t_side, o_side, config)
        else:
            t_text, o_text = t_side["text"], o_side["text"]
            results = review_items(
                t_side["targets"], o_side["outcomes"], target_text=t_text, outcome_text=o_text, config=config,
                target_headings=t_side["target_headings"], outcome_headings=o_side["outcome_headings"],
            )
            if store is not None and t_side["target_ids"]:
                results = _progress_evidence(store, t_side["target_ids"], results, t_text, config)
    finally:
        if store is not None:
            store.dispose()
    _write(results, t_text, o_text, fmt, output)


def _db_url(db: str | None) -> str | None:
    if db is None:
        return None
    from luoshi.store.engine import normalize_url

    return normalize_url(db)


def _resolve(ref: str, settings: Any, holder: dict[str, Any]) -> dict[str, Any]:
    """{'text', 'targets', 'outcomes', 'report_id'} of a file or a stored report."""
    from luoshi.errors import InputError

    path = Path(ref)
    if path.is_file():
        from luoshi.extraction import extract_text
        from luoshi.sources import SourceError, load

        try:
            source = load(path)
        except SourceError as exc:
            raise InputError(str(exc)) from exc
        from luoshi.tracking.review import section_headings

        plan = extract_text(source.text, source=path.name)
        return {
            "text": plan.text, "targets": plan.targets, "outcomes": plan.outcomes, "report_id": None,
            "target_ids": [], "year": plan.document.plan_year or plan.document.report_year,
            "target_headings": section_headings(plan, plan.targets),
            "outcome_headings": section_headings(plan, plan.outcomes),
        }
    if path.suffix.lower() in {".txt", ".docx", ".html", ".htm", ".pdf"}:
        raise InputError(f"{ref}: no such file")
    from sqlalchemy import select

    from luoshi.store import open_store
    from luoshi.store.models import Outcome
    from luoshi.tracking.review_store import find_report, outcome_item, reviewed_targets, target_item

    if "store" not in holder:
        _require_existing_sqlite(settings.database_url, ref)
        holder["store"] = open_store(settings)
    with holder["store"].session() as session:
        report = find_report(session, ref)
        outs = list(session.scalars(select(Outcome).where(Outcome.report_id == report.id).order_by(Outcome.position)))
        targets = reviewed_targets(session, report.id)
        return {
            "text": report.text,
            "targets": [target_item(t) for t in targets],
            "outcomes": [outcome_item(o) for o in outs],
            "report_id": report.id, "year": report.year,
            "target_ids": [t.id for t in targets],
            "target_headings": [t.area.heading if t.area else "" for t in targets],
            "outcome_headings": [o.area.heading if o.area else "" for o in outs],
        }


def _progress_evidence(store: Any, target_ids: list[int], results: Any, text: str, config: Any) -> Any:
    """Stored targets the next report is silent on are judged on accepted progress readings."""
    from luoshi.tracking.review_store import with_progress_evidence

    with store.session() as session:
        return [with_progress_evidence(session, tid, r, text, config) for tid, r in zip(target_ids, results, strict=True)]


def _require_existing_sqlite(url: str, ref: str) -> None:
    """Reading a stored report must not create an empty database file as a side effect."""
    from sqlalchemy.engine import make_url

    from luoshi.errors import NotFoundError
    from luoshi.store.engine import normalize_url

    parsed = make_url(normalize_url(url))
    db = parsed.database
    if parsed.get_backend_name() == "sqlite" and db and db != ":memory:" and not Path(db).exists():
        raise NotFoundError(f"{ref}: not a file, and there is no store at {db} (give --db)")


def _save_stored(store: Any, t_side: dict[str, Any], o_side: dict[str, Any], config: Any) -> tuple[Any, str, str]:
    from luoshi.errors import InputError
    from luoshi.tracking.review_store import run_stored_review, stored_results

    if store is None or t_side["report_id"] is None or o_side["report_id"] is None:
        raise InputError("--save needs two stored reports (report:ID or JURISDICTION/YEAR), not files")
    with store.session() as session:
        run_stored_review(session, t_side["report_id"], o_side["report_id"], actor="cli", config=config)
        results = stored_results(session, t_side["report_id"])
    return results, t_side["text"], o_side["text"]


def _write(results: Any, t_text: str, o_text: str, fmt: Format, output: Path | None) -> None:
    from luoshi.errors import InputError
    from luoshi.tracking.review_export import flat_rows, to_csv, to_json, to_table, write_xlsx

    rows = flat_rows(results, t_text, o_text)
    try:
        if fmt is Format.xlsx:
            assert output is not None
            tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
            write_xlsx(rows, tmp)
            os.replace(tmp, output)
            return
        text = {Format.json: lambda: to_json(results), Format.csv: lambda: to_csv(rows),
                Format.table: lambda: to_table(rows)}[fmt]()
        if output is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from exc
