"""Every route answers ids that cannot exist and odd filters with a 4xx and a Chinese message,
never a 500 (issue 9: ids >= 2^63 gave 500s on about 20 routes)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .conftest import LOGIN, PASSWORD, csrf_of
from .test_authz_matrix import iter_routes

BAD_IDS = ("9223372036854775808", "99999999999999999999999999", "-9223372036854775809", "0", "abc")
ODD_QUERIES = (
    "report=9223372036854775808",
    "report=abc",
    "report=-1",
    "area=99999999999999999999",
    "department=9223372036854775808",
    "status=xyz",
    "limit=-1",
    "offset=abc",
    "page=abc",
    "page=9223372036854775808",
    "q=%00",
    "year=abc",
    "report=1e999",
)
ENGLISH = re.compile(r"\b(?:Input should|Field required|Internal Server Error|Traceback|value is not)\b")


def _client(app, role: str) -> TestClient:  # noqa: ANN001
    client = TestClient(app, raise_server_exceptions=False)
    if role != "anonymous":
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": LOGIN[role], "password": PASSWORD, "csrf_token": token})
    return client


def _paths(app, bad: str) -> list[tuple[str, str]]:  # noqa: ANN001
    out = []
    for method, path in iter_routes(app.routes):
        if "{" not in path or method not in ("GET", "POST"):
            continue
        path = path.replace("{jurisdiction}", "张店区")
        out.append((method, re.sub(r"\{[a-z_]+(?::[a-z]+)?\}", bad, path)))
    return out


@pytest.mark.parametrize("role", ["admin", "anonymous"])
def test_no_route_gives_500_for_ids_that_cannot_exist(web, role: str) -> None:  # noqa: ANN001
    app, _ids = web
    client = _client(app, role)
    token = csrf_of(_client(app, "admin").get("/login").text) if role == "anonymous" else None
    page = client.get("/targets").text if role != "anonymous" else ""
    token = csrf_of(page) if "csrf_token" in page else token
    failures = []
    seen = 0
    for bad in BAD_IDS:
        for method, path in _paths(app, bad):
            seen += 1
            if method == "GET":
                r = client.get(path, follow_redirects=False)
            else:
                r = client.post(
                    path,
                    data={
                        "csrf_token": token or "",
                        "into": bad,
                        "lead": bad,
                        "area": bad,
                        "report": bad,
                        "value": "1",
                        "period": "2024-06-30",
                    },
                    headers={"X-CSRF-Token": token or ""},
                    follow_redirects=False,
                )
            if r.status_code >= 500 or ENGLISH.search(r.text):
                failures.append((method, path, r.status_code, r.text[:120]))
    assert seen > 40
    assert not failures, failures


def test_odd_filters_on_every_page_are_4xx_in_chinese(web) -> None:  # noqa: ANN001
    app, _ids = web
    client = _client(app, "admin")
    failures = []
    plain = [p for m, p in iter_routes(app.routes) if m == "GET" and "{" not in p and p != "/logout"]
    assert len(plain) > 15
    for path in plain:
        for query in ODD_QUERIES:
            r = client.get(f"{path}?{query}", follow_redirects=False)
            if r.status_code >= 500 or ENGLISH.search(r.text):
                failures.append((path, query, r.status_code, r.text[:120]))
    assert not failures, failures


def test_validation_errors_are_chinese_json_for_the_api_and_html_for_browsers(web) -> None:  # noqa: ANN001
    app, _ids = web
    client = _client(app, "admin")
    api = client.get("/api/targets?report=abc")
    assert api.status_code == 422 and api.headers["content-type"].startswith("application/json")
    assert "报告" in api.json()["detail"] and "应为整数" in api.json()["detail"]
    page = client.get("/targets/9223372036854775808", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text and "超出范围" in page.text
