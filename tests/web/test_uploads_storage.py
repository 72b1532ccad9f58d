"""Evidence uploads: validated before anything is written; the folder sits beside the database;
``luoshi backup`` copies it. Real SQLite files, real multipart posts, the real CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import ProgressUpdate

from .conftest import csrf_of

PDF = b"%PDF-1.4\n% evidence\n" + b"0" * 200


def _post(client: TestClient, target: int, data: dict[str, str], name: str = "ok.pdf") -> int:
    token = csrf_of(client.get(f"/targets/{target}").text)
    r = client.post(
        f"/targets/{target}/updates",
        data={**data, "csrf_token": token},
        files={"evidence": (name, io.BytesIO(PDF), "application/pdf")},
        follow_redirects=False,
    )
    return r.status_code


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_refused_form_leaves_no_file(clients, settings: Settings) -> None:  # noqa: ANN001
    c, ids = clients
    reporter = c["reporter"]
    folder = reporter.app.state.upload_dir
    before = _files(folder)
    with reporter.app.state.store.session() as s:
        rows_before = s.scalar(select(func.count(ProgressUpdate.id)))
    # a good PDF with a bad date, a bad value: the form fails, so the file must not be kept
    assert _post(reporter, ids.public_target, {"period": "下个月", "value": "1"}) == 400
    assert _post(reporter, ids.public_target, {"period": "2024-07-05", "value": "很多"}) == 400
    assert _files(folder) == before
    with reporter.app.state.store.session() as s:
        assert s.scalar(select(func.count(ProgressUpdate.id))) == rows_before
    assert _post(reporter, ids.public_target, {"period": "2024-07-05", "value": "1"}) == 303
    new = _files(folder) - before
    assert len(new) == 1
    with reporter.app.state.store.session() as s:
        stored = s.scalar(select(ProgressUpdate.evidence_path).order_by(ProgressUpdate.id.desc()).limit(1))
    assert {stored} == new and (folder / stored).read_bytes() == PDF


def test_a_failed_commit_removes_the_written_file(tmp_path: Path) -> None:
    from luoshi.web.uploads import CheckedUpload, store_upload

    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'f.db'}"))
    folder = tmp_path / "up"
    try:
        with store.sessionmaker() as session:
            session.scalar(select(func.count(ProgressUpdate.id)))  # the row's transaction, as in the route
            name = store_upload(CheckedUpload(PDF, "a.pdf", "0" * 32 + ".pdf"), folder, session)
            assert (folder / name).exists()
            session.rollback()
            assert not (folder / name).exists()
        with store.sessionmaker() as session:
            session.scalar(select(func.count(ProgressUpdate.id)))
            name = store_upload(CheckedUpload(PDF, "b.pdf", "1" * 32 + ".pdf"), folder, session)
            session.commit()
            session.rollback()  # a later rollback must not remove a committed file
            assert (folder / name).exists()
    finally:
        store.dispose()


def test_upload_folder_defaults_beside_the_database_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from luoshi.settings import from_env
    from luoshi.store.files import upload_dir
    from luoshi.web.app import create_app

    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    data = tmp_path / "data"
    data.mkdir()
    settings = from_env({}, database_url=f"sqlite:///{data / 'office.db'}", secret_key="k")
    assert settings.upload_dir == ""
    app = create_app(settings)
    try:
        assert app.state.upload_dir == (data / "office-uploads").resolve() and app.state.upload_dir.is_dir()
        assert list(elsewhere.iterdir()) == []  # nothing relative to where the server started
    finally:
        app.state.store.dispose()
    chosen = tmp_path / "evidence"
    assert upload_dir(from_env({"LUOSHI_UPLOAD_DIR": str(chosen)}, database_url="sqlite:///x.db")) == chosen


def test_backup_includes_the_evidence_files(tmp_path: Path) -> None:
    from .test_uploads_storage_cli import run_backup

    db = tmp_path / "live.db"
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    store.dispose()
    folder = tmp_path / "live-uploads"
    folder.mkdir()
    (folder / ("a" * 32 + ".pdf")).write_bytes(PDF)
    (folder / ("b" * 32 + ".png")).write_bytes(b"\x89PNG\r\n\x1a\nxx")
    out = tmp_path / "copies" / "b1.db"
    code, output = run_backup(str(out), str(db))
    assert code == 0, output
    copied = tmp_path / "copies" / "b1-uploads"
    assert "2 evidence file(s)" in output and str(copied) in output
    assert sorted(p.name for p in copied.iterdir()) == sorted(p.name for p in folder.iterdir())
    assert (copied / ("a" * 32 + ".pdf")).read_bytes() == PDF
    # a server started on the copy finds them where it looks by default
    from luoshi.store.files import upload_dir

    assert upload_dir(Settings(database_url=f"sqlite:///{out}")) == copied
