"""Logins and sessions as in a bank's web app, through the real app on a real SQLite file.

- a copied cookie stops working after logout; password reset, role change (and back) and
  deactivation end every session of that user; users see and end their own sessions;
- a stranger's wrong passwords for ``admin`` do not keep ``admin`` out from another address;
  the office sees and lifts throttles; ``X-Forwarded-For`` counts only from trusted proxies.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.requests import Request

from luoshi.settings import Settings
from luoshi.store.models import LoginAttempt, User, UserSession

from .conftest import csrf_of
from .seed import PASSWORD


def _login(
    app,
    username: str,
    password: str = PASSWORD,
    address: str = "10.0.0.1",  # noqa: ANN001
    headers: dict[str, str] | None = None,
) -> tuple[TestClient, int]:
    client = TestClient(app, client=(address, 50000), headers=headers or {})
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return client, r.status_code


def _copy(app, client: TestClient) -> TestClient:  # noqa: ANN001
    other = TestClient(app, client=("198.51.100.7", 40000))
    for cookie in client.cookies.jar:
        other.cookies.set(cookie.name, cookie.value)
    return other


def _in(client: TestClient) -> bool:
    r = client.get("/account", follow_redirects=False)
    assert r.status_code in (200, 303), r.status_code
    return r.status_code == 200


def _post(client: TestClient, url: str, data: dict[str, str] | None = None) -> int:
    token = csrf_of(client.get("/account").text)
    return client.post(url, data={**(data or {}), "csrf_token": token}, follow_redirects=False).status_code


def test_a_copied_cookie_stops_working_after_logout(web) -> None:  # noqa: ANN001
    app, _ids = web
    viewer, code = _login(app, "viewer")
    assert code == 303
    thief = _copy(app, viewer)
    assert _in(viewer) and _in(thief)
    assert _post(viewer, "/logout") == 303
    assert not _in(thief) and not _in(viewer)


def test_logout_ends_every_session_of_the_user(web) -> None:  # noqa: ANN001
    app, _ids = web
    phone, _ = _login(app, "leader", address="10.0.0.2")
    desk, _ = _login(app, "leader", address="10.0.0.3")
    assert _in(phone) and _in(desk)
    assert _post(desk, "/logout") == 303
    assert not _in(phone)


def test_reset_role_change_and_deactivation_end_sessions(web) -> None:  # noqa: ANN001
    app, ids = web
    admin, _ = _login(app, "admin")
    spare, _ = _login(app, "spare")
    stale = _copy(app, spare)
    page = admin.get("/admin/users").text
    # a role change ends the session; changing the role back does not revive the old cookie
    assert (
        admin.post(
            f"/admin/users/{ids.spare_user}",
            data={"csrf_token": csrf_of(page), "role": "leader"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert not _in(stale)
    assert (
        admin.post(
            f"/admin/users/{ids.spare_user}",
            data={"csrf_token": csrf_of(page), "role": "viewer"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert not _in(stale) and not _in(spare)
    # a password reset ends the new session too
    spare, code = _login(app, "spare")
    assert code == 303 and _in(spare)
    r = admin.post(
        f"/admin/users/{ids.spare_user}",
        data={"csrf_token": csrf_of(page), "role": "viewer", "password": "brand-new-pass-1"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and not _in(spare)
    # the web form and the CLI share one policy: a short password is refused, nothing changes
    r = admin.post(
        f"/admin/users/{ids.spare_user}",
        data={"csrf_token": csrf_of(page), "role": "viewer", "password": "short"},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "至少 8 个字符" in r.text
    spare, code = _login(app, "spare", "brand-new-pass-1")
    assert code == 303 and _in(spare)
    assert (
        admin.post(
            f"/admin/users/{ids.spare_user}/deactivate",
            data={"csrf_token": csrf_of(page)},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert not _in(spare)
    with app.state.store.session() as s:
        reasons = {
            r.end_reason for r in s.scalars(select(UserSession).where(UserSession.user_id == ids.spare_user))
        }
    assert reasons == {"role_changed", "password_changed", "deactivated"}


def test_users_see_and_end_their_own_sessions(web) -> None:  # noqa: ANN001
    app, _ids = web
    desk, _ = _login(app, "reporter", address="10.0.0.4", headers={"user-agent": "DeskBrowser/1"})
    phone, _ = _login(app, "reporter", address="10.0.0.5", headers={"user-agent": "PhoneBrowser/2"})
    tablet, _ = _login(app, "reporter", address="10.0.0.6", headers={"user-agent": "TabletBrowser/3"})
    page = desk.get("/account").text
    assert "登录会话" in page and "PhoneBrowser/2" in page and "10.0.0.5" in page and "本设备" in page
    with app.state.store.session() as s:
        uid = s.scalar(select(User.id).where(User.username == "reporter"))
        phone_sid = s.scalar(
            select(UserSession.id).where(UserSession.user_id == uid, UserSession.address == "10.0.0.5")
        )
        viewer_sid = s.scalar(select(UserSession.id).join(User).where(User.username == "viewer"))
    assert _post(desk, f"/account/sessions/{phone_sid}/end") == 303
    assert not _in(phone) and _in(desk) and _in(tablet)
    # someone else's session cannot be ended from here
    if viewer_sid is not None:
        assert _post(desk, f"/account/sessions/{viewer_sid}/end") == 404
    assert _post(desk, "/account/sessions/end-others") == 303
    assert not _in(tablet) and _in(desk)
    assert "TabletBrowser/3" not in desk.get("/account").text


def test_a_stranger_cannot_lock_admin_out(web, settings: Settings) -> None:  # noqa: ANN001
    app, _ids = web
    app.state.settings = settings.with_(login_max_failures=5, login_address_max_failures=50)
    for _ in range(8):  # the issue: five wrong passwords locked `admin` for everyone
        _client, code = _login(app, "admin", "wrong-guess", address="203.0.113.50")
        assert code in (401, 429)
    _client, code = _login(app, "admin", PASSWORD, address="203.0.113.50")
    assert code == 429  # the guesser's own address is slowed down, even with the right password
    admin, code = _login(app, "admin", PASSWORD, address="10.0.0.1")
    assert code == 303  # the office, from its own address, gets in at once
    page = admin.get("/admin/throttles")
    assert page.status_code == 200 and "203.0.113.50" in page.text and "admin" in page.text
    r = admin.post(
        "/admin/throttles/lift",
        data={"csrf_token": csrf_of(page.text), "username": "admin", "address": "203.0.113.50"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/admin/throttles?lifted=5"
    assert "203.0.113.50" not in admin.get("/admin/throttles").text
    _client, code = _login(app, "admin", PASSWORD, address="203.0.113.50")
    assert code == 303


def test_x_forwarded_for_counts_only_from_trusted_proxies(web, settings: Settings) -> None:  # noqa: ANN001
    app, _ids = web
    # not trusted (the default): the header is ignored, the peer's own address is recorded
    _c, code = _login(app, "viewer", "wrong", address="198.51.100.1", headers={"x-forwarded-for": "1.2.3.4"})
    assert code == 401
    app.state.settings = settings.with_(trusted_proxies="10.1.0.0/16, 127.0.0.1")
    _c, code = _login(
        app, "viewer", "wrong", address="10.1.2.3", headers={"x-forwarded-for": "5.6.7.8, 10.1.9.9"}
    )
    assert code == 401
    _c, code = _login(app, "viewer", "wrong", address="198.51.100.2", headers={"x-forwarded-for": "9.9.9.9"})
    assert code == 401
    with app.state.store.session() as s:
        addresses = [a for (a,) in s.execute(select(LoginAttempt.address).order_by(LoginAttempt.id))]
    assert addresses[-3:] == ["198.51.100.1", "5.6.7.8", "198.51.100.2"]


def _request(peer: str, xff: list[str], trusted: str) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(settings=Settings(trusted_proxies=trusted)))
    headers = [(b"x-forwarded-for", v.encode()) for v in xff]
    return Request({"type": "http", "headers": headers, "client": (peer, 1), "app": app})


@pytest.mark.parametrize(
    ("peer", "xff", "trusted", "expected"),
    [
        ("203.0.113.1", ["1.1.1.1"], "", "203.0.113.1"),
        ("127.0.0.1", ["1.1.1.1"], "", "127.0.0.1"),  # a local peer is not trusted by itself
        ("127.0.0.1", ["1.1.1.1"], "127.0.0.1", "1.1.1.1"),
        ("10.0.0.2", ["6.6.6.6, 1.1.1.1, 10.0.0.3"], "10.0.0.0/8", "1.1.1.1"),  # spoofed left part ignored
        ("10.0.0.2", ["6.6.6.6", "1.1.1.1"], "10.0.0.0/8", "1.1.1.1"),  # several header lines
        ("10.0.0.2", ["not-an-ip"], "10.0.0.0/8", "10.0.0.2"),
        ("10.0.0.2", [], "10.0.0.0/8", "10.0.0.2"),
        ("::1", ["2001:db8::5"], "::1", "2001:db8::5"),
    ],
)
def test_client_address(peer: str, xff: list[str], trusted: str, expected: str) -> None:
    from luoshi.web.client import client_address

    assert client_address(_request(peer, xff, trusted)) == expected


def test_bad_trusted_proxies_setting_is_named() -> None:
    from luoshi.web.client import trusted_networks

    with pytest.raises(ValueError, match="LUOSHI_TRUSTED_PROXIES"):
        trusted_networks("10.0.0.0/8, proxy.example")


def test_cli_enforces_the_same_password_policy(tmp_path) -> None:  # noqa: ANN001
    from tests.accounts.test_cli import cli

    db = str(tmp_path / "cli.db")
    code, out = cli("user", "add", "wang", "--role", "viewer", "--password", "short", "--db", db)
    assert code == 2 and "至少 8 个字符" in out
    code, out = cli("user", "list", "--db", db)
    assert "wang" not in out  # nothing created
    assert cli("user", "add", "wang", "--role", "viewer", "--password", "long-enough-1", "--db", db)[0] == 0
    code, out = cli("user", "passwd", "wang", "--password", "1234567", "--db", db)
    assert code == 2 and "至少 8 个字符" in out
    assert re.search(
        "password of wang changed", cli("user", "passwd", "wang", "--password", "12345678", "--db", db)[1]
    )


def test_sessions_end_on_both_databases(db_url: str, tmp_path) -> None:  # noqa: ANN001
    """The same session rules on a SQLite file and on the PostgreSQL server."""
    from luoshi.store import open_store
    from luoshi.web.app import create_app

    from .seed import seed

    settings = Settings(
        database_url=db_url, upload_dir=str(tmp_path / "up"), secret_key="k", login_max_failures=100
    )
    store = open_store(settings)
    try:
        with store.session() as s:
            ids = seed(s)
        app = create_app(settings, store=store)
        spare, code = _login(app, "spare")
        assert code == 303 and _in(spare)
        thief = _copy(app, spare)
        admin, _ = _login(app, "admin")
        page = admin.get("/admin/users").text
        for role in ("leader", "viewer"):
            assert (
                admin.post(
                    f"/admin/users/{ids.spare_user}",
                    data={"csrf_token": csrf_of(page), "role": role},
                    follow_redirects=False,
                ).status_code
                == 303
            )
        assert not _in(thief) and not _in(spare)
        spare, _ = _login(app, "spare")
        thief = _copy(app, spare)
        assert _post(spare, "/logout") == 303 and not _in(thief)
    finally:
        store.dispose()


def test_changing_ones_own_password_ends_every_session(web) -> None:  # noqa: ANN001
    app, _ids = web
    desk, _ = _login(app, "leader", address="10.0.0.7")
    phone, _ = _login(app, "leader", address="10.0.0.8")
    data = {
        "current_password": "wrong-current",
        "new_password": "leader-new-pass",
        "new_password2": "leader-new-pass",
    }
    token = csrf_of(desk.get("/account").text)
    r = desk.post("/account/password", data={**data, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 400 and "当前密码不正确" in r.text and _in(phone)
    r = desk.post(
        "/account/password",
        data={**data, "current_password": PASSWORD, "new_password2": "x" * 9, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 400 and "不一致" in r.text
    r = desk.post(
        "/account/password",
        data={**data, "current_password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert not _in(desk) and not _in(phone)
    assert _login(app, "leader")[1] == 401
    assert _login(app, "leader", "leader-new-pass")[1] == 303
