"""Admin commands: ``luoshi user add|list|passwd|deactivate``, ``luoshi token create|list|revoke``,
``luoshi backup``, ``luoshi remind``.

The database is ``--db`` (a path or URL), else ``LUOSHI_DATABASE_URL``, else ``./luoshi.db``
(through ``luoshi.settings.from_env``); it is opened (and migrated) with ``open_store``.
Changes are audited with the actor ``cli``.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from luoshi.errors import InputError

if TYPE_CHECKING:  # the store is imported lazily, to keep start-up fast
    from luoshi.store import Store

__all__ = ["register"]

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="database file or URL (default: LUOSHI_DATABASE_URL or ./luoshi.db)"),
]
CLI_ACTOR = "cli"

user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens (Authorization: Bearer TOKEN).", no_args_is_help=True)


def _store(db: str | None) -> Store:
    from luoshi.settings import from_env
    from luoshi.store import open_store  # importing the store installs the audit guard

    return open_store(from_env(database_url=db))


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("没有给出密码：请用 --password、在提示时输入，或从标准输入传入一行")
    return line


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="user name (login)")],
    role: Annotated[str, typer.Option("--role", help="admin|leader|reporter|viewer")],
    department: Annotated[
        str | None, typer.Option("--department", help="department, e.g. 区发改局 (reporters need one)")
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="password (else prompted, or one line from stdin)")
    ] = None,
    email: Annotated[str | None, typer.Option("--email", help="e-mail address for digests")] = None,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="create without a password (API tokens only)")
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a user. There is no default password: give one, type it twice, or pipe it on stdin."""
    from luoshi.accounts.users import create_user
    from luoshi.errors import InputError

    if role == "reporter" and not department:  # the CLI's own hint; the web form has a field for it
        raise InputError("填报员须指定所属单位：加 --department 单位名称（如 --department 区发改局）")
    if password is None and not no_password:
        password = _read_password()
    store = _store(db)
    try:
        with store.session() as session:
            user = create_user(
                session, name, role, department=department, password=password, actor=CLI_ACTOR, email=email
            )
            dept = user.department.name if user.department else "-"
            typer.echo(f"created user {user.username} (id {user.id}, role {user.role}, department {dept})")
    finally:
        store.dispose()


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """List users: id, name, role, department, active."""
    from luoshi.accounts.users import list_users

    store = _store(db)
    try:
        with store.session() as session:
            for u in list_users(session):
                dept = u.department.name if u.department else "-"
                state = "active" if u.active else "inactive"
                typer.echo(f"{u.id}\t{u.username}\t{u.role}\t{dept}\t{state}")
    finally:
        store.dispose()


@user_app.command("passwd")
def user_passwd(
    name: Annotated[str, typer.Argument(help="user name")],
    password: Annotated[
        str | None, typer.Option("--password", help="new password (else prompted, or one line from stdin)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Set a user's password."""
    from luoshi.accounts.users import get_user, set_password

    if password is None:
        password = _read_password()
    store = _store(db)
    try:
        with store.session() as session:
            set_password(session, get_user(session, name), password, actor=CLI_ACTOR)
        typer.echo(f"password of {name} changed")
    finally:
        store.dispose()


@user_app.command("deactivate")
def user_deactivate(name: Annotated[str, typer.Argument(help="user name")], db: DbOption = None) -> None:
    """Switch an account off (kept for the record) and revoke its API tokens."""
    from luoshi.accounts.users import deactivate, get_user

    store = _store(db)
    try:
        with store.session() as session:
            deactivate(session, get_user(session, name), actor=CLI_ACTOR)
        typer.echo(f"deactivated {name}")
    finally:
        store.dispose()


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Argument(help="user name the token acts as")],
    name: Annotated[str, typer.Option("--name", help="what the token is for")] = "",
    db: DbOption = None,
) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user

    store = _store(db)
    try:
        with store.session() as session:
            plain, row = create_token(session, get_user(session, user), name, actor=CLI_ACTOR)
            token_id = row.id
        typer.echo(f"token {token_id} for {user} (shown once, keep it safe):", err=True)
        typer.echo(plain)
    finally:
        store.dispose()


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="token id (from `luoshi token list`)")],
    db: DbOption = None,
) -> None:
    """Revoke an API token."""
    from luoshi.accounts.tokens import revoke_token

    store = _store(db)
    try:
        with store.session() as session:
            revoke_token(session, token_id, actor=CLI_ACTOR)
        typer.echo(f"revoked token {token_id}")
    finally:
        store.dispose()


@token_app.command("list")
def token_list(db: DbOption = None) -> None:
    """List API tokens: id, user, name, created, last used, revoked."""
    from luoshi.accounts.tokens import list_tokens

    store = _store(db)
    try:
        with store.session() as session:
            for t in list_tokens(session):
                revoked = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                typer.echo(
                    f"{t.id}\t{t.user.username}\t{t.name or '-'}\t{t.created_at:%Y-%m-%d}\t{used}\t{revoked}"
                )
    finally:
        store.dispose()


def backup(
    path: Annotated[str, typer.Argument(help="file to write (a SQLite database)")],
    db: DbOption = None,
) -> None:
    """Write a consistent copy of the database and its evidence files, safe while the server runs."""
    from luoshi.settings import from_env
    from luoshi.store.backup import backup_database
    from luoshi.store.files import upload_dir

    # no open_store here: migrating would need a write lock that a busy server may be holding
    settings = from_env(database_url=db)
    result = backup_database(settings.database_url, path, upload_dir=upload_dir(settings))
    typer.echo(
        f"backup written to {result.path} ({result.method}, {result.total_rows} rows); "
        f"{result.files} evidence file(s) in {result.uploads}"
    )


def remind(
    today: Annotated[
        str | None, typer.Option("--today", help="the day to remind for, YYYY-MM-DD (default: today)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Send due and overdue reminders and the daily e-mail digests (for cron; idempotent per day)."""
    from luoshi.notify.remind import run_reminders

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise InputError(f"--today {today!r}: expected YYYY-MM-DD") from exc
    store = _store(db)
    try:
        summary = run_reminders(store, store.settings, day)
        typer.echo(summary.describe())
        if summary.failures:
            from luoshi.notify.mail import MailError

            raise MailError(
                f"{len(summary.failures)} digest(s) not sent; they will be retried on the next run"
            )
    finally:
        store.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.command("backup")(backup)
    app.command("remind")(remind)
