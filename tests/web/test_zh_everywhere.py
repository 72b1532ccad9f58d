"""zh-CN everywhere (issue 9): no English sentence or raw code reaches a page. Every GET page of
the authorisation matrix is rendered as every role (public and internal objects), and so are the
error states a user can reach (refused forms, ids that cannot exist, odd filters); the visible text
(tags, scripts, styles and attribute values stripped) has no ASCII-only English sentence of three
or more words, no comparator code (``>=``, ``<=``) and no kind code (``rate``, ``count``).

Text inside ``<code>``/``<pre>`` is left out: it is there to be copied (a webhook address, an API
route on the API page), not read as a sentence.
"""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from .conftest import ROLES, csrf_of, login
from .test_authz_matrix import RULES, _supervision_objects, fill, iter_routes

ENGLISH_SENTENCE = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z]{2,}(?:[ ,'’:]+-{0,2}[A-Za-z]{1,}){2,}")
CODES = re.compile(r"(?:>=|<=|(?<![A-Za-z_])(?:rate|count)(?![A-Za-z_]))")
NOT_SHOWN = re.compile(r"<(script|style|code|pre|textarea|template)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]*>", re.S)
# /logout ends the session; /docs is the developers' API reference, rendered from the OpenAPI
# summaries of luoshi.web.api (its own test covers it)
SKIPPED = ("/logout", "/docs")


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, code blocks, tags or attribute values."""
    return html.unescape(TAG.sub(" ", NOT_SHOWN.sub(" ", page)))


def problems(page: str) -> list[str]:
    text = visible_text(page)
    found = [m.group(0) for m in ENGLISH_SENTENCE.finditer(text)]
    found += [
        f"code {m.group(0)!r} in …{text[max(0, m.start() - 20) : m.end() + 20]}…"
        for m in CODES.finditer(text)
    ]
    return found


def _html(r: Any) -> bool:
    return r.headers.get("content-type", "").startswith("text/html")


def test_the_checker_catches_what_it_should() -> None:
    assert problems("<p>could not convert string to float: 'x'</p>")
    assert problems("<p>use --department NAME</p>")
    assert problems("<td>≥ 或 >= 300</td>") and problems("<td>类型 rate</td>")
    assert not problems(
        '<p title="rate count here">目标值 ≥300座</p><script>var a = "one two three";</script>'
    )
    assert not problems("<p>落实 luoshi · 2024-07-10 · API 文档 · Excel 任务分解表 · 5G基站</p>")


def test_no_english_or_raw_codes_on_any_page_as_any_role(web) -> None:  # noqa: ANN001
    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user

    app, ids = web
    with app.state.store.session() as s:
        _plain, row = create_token(s, get_user(s, "viewer"), "zh")
        token_id = row.id
    _supervision_objects(app, ids)
    failures: list[tuple[str, str, int, list[str]]] = []
    pages = 0
    for role in ROLES:
        client = login(app, role)
        for method, path in iter_routes(app.routes):
            case = RULES.get((method, path))
            if method != "GET" or case is None or path in SKIPPED or path.startswith("/api"):
                continue
            for obj in case.objects:
                url = fill(path, ids, obj, token_id)
                r = client.get(url, params=case.params or None, follow_redirects=True)
                if not _html(r):
                    continue
                pages += 1
                found = problems(r.text)
                if found:
                    failures.append((role, url, r.status_code, found[:3]))
    assert pages > 100
    assert not failures, failures


def _post(client: TestClient, url: str, data: dict[str, Any], page: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_of(page), **data}, follow_redirects=True)


def test_no_english_or_raw_codes_in_error_states(web) -> None:  # noqa: ANN001
    app, ids = web
    admin = login(app, "admin")
    reporter = login(app, "reporter")
    leader = login(app, "leader")
    anon = TestClient(app, raise_server_exceptions=False)
    for c in (admin, reporter, leader, anon):
        c.headers["accept"] = "text/html,application/xhtml+xml"  # as a browser asks
    page = admin.get(f"/targets/{ids.public_target}").text
    rpage = reporter.get(f"/targets/{ids.public_target}").text
    lpage = leader.get(f"/targets/{ids.public_target}").text
    responses = {
        "progress: no number": _post(
            reporter,
            f"/targets/{ids.public_target}/updates",
            {"period": "2024-07-01", "value": "很多"},
            rpage,
        ),
        "progress: not finite": _post(
            reporter,
            f"/targets/{ids.public_target}/updates",
            {"period": "2024-07-01", "value": "1e999"},
            rpage,
        ),
        "progress: bad date": _post(
            reporter, f"/targets/{ids.public_target}/updates", {"period": "2024-13-01", "value": "3"}, rpage
        ),
        "progress: empty": _post(
            reporter, f"/targets/{ids.public_target}/updates", {"period": "2024-07-01"}, rpage
        ),
        "progress: future": _post(
            reporter, f"/targets/{ids.public_target}/updates", {"period": "2030-01-01", "value": "3"}, rpage
        ),
        "correct: no number": _post(reporter, f"/updates/{ids.update_id}/correct", {"value": "abc"}, rpage),
        "check: bad decision": _post(admin, f"/updates/{ids.update_id}/check", {"decision": "maybe"}, page),
        "check: return without a reason": _post(
            admin, f"/updates/{ids.update_id}/check", {"decision": "returned"}, page
        ),
        "comment: empty": _post(leader, f"/targets/{ids.public_target}/comments", {"body": " "}, lpage),
        "edit: empty title": _post(
            admin,
            f"/targets/{ids.public_target}/edit",
            {"title": " ", "kind": "rate", "comparator": ">="},
            page,
        ),
        "edit: bad figure": _post(
            admin,
            f"/targets/{ids.public_target}/edit",
            {"title": "新建", "target_value": "abc", "kind": "count"},
            page,
        ),
        "override: no note": _post(admin, f"/targets/{ids.public_target}/status", {"status": "done"}, page),
        "user: taken name": _post(admin, "/admin/users", {"username": "viewer", "role": "viewer"}, page),
        "user: bad name": _post(admin, "/admin/users", {"username": "a b", "role": "viewer"}, page),
        "user: bad role": _post(admin, "/admin/users", {"username": "newbie", "role": "boss"}, page),
        "user: short password": _post(
            admin, "/admin/users", {"username": "newbie", "role": "viewer", "password": "x"}, page
        ),
        "user: reporter without a department": _post(
            admin, "/admin/users", {"username": "newbie", "role": "reporter"}, page
        ),
        "department: taken": _post(admin, "/admin/departments", {"name": "区发改局"}, page),
        "department: empty": _post(admin, "/admin/departments", {"name": ""}, page),
        "webhook: bad kind": _post(
            admin, "/admin/webhooks", {"kind": "icq", "url": "https://x.example"}, page
        ),
        "webhook: bad address": _post(admin, "/admin/webhooks", {"kind": "json", "url": "ftp://x"}, page),
        "split: bad figure": _post(
            admin, f"/queue/{ids.proposed_target}/split", {"parts": "甲 | 很多\n乙 | 2"}, page
        ),
        "merge: nothing chosen": _post(admin, f"/queue/{ids.proposed_target}/merge", {"into": ""}, page),
        "import: binary file": admin.post(
            "/admin/import",
            data={"csrf_token": csrf_of(page), "jurisdiction": "张店区", "year": "2024"},
            files={"report_file": ("report.txt", b"\x00\x01\x02" * 200, "text/plain")},
        ),
        "import: broken docx": admin.post(
            "/admin/import",
            data={"csrf_token": csrf_of(page), "jurisdiction": "张店区", "year": "2024"},
            files={"report_file": ("report.docx", b"PK not a zip", "application/zip")},
        ),
        "import: broken pdf": admin.post(
            "/admin/import",
            data={"csrf_token": csrf_of(page), "jurisdiction": "张店区", "year": "2024"},
            files={"report_file": ("report.pdf", b"%PDF-1.4 broken", "application/pdf")},
        ),
        "import: bad year": admin.post(
            "/admin/import",
            data={"csrf_token": csrf_of(page), "jurisdiction": "张店区", "year": "二〇二四"},
            files={"report_file": ("report.txt", "新建5G基站300座".encode(), "text/plain")},
        ),
        "no such target": admin.get("/targets/999999"),
        "id out of range": admin.get("/targets/9223372036854775808"),
        "odd filter": admin.get("/targets?report=abc&status=xyz"),
        "forbidden": reporter.get("/admin/users"),
        "no CSRF token": admin.post(f"/targets/{ids.public_target}/comments", data={"body": "x"}),
        "login required": anon.get("/inbox", follow_redirects=True),
        "wrong password": anon.post(
            "/login",
            data={"username": "admin", "password": "wrong", "csrf_token": csrf_of(anon.get("/login").text)},
        ),
        "no such page": anon.get("/no/such/page"),
    }
    failures = {}
    for name, r in responses.items():
        assert r.status_code < 500, (name, r.status_code, r.text[:200])
        assert _html(r), (name, r.headers.get("content-type"))
        found = problems(r.text)
        if found:
            failures[name] = (r.status_code, found[:3])
    assert not failures, failures
