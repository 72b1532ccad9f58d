"""/openapi.json names a response schema for every /api route, and real answers validate against it."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from luoshi.accounts.tokens import create_token
from luoshi.accounts.users import get_user
from luoshi.web.serialize import InternalUpdate, PublicUpdate, update_json


def _refs(schema: Any) -> set[str]:
    """Every ``#/components/schemas/X`` a schema points at (through arrays and unions)."""
    if isinstance(schema, dict):
        found = {schema["$ref"].rsplit("/", 1)[-1]} if "$ref" in schema else set()
        return found.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _success(spec: dict[str, Any], path: str, method: str) -> tuple[str, dict[str, Any]]:
    responses = spec["paths"][path][method]["responses"]
    code = "201" if "201" in responses else "200"
    return code, responses[code]["content"]["application/json"]["schema"]


def _check(spec: dict[str, Any], schema: dict[str, Any], body: Any) -> None:
    # The schema's $refs point into the document's components: validate with them at hand.
    jsonschema.Draft202012Validator({**schema, "components": spec["components"]}).validate(body)


@pytest.fixture()
def spec(clients) -> dict[str, Any]:  # noqa: ANN001
    c, _ids = clients
    return c["anonymous"].get("/openapi.json").json()


def test_every_api_route_names_its_response_schema(spec) -> None:  # noqa: ANN001
    api = {(p, m) for p, ops in spec["paths"].items() if p.startswith("/api/") for m in ops}
    assert len(api) >= 8
    for path, method in sorted(api):
        code, schema = _success(spec, path, method)
        names = _refs(schema)
        assert names, (path, method, schema)  # a named model, not a bare "object"
        assert all(n in spec["components"]["schemas"] for n in names)
        errors = spec["paths"][path][method]["responses"]
        for err in ("404", "422"):
            assert _refs(errors[err]["content"]["application/json"]["schema"]) == {"Error"}, (path, err)
    assert _success(spec, "/api/targets", "get")[1] == {"$ref": "#/components/schemas/TargetPage"}
    page = spec["components"]["schemas"]["TargetPage"]
    assert set(page["required"]) == {"items", "next_cursor"}
    assert _success(spec, "/api/targets/{target_id}/updates", "post")[0] == "201"
    assert _success(spec, "/api/updates", "post") == ("201", {"$ref": "#/components/schemas/BatchCreated"})
    internal = spec["components"]["schemas"]["InternalTarget"]
    assert {"review_state", "status", "source_sentence"} - set(internal["properties"]) == {"source_sentence"}
    assert internal["properties"]["status"]["enum"][0] == "done"


def test_answers_validate_against_the_documented_schemas(clients, spec) -> None:  # noqa: ANN001
    c, ids = clients
    gets = {
        "/api/reports": "/api/reports",
        "/api/targets": "/api/targets",
        "/api/targets/{target_id}": f"/api/targets/{ids.public_target}",
        "/api/targets/{target_id}/updates": f"/api/targets/{ids.public_target}/updates",
        "/api/departments": "/api/departments",
        "/api/projects": "/api/projects",
    }
    checked = 0
    for role in ("anonymous", "viewer", "admin"):
        for path, url in gets.items():
            r = c[role].get(url)
            if r.status_code in (401, 403):  # /api/projects is internal
                _check(
                    spec,
                    spec["paths"][path]["get"]["responses"][str(r.status_code)]["content"][
                        "application/json"
                    ]["schema"],
                    r.json(),
                )
                continue
            assert r.status_code == 200, (role, url, r.text)
            _check(spec, _success(spec, path, "get")[1], r.json())
            checked += 1
    assert checked == 3 * 6 - 1  # anonymous may not see /api/projects
    # the two shapes really differ, and each answer matches its own shape
    schemas = spec["components"]["schemas"]
    anon = c["anonymous"].get(f"/api/targets/{ids.public_target}").json()
    inside = c["viewer"].get(f"/api/targets/{ids.public_target}").json()
    assert set(anon) == set(schemas["PublicTargetDetail"]["properties"])
    assert set(inside) == set(schemas["InternalTargetDetail"]["properties"])
    ups = c["viewer"].get(f"/api/targets/{ids.internal_target}/updates").json()
    assert ups and all(set(u) == set(schemas["InternalUpdate"]["properties"]) for u in ups)
    missing = c["anonymous"].get("/api/targets/999999")
    assert missing.status_code == 404
    _check(
        spec,
        spec["paths"]["/api/targets/{target_id}"]["get"]["responses"]["404"]["content"]["application/json"][
            "schema"
        ],
        missing.json(),
    )
    bad = c["anonymous"].get("/api/targets", params={"limit": 0})
    assert bad.status_code == 422
    _check(spec, {"$ref": "#/components/schemas/Error"}, bad.json())
    # an invalid body is refused by the schema (the check can fail)
    with pytest.raises(jsonschema.ValidationError):
        _check(spec, _success(spec, "/api/targets", "get")[1], {"items": [{"id": 1}], "next_cursor": None})


def test_created_updates_validate(web, spec) -> None:  # noqa: ANN001
    app, ids = web
    with app.state.store.session() as s:
        token, _row = create_token(s, get_user(s, "reporter"))
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {token}"}
    one = client.post(
        f"/api/targets/{ids.public_target}/updates",
        headers=headers,
        json={"period": "2024-07-08", "value": "280万", "narrative": "全部建成"},
    )
    assert one.status_code == 201, one.text
    _check(spec, _success(spec, "/api/targets/{target_id}/updates", "post")[1], one.json())
    assert one.json()["check"] == "submitted" and one.json()["author"] == "reporter"
    many = client.post(
        "/api/updates",
        headers=headers,
        json=[{"target_id": ids.public_target, "period": "2024-07-09", "value": v} for v in (1, 2)],
    )
    assert many.status_code == 201, many.text
    _check(spec, _success(spec, "/api/updates", "post")[1], many.json())
    assert many.json()["created"] == 2 and len(many.json()["ids"]) == 2


def test_public_update_leaves_out_an_internal_narrative() -> None:
    from datetime import date, datetime

    from luoshi.store.models import ProgressUpdate

    u = ProgressUpdate(
        id=7,
        target_id=3,
        period=date(2024, 6, 30),
        reported_value=120.0,
        narrative="内部情况",
        narrative_internal=True,
        author_name="张三",
        created_at=datetime(2024, 7, 1, 9, 30),
        evidence_path=None,
        evidence_name=None,
        supersedes_id=None,
    )
    public = update_json(u, internal=False, state="accepted")
    inside = update_json(u, internal=True, state="accepted")
    assert "narrative" not in public and "author" not in public  # absent, not null
    assert public == {
        "id": 7,
        "target_id": 3,
        "period": "2024-06-30",
        "reported_value": 120.0,
        "check": "accepted",
        "supersedes": None,
    }
    assert inside["narrative"] == "内部情况" and inside["author"] == "张三"
    assert inside["created_at"] == "2024-07-01T09:30:00" and inside["evidence"] is None
    assert set(inside) == set(InternalUpdate.model_fields)
    u.narrative_internal = False
    assert update_json(u, internal=False, state="accepted")["narrative"] == "内部情况"
    assert set(PublicUpdate.model_fields) == set(update_json(u, internal=False, state="accepted"))
