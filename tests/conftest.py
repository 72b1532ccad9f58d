"""Fixtures shared by every test folder. Folder-specific fixtures live in that folder's conftest."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Seeds in many folders write raw ORM rows (progress reports, 复核 decisions), as a bulk loader
# would; the read model (target_readings) follows such flushes through hooks that
# luoshi.tracking.touched installs on import. Load it here so no test depends on which module
# happened to import tracking first (an isolated `pytest tests/web/test_api.py` did not).
import luoshi.tracking.touched  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO.parent / "shared" / "eval"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The evaluation kit beside the checkout (../shared/eval: labelled texts, gold, score.py); absent on a user's machine."""
    if not (SHARED_EVAL / "texts").is_dir():
        pytest.skip(f"shared evaluation kit not found at {SHARED_EVAL}")
    return SHARED_EVAL


@pytest.fixture(scope="session")
def demo_report_path() -> Path:
    """The bundled demo report (Zhangdian 2024), shipped inside the package."""
    from importlib.resources import files

    return Path(str(files("luoshi") / "data" / "zhangdian-2024.txt"))


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of a real PostgreSQL server from LUOSHI_TEST_POSTGRES_URL; skip if unset or unreachable."""
    url = os.environ.get("LUOSHI_TEST_POSTGRES_URL")
    if not url:
        pytest.skip(
            "LUOSHI_TEST_POSTGRES_URL is not set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means: no server here
        pytest.skip(f"PostgreSQL at {url} is not reachable: {exc.__class__.__name__}: {exc}".splitlines()[0])
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's chromium for Playwright; skip where it or Playwright is missing."""
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    for candidate in (os.environ.get("LUOSHI_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("Debian chromium not found (apt-get install chromium)")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots and other test artifacts are saved."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a real SQLite file under tmp_path, or a private schema on the
    PostgreSQL server (so concurrent runs sharing database ``test`` never collide)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'luoshi.db'}"
        return
    from luoshi.store.testing import private_postgres_schema

    with private_postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url
