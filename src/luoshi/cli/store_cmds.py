"""Store commands: ``luoshi db upgrade``, ``luoshi import``, ``luoshi demo``, ``luoshi sheet export|import``.

The database is ``--db`` (a path means a SQLite file, or a full URL), else ``LUOSHI_DATABASE_URL``,
else ``./luoshi.db``. A new database is created and upgraded on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

__all__ = ["register", "settings_for"]

DB_HELP = "SQLite file or database URL (default: $LUOSHI_DATABASE_URL or ./luoshi.db)"

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
sheet_app = typer.Typer(
    help="Excel 任务分解表: export the plan, import progress and assignments.", no_args_is_help=True
)


def settings_for(db: str | None) -> Any:
    """Settings from the environment, with ``--db`` (path or URL) taking precedence."""
    from luoshi.settings import from_env
    from luoshi.store import normalize_url

    return from_env(database_url=normalize_url(db) if db else None)


def _open(db: str | None) -> Any:
    from luoshi.store import open_store

    return open_store(settings_for(db))


@db_app.command("upgrade")
def db_upgrade(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Create or upgrade the database schema to the latest version."""
    from luoshi.store import create_engine_for, current_revision, upgrade_database

    settings = settings_for(db)
    engine = create_engine_for(settings.database_url)
    try:
        before = current_revision(engine)
        upgrade_database(engine)
        after = current_revision(engine)
    finally:
        engine.dispose()
    shown = engine.url.render_as_string(hide_password=True)
    if before == after:
        typer.echo(f"luoshi: {shown} is up to date (revision {after})")
    else:
        typer.echo(f"luoshi: upgraded {shown} from {before or 'empty'} to revision {after}")


def import_cmd(
    report: Path = typer.Argument(..., help="report file (txt in any Chinese encoding, docx, html, pdf)"),
    jurisdiction: str = typer.Option(..., "--jurisdiction", help="e.g. 张店区"),
    year: int = typer.Option(..., "--year", help="year of the plan, e.g. 2024"),
    parent: str | None = typer.Option(None, "--parent", help="parent jurisdiction, e.g. 淄博市"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    force: bool = typer.Option(
        False, "--force", help="import even when the report states another year than --year"
    ),
) -> None:
    """Extract a report and store its plan in one transaction (a repeated text is not duplicated)."""
    from luoshi.errors import InputError
    from luoshi.sources.limits import InputLimits
    from luoshi.tracking.importer import YearMismatch, import_report

    store = _open(db)
    try:
        with store.session() as session:
            result = import_report(
                session,
                report,
                jurisdiction,
                year,
                parent=parent,
                actor="cli",
                limits=InputLimits.from_settings(store.settings),
                force=force,
            )
            message = result.message
    except YearMismatch as exc:
        raise InputError(f"{exc}：加 --force 强制导入") from exc
    finally:
        store.dispose()
    typer.echo(f"luoshi: {report}: {message}")


def demo_cmd(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Load the demo data (示例数据: Zhangdian 2024 with sample progress) into the database."""
    from luoshi.tracking.demo import load_demo

    store = _open(db)
    try:
        with store.session() as session:
            info = load_demo(session, store.settings)
    finally:
        store.dispose()
    what = "loaded" if info.created else "already loaded"
    typer.echo(
        f"luoshi: demo data ({info.label}) {what}: report {info.report_id}, {info.targets} targets; "
        f"statuses are as of {info.as_of} (set LUOSHI_TODAY={info.as_of} to see them so)"
    )


@sheet_app.command("export")
def sheet_export(
    out: Path = typer.Argument(..., help="the .xlsx file to write"),
    report: int | None = typer.Option(None, "--report", help="report id (default: the latest report)"),
    department: str | None = typer.Option(None, "--department", help="only this department's targets"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Write the 任务分解表 (one row per accepted target, with a stable ID column)."""
    from luoshi.tracking.sheet import export_sheet

    store = _open(db)
    try:
        with store.session() as session:
            n = export_sheet(session, store.settings, out, report_id=report, department=department)
    finally:
        store.dispose()
    typer.echo(f"luoshi: wrote {n} targets to {out}")


@sheet_app.command("import")
def sheet_import(
    path: Path = typer.Argument(..., help="a filled-in 任务分解表 (.xlsx)"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Apply progress and assignments from a sheet: all rows or nothing (every bad row is listed)."""
    from luoshi.sources.limits import InputLimits
    from luoshi.tracking.sheet import import_sheet

    store = _open(db)
    try:
        with store.session() as session:
            result = import_sheet(
                session, path, actor="cli", limits=InputLimits.from_settings(store.settings)
            )
    finally:
        store.dispose()
    typer.echo(f"luoshi: {path}: {result.summary}")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("import")(import_cmd)
    app.command("demo")(demo_cmd)
    app.add_typer(sheet_app, name="sheet")
