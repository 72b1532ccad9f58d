"""Security behaviour of the web app: stored XSS, CSRF, SQL metacharacters, uploads, sessions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import Department, ProgressUpdate, Target

from .conftest import csrf_of, login
from .seed import seed
from .test_authz_matrix import PRIVATE_T, PUBLIC_T, fill, iter_routes

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")


@pytest.fixture()
def xss_web(settings: Settings):  # noqa: ANN201
    from luoshi.web.app import create_app

    store = open_store(settings)
    with store.session() as session:
        ids = seed(session, title_prefix=PAYLOAD, upload_dir=Path(settings.upload_dir))
        session.add(Department(name=PAYLOAD + "局"))
        session.get(Target, ids.public_target).unit = PAYLOAD[:40]
    app = create_app(settings, store=store)
    yield app, ids
    store.dispose()


def test_stored_markup_is_escaped_on_every_page(xss_web) -> None:  # noqa: ANN001
    app, ids = xss_web
    pages = sorted({p for m, p in iter_routes(app.routes) if m == "GET"})
    seen_escaped = set()
    checked = 0
    urls = sorted({(path, fill(path, ids, obj)) for path in pages for obj in (PUBLIC_T, PRIVATE_T)})
    for role in ("anonymous", "admin", "reporter"):
        client = login(app, role)
        for path, url in urls:
            r = client.get(url, follow_redirects=False)
            if not r.headers.get("content-type", "").startswith("text/html"):
                continue
            checked += 1
            for marker in RAW_MARKERS:
                assert marker not in r.text, f"unescaped markup on {url} as {role}"
            if "&lt;script&gt;alert(1)" in r.text:
                seen_escaped.add(path)
    assert checked > 30
    # the payload really is shown (escaped) where the stored texts appear
    for path in (
        "/targets",
        "/targets/{target_id}",
        "/reports/{report_id}",
        "/public/{jurisdiction}/{year}",
        "/projects",
        "/",
        "/admin/users",
        "/reports",
        "/queue",
        "/targets/{target_id}/edit",
    ):
        assert path in seen_escaped, path


def test_state_changes_need_the_csrf_token(clients) -> None:  # noqa: ANN001
    c, ids = clients
    admin = c["admin"]

    def count() -> int:
        with admin.app.state.store.session() as s:
            return int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0)

    before = count()
    url = f"/targets/{ids.public_target}/updates"
    form = {"period": "2024-07-01", "value": "9"}
    assert admin.post(url, data=form, follow_redirects=False).status_code == 403
    assert admin.post(url, data={**form, "csrf_token": "forged"}, follow_redirects=False).status_code == 403
    # a token from another session does not work either
    other = csrf_of(c["viewer"].get("/login").text)
    assert admin.post(url, data={**form, "csrf_token": other}, follow_redirects=False).status_code == 403
    api = f"/api/targets/{ids.public_target}/updates"
    assert admin.post(api, json={"period": "2024-07-01", "value": 9}).status_code == 403
    assert admin.post("/admin/users", data={"username": "x1", "role": "admin"}).status_code == 403
    assert admin.post("/logout", follow_redirects=False).status_code == 403
    assert count() == before
    token = csrf_of(admin.get("/login").text)
    r = admin.post(url, data={**form, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    assert count() == before + 1
    r = admin.post(api, json={"period": "2024-07-02", "value": 9}, headers={"X-CSRF-Token": token})
    assert r.status_code == 201 and r.json()["reported_value"] == 9


def test_malformed_form_body_is_a_client_error(clients) -> None:  # noqa: ANN001
    c, ids = clients
    r = c["reporter"].post(
        f"/targets/{ids.public_target}/updates",
        content=b"--xx\r\nbroken",
        headers={"content-type": "multipart/form-data; boundary=xx"},
    )
    assert 400 <= r.status_code < 500


def test_session_cookie_flags(web) -> None:  # noqa: ANN001
    app, _ids = web
    r = TestClient(app).get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    r = TestClient(app, base_url="https://testserver").get("/login")
    assert "; secure" in r.headers["set-cookie"].lower()
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_login_throttled_and_open_redirect_refused(settings: Settings, web) -> None:  # noqa: ANN001
    app, _ids = web
    app.state.settings = settings.with_(login_max_failures=2, login_lockout_seconds=60)
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    codes = [
        client.post(
            "/login", data={"username": "admin", "password": "wrong", "csrf_token": token}
        ).status_code
        for _ in range(3)
    ]
    assert codes[:2] == [401, 401] and codes[2] == 429
    # even the right password waits now
    r = client.post("/login", data={"username": "admin", "password": "pw-test-123", "csrf_token": token})
    assert r.status_code == 429 and "秒后再试" in r.text
    fresh = TestClient(app, client=("10.0.0.2", 50000))  # another address: not throttled
    tok = csrf_of(fresh.get("/login").text)
    r = fresh.post(
        "/login",
        data={"username": "viewer", "password": "pw-test-123", "csrf_token": tok, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


METACHARACTERS = ["' OR 1=1 --", '"; DROP TABLE targets; --', "%", "_", "\\", "5G%' UNION SELECT 1 --"]


def test_sql_metacharacters_in_search_and_filters(clients) -> None:  # noqa: ANN001
    c, _ids = clients
    viewer = c["viewer"]
    everything = viewer.get("/api/targets").json()["items"]
    for q in METACHARACTERS:
        expected = [t["id"] for t in everything if q in t["title"] or q in (t["indicator"] or "")]
        got = viewer.get("/api/targets", params={"q": q}).json()["items"]
        assert [t["id"] for t in got] == expected, q
        for key in ("area", "department", "status"):
            r = viewer.get("/api/targets", params={key: q})
            assert r.status_code in (200, 422) and (r.status_code == 422 or r.json()["items"] == []), (key, q)
            page = viewer.get("/targets", params={key: q, "q": q, "report": q, "page": q})
            assert page.status_code == 200, (key, q)
    assert len(viewer.get("/api/targets").json()["items"]) == len(everything)  # the table is still there


def _post_file(client: TestClient, target: int, name: str, content: bytes) -> int:
    token = csrf_of(client.get(f"/targets/{target}").text)
    r = client.post(
        f"/targets/{target}/updates",
        data={"period": "2024-07-05", "value": "1", "csrf_token": token},
        files={"evidence": (name, io.BytesIO(content), "application/octet-stream")},
        follow_redirects=False,
    )
    return r.status_code


def test_uploads_cap_type_and_traversal(clients, settings: Settings) -> None:  # noqa: ANN001
    c, ids = clients
    reporter = c["reporter"]
    folder = Path(settings.upload_dir)
    before = set(folder.iterdir())
    pdf = b"%PDF-1.4\n" + b"0" * 100
    assert _post_file(reporter, ids.public_target, "big.pdf", b"%PDF-1.4\n" + b"0" * (64 * 1024)) == 400
    assert _post_file(reporter, ids.public_target, "page.html", b"<html><script>1</script>") == 400
    assert _post_file(reporter, ids.public_target, "tool.exe", b"MZ\x90\x00") == 400
    assert _post_file(reporter, ids.public_target, "fake.pdf", b"<html>not a pdf</html>") == 400
    assert _post_file(reporter, ids.public_target, "noext", pdf) == 400
    assert set(folder.iterdir()) == before  # nothing stored by refused uploads
    assert _post_file(reporter, ids.public_target, "../../../etc/evil.pdf", pdf) == 303
    assert _post_file(reporter, ids.public_target, "..\\..\\win.pdf", pdf) == 303
    new = set(folder.iterdir()) - before
    assert len(new) == 2
    for path in new:
        assert path.parent == folder and path.name.endswith(".pdf") and "evil" not in path.name
        assert path.read_bytes() == pdf
    assert not (folder.parent.parent / "etc" / "evil.pdf").exists()
    with reporter.app.state.store.session() as s:
        names = set(
            s.scalars(select(ProgressUpdate.evidence_name).where(ProgressUpdate.evidence_path.is_not(None)))
        )
        update_id = s.scalar(select(ProgressUpdate.id).where(ProgressUpdate.evidence_name == "evil.pdf"))
    assert {"evil.pdf", "win.pdf"} <= names
    r = reporter.get(f"/evidence/{update_id}")
    assert r.status_code == 200 and r.content == pdf
    assert r.headers["content-disposition"].startswith("attachment")
    assert c["anonymous"].get(f"/evidence/{update_id}", follow_redirects=False).status_code in (303, 401)


def test_oversized_request_bodies_are_refused_before_parsing(clients) -> None:  # noqa: ANN001
    c, ids = clients
    reporter = c["reporter"]
    token = csrf_of(reporter.get(f"/targets/{ids.public_target}").text)
    huge = b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)  # far beyond upload_max_bytes + the form allowance
    r = reporter.post(
        f"/targets/{ids.public_target}/updates",
        data={"period": "2024-07-05", "value": "1", "csrf_token": token},
        files={"evidence": ("big.pdf", io.BytesIO(huge), "application/pdf")},
    )
    assert r.status_code == 413


def test_public_pages_leak_nothing_internal(clients) -> None:  # noqa: ANN001
    c, ids = clients
    anon = c["anonymous"]
    # an internal narrative on a public target
    token = csrf_of(c["admin"].get("/login").text)
    c["admin"].post(
        f"/targets/{ids.public_target}/updates",
        data={
            "period": "2024-07-06",
            "value": "270",
            "narrative": "内部机密说明",
            "internal": "1",
            "csrf_token": token,
        },
    )
    internal_title = "不公开的目标标题"
    with anon.app.state.store.session() as s:
        s.get(Target, ids.internal_target).title = internal_title
    for url in (
        "/public",
        "/public/张店区/2024",
        "/public/张店区/2024.json",
        "/public/张店区/2024.csv",
        "/api/targets",
        f"/targets/{ids.public_target}",
        f"/api/targets/{ids.public_target}",
        f"/api/targets/{ids.public_target}/updates",
    ):
        r = anon.get(url)
        assert r.status_code == 200, url
        for secret in (
            "内部机密说明",
            internal_title,
            "证明.pdf",
            "/evidence/",
            "reporter",
            "admin",
            f'/targets/{ids.internal_target}"',
        ):
            assert secret not in r.text, (url, secret)
    assert ids.internal_target not in [t["id"] for t in anon.get("/api/targets").json()["items"]]
    assert ids.internal_target not in [
        t["id"] for t in anon.get("/public/张店区/2024.json").json()["targets"]
    ]
    assert anon.get(f"/api/targets/{ids.internal_target}").status_code == 401
    assert anon.get(f"/targets/{ids.internal_target}", follow_redirects=False).status_code == 303
