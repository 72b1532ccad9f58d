"""A batch through ``POST /api/updates`` (one flush, one audit executemany) keeps every rule of a
single progress report: each item checked (a bad one refuses the whole batch, nothing stored),
each stored report audited and announced to the office (待复核 notice), statuses refreshed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from luoshi.accounts.tokens import create_token
from luoshi.accounts.users import get_user
from luoshi.store.models import AuditLog, Notice, ProgressUpdate


def _token(app, username: str) -> str:  # noqa: ANN001
    with app.state.store.session() as s:
        plain, _row = create_token(s, get_user(s, username))
    return plain


def _counts(app) -> tuple[int, int, int]:  # noqa: ANN001
    with app.state.store.session() as s:
        updates = int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0)
        audits = int(s.scalar(select(func.count()).where(AuditLog.object_type == "progress_update")) or 0)
        notices = int(s.scalar(select(func.count()).where(Notice.kind == "submitted")) or 0)
    return updates, audits, notices


def test_a_bad_item_refuses_the_whole_batch(web) -> None:  # noqa: ANN001
    app, ids = web
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {_token(app, 'reporter')}"}
    before = _counts(app)
    for bad in (
        {"period": "2024-07-11"},
        {"period": "2023-12-31"},
        {"period": "2024-07-09", "value": "很多"},
    ):
        body = [
            {"target_id": ids.public_target, "period": "2024-07-09", "value": 1},
            {"target_id": ids.public_target, "value": 2, **bad},
        ]  # after today / before the plan / no figure
        r = client.post("/api/updates", headers=headers, json=body)
        assert r.status_code == 400, (bad, r.text)
        assert _counts(app) == before


def test_every_report_of_a_batch_is_audited_and_announced(web) -> None:  # noqa: ANN001
    app, ids = web
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {_token(app, 'reporter')}"}
    updates, audits, notices = _counts(app)
    body = [
        {"target_id": ids.public_target, "period": "2024-07-09", "value": v, "narrative": f"第{v}次"}
        for v in range(30)
    ]
    r = client.post("/api/updates", headers=headers, json=body)
    assert r.status_code == 201, r.text
    made = r.json()["ids"]
    assert len(made) == 30 and made == sorted(made)
    assert _counts(app) == (updates + 30, audits + 30, notices + 30)
    with app.state.store.session() as s:
        rows = list(
            s.scalars(select(ProgressUpdate).where(ProgressUpdate.id.in_(made)).order_by(ProgressUpdate.id))
        )
        assert [u.narrative for u in rows] == [f"第{v}次" for v in range(30)]  # ids in the order sent
        told = set(s.scalars(select(Notice.message).where(Notice.kind == "submitted")))
        assert all(any(f"进展#{i}" in m for m in told) for i in made)
        logged = {
            int(a)
            for a in s.scalars(
                select(AuditLog.object_id).where(
                    AuditLog.object_type == "progress_update", AuditLog.action == "add"
                )
            )
        }
        assert set(made) <= logged
