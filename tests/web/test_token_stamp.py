"""An API token's last use (``last_used_at``) is stamped at most once a minute, failing request or
not. A GET reads through the store's read session: the stamp is a short write of its own, never a
write in the read transaction (as for a login session's ``last_seen_at``), and it stands when the
request then fails (404, 422), so a script that keeps failing does not write on every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update

from luoshi.accounts.tokens import create_token, verify_token
from luoshi.accounts.users import get_user
from luoshi.store.models import ApiToken

OLD = datetime(2000, 1, 1)


def _token(app) -> tuple[str, int]:  # noqa: ANN001
    with app.state.store.session() as s:
        plain, row = create_token(s, get_user(s, "reporter"))
        s.flush()
        return plain, row.id


def _stamp(app, token_id: int, value: datetime | None = None) -> datetime | None:  # noqa: ANN001
    """The token's last use (set to ``value`` first when given)."""
    with app.state.store.session() as s:
        if value is not None:
            s.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=value))
        return s.get_one(ApiToken, token_id).last_used_at


@contextmanager
def _stamps(app) -> Iterator[dict[str, int]]:  # noqa: ANN001
    """How many UPDATEs of api_tokens run, on the write engine and on the read engine."""
    store = app.state.store
    counts = {"write": 0, "read": 0}
    engines = {"write": store.engine, "read": store.read_engine}
    listeners = {}
    for name, engine in engines.items():
        if engine is None:
            continue

        def count(_c, _cur, statement, *_a, name: str = name) -> None:  # noqa: ANN001
            counts[name] += statement.startswith("UPDATE api_tokens")

        listeners[name] = count
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield counts
    finally:
        for name, fn in listeners.items():
            event.remove(engines[name], "before_cursor_execute", fn)


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/reports", 200), ("/api/targets/999999", 404), ("/api/targets?limit=0", 422)],
    ids=["ok", "404", "422"],
)
def test_a_get_stamps_the_token_once_in_a_write_of_its_own(web, url: str, status: int) -> None:  # noqa: ANN001
    app, _ids = web
    plain, token_id = _token(app)
    _stamp(app, token_id, OLD)
    client = TestClient(app)
    with _stamps(app) as counts:
        for _ in range(5):
            r = client.get(url, headers={"Authorization": f"Bearer {plain}"})
            assert r.status_code == status, r.text
    stamped = _stamp(app, token_id)
    assert stamped is not None and stamped > OLD  # it stands, though the request failed
    assert counts == {"write": 1, "read": 0}  # once in five requests, never in the read session


def test_a_revoked_or_unknown_token_stamps_nothing(web) -> None:  # noqa: ANN001
    app, _ids = web
    plain, token_id = _token(app)
    _stamp(app, token_id, OLD)
    with app.state.store.session() as s:
        s.get_one(ApiToken, token_id).revoked_at = OLD
    client = TestClient(app)
    with _stamps(app) as counts:
        for header in (plain, plain + "x"):
            assert (
                client.get("/api/reports", headers={"Authorization": f"Bearer {header}"}).status_code == 401
            )
    assert counts == {"write": 0, "read": 0} and _stamp(app, token_id) == OLD


def test_verify_token_with_a_writer_commits_the_stamp_on_its_own(web) -> None:  # noqa: ANN001
    app, _ids = web
    store = app.state.store
    plain, token_id = _token(app)
    _stamp(app, token_id, OLD)
    now = datetime(2024, 7, 10, 9, 0)
    session = store.reader()
    try:
        assert verify_token(session, plain, now=now, writer=store.session) is not None
        session.rollback()  # the request fails: its own transaction is undone
    finally:
        session.close()
    assert _stamp(app, token_id) == now
