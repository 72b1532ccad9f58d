"""Fixtures of the web tests: a real SQLite file with seeded data, clients logged in per role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from luoshi.settings import Settings
from luoshi.store import open_store

from .seed import PASSWORD, Seeded, seed

__all__ = ["LOGIN", "ROLES", "csrf_of", "login"]

ROLES = ("anonymous", "viewer", "reporter", "reporter_other", "leader", "admin")
LOGIN = {
    "viewer": "viewer",
    "reporter": "reporter",
    "reporter_other": "reporter2",
    "leader": "leader",
    "admin": "admin",
}


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'web.db'}",
        upload_dir=str(tmp_path / "uploads"),
        secret_key="test-secret",
        today="2024-07-10",
        demo=True,
        upload_max_bytes=64 * 1024,
        login_max_failures=100,
    )


@pytest.fixture()
def web(settings: Settings):  # noqa: ANN201
    """(app, seeded ids) on a fresh SQLite file."""
    from luoshi.web.app import create_app

    store = open_store(settings)
    with store.session() as session:
        ids = seed(session, upload_dir=Path(settings.upload_dir))
    app = create_app(settings, store=store)
    yield app, ids
    store.dispose()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def login(app, role: str) -> TestClient:  # noqa: ANN001
    client = TestClient(app)
    if role == "anonymous":
        return client
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": LOGIN[role], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return client


@pytest.fixture()
def clients(web) -> Iterator[tuple[dict[str, TestClient], Seeded]]:  # noqa: ANN001
    app, ids = web
    yield {role: login(app, role) for role in ROLES}, ids
