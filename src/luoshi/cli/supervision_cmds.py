"""督查督办 commands: ``luoshi bulletin`` (monthly 通报 .docx), ``luoshi score`` (考核 .xlsx) and
``luoshi webhook add|list|remove`` (group-robot webhooks). 督办单 are issued by ``luoshi remind``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from luoshi.cli.admin_cmds import CLI_ACTOR, DbOption, _store
from luoshi.errors import InputError

__all__ = ["register"]

webhook_app = typer.Typer(help="Group-robot webhooks (企业微信, 钉钉, 飞书, JSON).", no_args_is_help=True)

Jurisdiction = Annotated[str, typer.Option("--jurisdiction", help="jurisdiction of the report, e.g. 张店区")]
Year = Annotated[int, typer.Option("--year", help="year of the report, e.g. 2024")]


def _write(path: str, content: bytes, suffix: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise InputError(f"--output {path}: the file name should end in {suffix}")
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_bytes(content)
        tmp.replace(out)  # never a half-written document under the real name
    except OSError as exc:
        raise InputError(f"--output {path}: cannot write ({exc.strerror or exc})") from exc
    return out


def bulletin(
    jurisdiction: Jurisdiction,
    year: Year,
    month: Annotated[str, typer.Option("--month", help="the month, YYYY-MM")],
    output: Annotated[str, typer.Option("--output", help="Word file to write (.docx)")],
    db: DbOption = None,
) -> None:
    """Write the month's 通报 (bulletin) as a Word document, with charts."""
    from luoshi.supervision.bulletin import build_bulletin, bulletin_charts
    from luoshi.supervision.documents import bulletin_docx

    store = _store(db)
    try:
        with store.read_session() as session:
            b = build_bulletin(session, store.settings, jurisdiction, year, month)
            content = bulletin_docx(b, bulletin_charts(b))
            summary = (
                f"{b.total} targets, {len(b.behind)} behind pace, {len(b.issued)} 督办单 issued, "
                f"{len(b.comments)} 批示; as of {b.record.as_of.isoformat()}"
            )
        out = _write(output, content, ".docx")
        typer.echo(f"bulletin {b.month} written to {out}: {summary}")
    finally:
        store.dispose()


def score(
    jurisdiction: Jurisdiction,
    year: Year,
    output: Annotated[str, typer.Option("--output", help="Excel file to write (.xlsx)")],
    month: Annotated[
        str | None, typer.Option("--month", help="one month, YYYY-MM (default: the whole year)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Score each department by the 考核 rule (LUOSHI_SCORING_RULES or the bundled one); write the ranking as xlsx."""
    from luoshi.supervision.scoring import score_period, scoreboard_xlsx

    store = _store(db)
    try:
        with store.read_session() as session:
            board = score_period(session, store.settings, jurisdiction, year, month)
            content = scoreboard_xlsx(board)
        out = _write(output, content, ".xlsx")
        for row in board.rows:
            typer.echo(f"{row.rank}\t{row.department}\t{row.total:.1f}")
        typer.echo(f"ranking ({board.rule.name}, {board.period_label}) written to {out}")
    finally:
        store.dispose()


@webhook_app.command("add")
def webhook_add(
    kind: Annotated[str, typer.Option("--kind", help="wecom|dingtalk|feishu|json")],
    url: Annotated[str, typer.Option("--url", help="the robot's webhook address")],
    secret: Annotated[
        str | None,
        typer.Option("--secret", help="signing secret (DingTalk 加签, Feishu 签名校验, JSON HMAC)"),
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", help="department it serves (default: the office)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a group-robot webhook for a department or for the office."""
    from luoshi.supervision.webhooks import add_webhook

    store = _store(db)
    try:
        with store.session() as session:
            hook = add_webhook(session, kind, url, secret, department, actor=CLI_ACTOR)
            typer.echo(f"added webhook {hook.id} ({hook.kind}, {department or 'office'})")
    finally:
        store.dispose()


@webhook_app.command("list")
def webhook_list(db: DbOption = None) -> None:
    """List webhooks: id, kind, department, URL (without its query), signed, last delivery."""
    from sqlalchemy import select

    from luoshi.store.models import WebhookDelivery
    from luoshi.supervision.webhooks import list_webhooks

    store = _store(db)
    try:
        with store.read_session() as session:
            for h in list_webhooks(session):
                last = session.scalar(
                    select(WebhookDelivery)
                    .where(WebhookDelivery.webhook_id == h.id)
                    .order_by(WebhookDelivery.id.desc())
                    .limit(1)
                )
                state = f"{last.state} {last.at:%Y-%m-%d %H:%M}" if last else "never"
                typer.echo(
                    f"{h.id}\t{h.kind}\t{h.department.name if h.department else 'office'}\t"
                    f"{h.url.split('?')[0]}\t{'signed' if h.secret else '-'}\t{state}"
                )
    finally:
        store.dispose()


@webhook_app.command("remove")
def webhook_remove(
    webhook_id: Annotated[int, typer.Argument(help="webhook id (from `luoshi webhook list`)")],
    db: DbOption = None,
) -> None:
    """Remove a webhook."""
    from luoshi.supervision.webhooks import remove_webhook

    store = _store(db)
    try:
        with store.session() as session:
            remove_webhook(session, webhook_id, actor=CLI_ACTOR)
        typer.echo(f"removed webhook {webhook_id}")
    finally:
        store.dispose()


def register(app: typer.Typer) -> None:
    app.command("bulletin")(bulletin)
    app.command("score")(score)
    app.add_typer(webhook_app, name="webhook")
