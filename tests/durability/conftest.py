"""Durability fixtures: a fresh database URL (real SQLite file, or a private PostgreSQL schema)
and a content fingerprint of every table."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from sqlalchemy import Engine, select

from luoshi.store.models import Base


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of every row in primary-key order) of each table."""
    out: dict[str, tuple[int, str]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            digest = hashlib.sha256()
            n = 0
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
                n += 1
            out[table.name] = (n, digest.hexdigest())
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    url: str, cwd: Path, command: Sequence[str] | None = None, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``luoshi serve`` (or ``command`` followed by serve's arguments) on a free port; wait for /healthz."""
    import os

    port = free_port()
    log = (cwd / f"server-{port}.log").open("wb")  # a file, not a pipe: a full pipe would stall the server
    cmd = [*(command or [sys.executable, "-m", "luoshi"]), "serve", "--db", url, "--port", str(port)]
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited: {(cwd / f'server-{port}.log').read_text(errors='replace')[-3000:]}"
            )
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
