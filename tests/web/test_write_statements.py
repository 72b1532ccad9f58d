"""What a progress report costs the database: the SQL statements one ``POST
/api/targets/{id}/updates`` runs, and that a batch through ``POST /api/updates`` runs each step of
its commit once for the whole batch, not once per report (only the rows' own INSERT, which
SQLite answers one RETURNING row at a time, goes per report).

Counted on the store's engines (the request's session and anything else the request opened), but
for BEGIN and the webhook pusher's own read (its thread wakes after the response); the figures are the write path's budget, so a step that starts reading a row
again per report, or a second statement where one did, fails here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event, select

from luoshi.store.models import TargetReading
from luoshi.tracking.readmodel import stale

from .test_batch_updates import _token

SINGLE_BUDGET = 12  # token, target, its departments (a reporter's permission), plan year, INSERT,
# audit, current versions, milestones, last status, open 督办单, read-model upsert with the status,
# the office's notice


@contextmanager
def _counting(app) -> Iterator[list[str]]:  # noqa: ANN001
    seen: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split())[:80])

    store = app.state.store
    engines = [e for e in (store.engine, store.read_engine) if e is not None]
    for e in engines:
        event.listen(e, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        for e in engines:
            event.remove(e, "before_cursor_execute", count)


def _own(seen: list[str]) -> list[str]:
    return [s for s in seen if "webhooks" not in s and s != "BEGIN"]


def test_one_report_runs_a_fixed_small_number_of_statements(web) -> None:  # noqa: ANN001
    app, ids = web
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {_token(app, 'reporter')}"}
    # the first one also writes the token's last use: counted from the second on
    r = client.post(
        f"/api/targets/{ids.public_target}/updates",
        headers=headers,
        json={"period": "2024-07-01", "value": 1},
    )
    assert r.status_code == 201, r.text
    for day in (2, 3):
        with _counting(app) as seen:
            r = client.post(
                f"/api/targets/{ids.public_target}/updates",
                headers=headers,
                json={"period": f"2024-07-{day:02d}", "value": 100 + day, "narrative": "按计划推进"},
            )
        assert r.status_code == 201, r.text
        mine = _own(seen)
        assert len(mine) <= SINGLE_BUDGET, "\n".join(mine)
        assert sum(s.startswith("SELECT targets.") for s in mine) == 1, "\n".join(mine)  # read once
        assert sum(s.startswith("INSERT INTO target_readings") for s in mine) == 1
        assert not any(s.startswith("UPDATE target_readings") for s in mine)  # status in the upsert
    with app.state.store.session() as s:
        assert stale(s, app.state.settings) == []
        row = s.get(TargetReading, ids.public_target)
        assert row is not None and row.status is not None and row.status_day is not None


def _batch_statements(app, client, headers, targets: list[int], day: int) -> list[str]:  # noqa: ANN001
    body = [{"target_id": t, "period": f"2024-07-{day:02d}", "value": i} for i, t in enumerate(targets)]
    with _counting(app) as seen:
        r = client.post("/api/updates", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return [s for s in _own(seen) if not s.startswith("INSERT INTO progress_updates")]


def test_a_batch_runs_each_step_once_whatever_its_size(web) -> None:  # noqa: ANN001
    app, ids = web
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {_token(app, 'admin')}"}
    with app.state.store.session() as s:
        from luoshi.store.models import Target

        accepted = list(
            s.scalars(select(Target.id).where(Target.review_state == "accepted").order_by(Target.id))
        )
    assert len(accepted) >= 4
    _batch_statements(app, client, headers, accepted[:1], 1)  # (the token's last use)
    for day, targets in ((2, accepted[:2] * 2), (3, accepted * 10)):
        seen = _batch_statements(app, client, headers, targets, day)
        # no step twice (notices: status changes and reminders in one statement, the office's
        # 'submitted' in another)
        twice = [x for x in set(seen) if seen.count(x) > (2 if x.startswith("INSERT INTO notices") else 1)]
        assert not twice, "\n".join(seen)
        # the status changes a batch may bring add: followers, the status_log rows, their notices
        # and the notices the refresh de-duplicates against
        assert len(seen) <= SINGLE_BUDGET + 4, "\n".join(seen)
    with app.state.store.session() as s:
        assert stale(s, app.state.settings) == []
