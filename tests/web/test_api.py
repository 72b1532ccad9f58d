"""The JSON API: shapes, filters, writes with a Bearer token (single and batch), OpenAPI docs."""

from __future__ import annotations

from sqlalchemy import func, select

from luoshi.accounts.tokens import create_token
from luoshi.accounts.users import get_user
from luoshi.store.models import ProgressUpdate


def _token(app, username: str) -> str:  # noqa: ANN001
    with app.state.store.session() as s:
        plain, _row = create_token(s, get_user(s, username))
    return plain


def _count(app) -> int:  # noqa: ANN001
    with app.state.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0)


def test_targets_api_filters_and_status(clients) -> None:  # noqa: ANN001
    c, ids = clients
    anon = c["anonymous"].get("/api/targets").json()
    inside = c["viewer"].get("/api/targets").json()
    assert set(anon) == set(inside) == {"items", "next_cursor"} and anon["next_cursor"] is None
    assert len(inside["items"]) == len(anon["items"]) + 1  # the internal target only for logged-in users
    item = next(t for t in anon["items"] if t["id"] == ids.public_target)
    assert item["status"] in ("done", "ahead", "on_pace", "behind", "far_behind", "overdue", "no_report")
    assert item["status_label"] and item["latest_value"] == 260.0 and "review_state" not in item
    dept = c["viewer"].get("/api/targets", params={"department": "区工信局"}).json()
    assert {t["lead_department"] for t in dept["items"]} == {"区工信局"}
    by_status = c["viewer"].get("/api/targets", params={"status": item["status"]}).json()
    assert all(t["status"] == item["status"] for t in by_status["items"]) and len(by_status["items"]) >= 1
    one = c["anonymous"].get(f"/api/targets/{ids.public_target}").json()
    assert "新建5G基站300座以上" in one["source_sentence"]
    ups = c["anonymous"].get(f"/api/targets/{ids.public_target}/updates").json()
    assert [u["reported_value"] for u in ups] == [40, 80, 120, 150, 200, 260]
    assert all("author" not in u for u in ups)
    assert c["anonymous"].get("/healthz").json() == {"status": "ok"}
    spec = c["anonymous"].get("/openapi.json").json()
    for path in (
        "/api/reports",
        "/api/targets",
        "/api/targets/{target_id}",
        "/api/targets/{target_id}/updates",
        "/api/departments",
        "/api/projects",
        "/healthz",
    ):
        assert path in spec["paths"], path
    assert "/api/targets/{target_id}/updates" in c["anonymous"].get("/docs").text


def test_post_update_with_bearer_token_counts_only_after_check(web) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    app, ids = web
    client = TestClient(app)
    reporter = {"Authorization": f"Bearer {_token(app, 'reporter')}"}
    before = client.get(f"/api/targets/{ids.public_target}", headers=reporter).json()["status"]
    r = client.post(
        f"/api/targets/{ids.public_target}/updates",
        headers=reporter,
        json={"period": "2024-07-08", "value": 300, "narrative": "全部建成"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["check"] == "submitted" and r.json()["author"] == "reporter"
    assert (
        client.get(f"/api/targets/{ids.public_target}").json()["status"] == before
    )  # not counted before 复核
    bad = client.post(
        f"/api/targets/{ids.public_target}/updates", headers=reporter, json={"period": "2024-13-01"}
    )
    assert bad.status_code == 422


def test_batch_updates_are_all_or_nothing(web) -> None:  # noqa: ANN001
    from fastapi.testclient import TestClient

    app, ids = web
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {_token(app, 'reporter')}"}
    before = _count(app)
    mixed = [
        {"target_id": ids.public_target, "period": "2024-07-09", "value": 1},
        {"target_id": ids.internal_target, "period": "2024-07-09", "value": 1},
    ]  # not the reporter's
    assert client.post("/api/updates", headers=headers, json=mixed).status_code == 403
    missing = [
        {"target_id": ids.public_target, "period": "2024-07-09", "value": 1},
        {"target_id": 99999, "period": "2024-07-09", "value": 1},
    ]
    assert client.post("/api/updates", headers=headers, json=missing).status_code == 404
    assert _count(app) == before
    good = [{"target_id": ids.public_target, "period": "2024-07-09", "value": v} for v in range(50)]
    r = client.post("/api/updates", headers=headers, json=good)
    assert r.status_code == 201 and r.json()["created"] == 50
    assert _count(app) == before + 50


def test_unknown_report_is_404_not_an_empty_answer(clients) -> None:  # noqa: ANN001
    # One look-up for "the report asked for, else the current one" (tracking.queries.chosen_report):
    # an id that names no report is a 404 everywhere, not an empty roll-up.
    c, _ids = clients
    r = c["viewer"].get("/api/projects", params={"report": 987654})
    assert r.status_code == 404 and "987654" in r.json()["detail"]
    assert c["viewer"].get("/api/projects").status_code == 200
