"""``luoshi serve --demo``: one start-up line with the address and the demo users, a working server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support import free_port

pytestmark = pytest.mark.slow


def test_serve_demo_prints_one_line_and_serves(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "served.db"
    env = {**os.environ, "LUOSHI_UPLOAD_DIR": str(tmp_path / "up")}
    env.pop("LUOSHI_TODAY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", "serve", "--demo", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == (
            f"luoshi: serving demo data at http://127.0.0.1:{port}  "
            "(users admin/leader/reporter/viewer, password: demo)"
        ), line
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.time() < deadline, "server did not answer"
                time.sleep(0.2)
        targets = httpx.get(base + "/api/targets").json()
        assert len(targets["items"]) >= 20  # the demo's targets are public
        assert {t["status"] for t in targets["items"]} >= {"done", "behind", "overdue"}
        with httpx.Client(base_url=base, follow_redirects=True) as c:
            page = c.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            r = c.post("/login", data={"username": "reporter", "password": "demo", "csrf_token": token})
            assert "示例数据" in r.text and "落实概览" in r.text
        with httpx.Client(base_url=base) as c:  # a forged X-Forwarded-For from a local, untrusted peer
            page = c.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            r = c.post(
                "/login",
                data={"username": "viewer", "password": "wrong", "csrf_token": token},
                headers={"x-forwarded-for": "9.9.9.9"},
            )
            assert r.status_code == 401
        import sqlite3

        con = sqlite3.connect(db)
        try:
            recorded = con.execute("select address from login_attempts where success = 0").fetchall()
        finally:
            con.close()
        assert recorded == [("127.0.0.1",)]
        assert db.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert proc.returncode is not None
