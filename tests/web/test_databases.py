"""The web app on both stores: pages, and concurrent API writers through a real server, on a
SQLite file and on PostgreSQL (a private schema). Every update lands once: none lost, none doubled."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import ProgressUpdate
from tests.support import free_port

from .seed import seed


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'web.db'}"
        return
    from luoshi.store.testing import private_postgres_schema

    with private_postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def test_pages_and_concurrent_api_writes(any_db: str, tmp_path: Path) -> None:
    import uvicorn

    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user
    from luoshi.web.app import create_app

    settings = Settings(
        database_url=any_db, upload_dir=str(tmp_path / "up"), today="2024-07-10", secret_key="k"
    )
    store = open_store(settings)
    with store.session() as s:
        ids = seed(s)
        tokens = [
            create_token(s, get_user(s, name))[0] for name in ("reporter", "admin", "reporter", "admin")
        ]
    app = create_app(settings, store=store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        for url in (
            "/public",
            "/public/张店区/2024",
            "/api/targets",
            f"/targets/{ids.public_target}",
            "/healthz",
        ):
            assert httpx.get(base + url).status_code == 200, url
        per_client = 25
        errors: list[str] = []

        def writer(k: int, token: str) -> None:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
                for j in range(per_client):
                    r = c.post(
                        f"/api/targets/{ids.public_target}/updates",
                        json={"period": "2024-07-09", "value": k * 1000 + j, "narrative": f"w{k}-{j}"},
                    )
                    if r.status_code != 201:
                        errors.append(f"{r.status_code} {r.text[:80]}")

        threads = [threading.Thread(target=writer, args=(k, t)) for k, t in enumerate(tokens)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:3]
        with store.session() as s:
            values = list(
                s.scalars(select(ProgressUpdate.reported_value).where(ProgressUpdate.narrative.like("w%-%")))
            )
        expected = {float(k * 1000 + j) for k in range(len(tokens)) for j in range(per_client)}
        assert len(values) == len(expected) and set(values) == expected  # all landed, none twice
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.dispose()
