"""``luoshi serve [--demo] [--host 127.0.0.1] [--port 8000] [--db PATH] [--workers N] [--proxy-headers]``.

The web app under uvicorn (one process) or gunicorn with uvicorn workers (``--workers N``), with
the limits of :mod:`luoshi.web.server`. Before serving, the database is checked (it opens, takes a
write and is at the current migration); a failed check is one line and a non-zero exit."""

from __future__ import annotations

import errno
import socket
import tempfile
from pathlib import Path
from typing import Any

import typer

__all__ = ["register"]


def serve(
    demo: bool = typer.Option(
        False, "--demo", help="load the bundled Zhangdian 2024 demo data and demo users"
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
    db: str | None = typer.Option(None, "--db", help="SQLite file or database URL (default: ./luoshi.db)"),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="worker processes (gunicorn with uvicorn workers when more than 1)",
    ),
    proxy_headers: bool = typer.Option(
        False, "--proxy-headers", help="trust X-Forwarded-For/-Proto from LUOSHI_TRUSTED_PROXIES only"
    ),
) -> None:
    """Start the web app (a new database is set up on first start)."""
    from luoshi.errors import InputError
    from luoshi.settings import from_env
    from luoshi.store import normalize_url, open_store
    from luoshi.tracking.demo import prepare_demo
    from luoshi.web import server
    from luoshi.web.app import create_app

    overrides: dict[str, Any] = {}
    if db:
        overrides["database_url"] = normalize_url(db)
    if demo:
        overrides["demo"] = True
        if not db:  # a fresh database of its own, so the demo never mixes with real data
            folder = Path(tempfile.mkdtemp(prefix="luoshi-demo-"))
            overrides["database_url"] = normalize_url(folder / "luoshi-demo.db")
            overrides.setdefault("upload_dir", str(folder / "uploads"))
    settings = from_env(**overrides)
    trusted = settings.trusted_proxies.strip()
    if proxy_headers and not trusted:
        raise InputError("--proxy-headers 需要设置 LUOSHI_TRUSTED_PROXIES（反向代理的地址，逗号分隔）")
    store = open_store(settings)
    store.check()
    users: list[tuple[str, str, str]] = []
    if demo:
        settings, users = prepare_demo(store, settings)
    sock = listen_socket(host, port)  # before any banner: a busy port is one clear line, no traceback
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}"
    if demo:
        names = "/".join(u for u, _r, _p in users)
        typer.echo(f"luoshi: serving demo data at {url}  (users {names}, password: demo)")
    else:
        typer.echo(f"luoshi: serving {settings.database_url} at {url}")
        if not _has_admin(store):
            db_part = f" --db {db}" if db else ""
            typer.echo(
                f"luoshi: 尚无管理员账号 (no admin yet)。请先创建第一个管理员："
                f"luoshi user add admin --role admin{db_part}"
            )
    if workers > 1:
        store.dispose()  # each worker opens its own engine after the fork
        if not settings.secret_key:  # one key for all workers, or a login holds in one worker only
            import secrets

            settings = settings.with_(secret_key=secrets.token_urlsafe(48))

    def app_factory() -> Any:
        import gc

        app = create_app(settings, store=store if workers == 1 else open_store(settings, upgrade=False))
        gc.freeze()  # the app's long-lived objects leave the GC's view: fewer long pauses under load
        return app

    server.run(
        app_factory,
        host=host,
        port=port,
        workers=workers,
        trusted_proxies=trusted if proxy_headers else None,
        limits=server.ServerLimits.from_settings(settings),
        sock=sock,
    )


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; a port in use (or not allowed) exits with one clear line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: restart over TIME_WAIT
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            why = f"端口 {port} 已被占用 (port {port} is already in use)；请换一个端口：--port {port + 1}"
        elif exc.errno == errno.EACCES:
            why = f"没有权限监听端口 {port} (permission denied)；请用 1024 以上的端口"
        else:
            why = f"无法监听 {host}:{port} (cannot listen: {exc.strerror or exc})"
        typer.echo(f"luoshi: error: {why}", err=True)
        raise typer.Exit(2) from None
    sock.set_inheritable(True)
    return sock


def _has_admin(store: Any) -> bool:
    from sqlalchemy import select

    from luoshi.store.models import User

    with store.session() as session:
        return (
            session.scalar(select(User.id).where(User.role == "admin", User.active.is_(True)).limit(1))
            is not None
        )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
