"""Atom feeds of status changes of public targets: valid XML, the entries, nothing internal."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from sqlalchemy import select

from luoshi.notify.events import refresh_statuses
from luoshi.store.models import StatusLog, Target

from .conftest import csrf_of, login

A = "{http://www.w3.org/2005/Atom}"
FEED = "/public/%E5%BC%A0%E5%BA%97%E5%8C%BA/2024/changes.atom"  # 张店区


def _entries(xml: bytes) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{A}{tag}") is not None and root.find(f"{A}{tag}").text
    entries = root.findall(f"{A}entry")
    for e in entries:
        assert e.find(f"{A}id").text and e.find(f"{A}title").text and e.find(f"{A}updated").text.endswith("Z")
        assert e.find(f"{A}link").get("href").startswith("http")
    return entries


def test_feed_lists_public_status_changes_only(web) -> None:  # noqa: ANN001
    app, ids = web
    store, settings = app.state.store, app.state.settings
    with store.session() as s:
        # markup in a public title must come out as text
        s.get(Target, ids.other_public_target).title = "新增<b>规上</b>企业 & 50家"
        s.flush()
        refresh_statuses(s, settings)
        logged = {t for (t,) in s.execute(select(StatusLog.target_id))}
        internal_title = s.get(Target, ids.internal_target).title
    assert {ids.public_target, ids.internal_target, ids.other_public_target} <= logged

    anonymous = login(app, "anonymous")
    r = anonymous.get(FEED)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    entries = _entries(r.content)
    linked = {int(re.search(r"/targets/(\d+)$", e.find(f"{A}link").get("href")).group(1)) for e in entries}
    assert ids.public_target in linked and ids.other_public_target in linked
    assert ids.internal_target not in linked and ids.proposed_target not in linked
    titles = [e.find(f"{A}title").text for e in entries]
    assert any("新增<b>规上</b>企业 & 50家" in t for t in titles)  # parsed back: it was escaped in the XML
    assert b"<b>" not in r.content and internal_title.encode() not in r.content
    # nothing internal: no narratives, no user names
    for leak in ("进展", "reporter", "证明.pdf"):
        assert leak not in r.text

    # a change accepted in 复核 shows up at once (no `luoshi remind`)
    reporter, admin = login(app, "reporter"), login(app, "admin")
    token = csrf_of(reporter.get(f"/targets/{ids.public_target}").text)
    reporter.post(
        f"/targets/{ids.public_target}/updates",
        data={"period": "2024-07-01", "value": "5", "csrf_token": token},
        follow_redirects=False,
    )
    page = admin.get(f"/targets/{ids.public_target}").text
    update_id = int(re.search(r'action="/updates/(\d+)/check"', page).group(1))  # type: ignore[union-attr]
    admin.post(
        f"/updates/{update_id}/check",
        data={"decision": "accepted", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    newest = _entries(anonymous.get(FEED).content)[0]
    assert "变为严重滞后" in newest.find(f"{A}title").text
    assert newest.find(f"{A}link").get("href").endswith(f"/targets/{ids.public_target}")

    # per target: only that target's changes; a non-public target's feed does not exist for anyone
    mine = _entries(anonymous.get(f"/public/targets/{ids.public_target}/changes.atom").content)
    assert len(mine) == 2 and all(
        e.find(f"{A}link").get("href").endswith(f"/targets/{ids.public_target}") for e in mine
    )
    for client in (anonymous, admin):
        assert client.get(f"/public/targets/{ids.internal_target}/changes.atom").status_code == 404
        assert client.get(f"/public/targets/{ids.proposed_target}/changes.atom").status_code == 404
        assert client.get("/public/targets/999999/changes.atom").status_code == 404
    assert anonymous.get("/public/%E6%97%A0%E6%AD%A4%E5%9C%B0/2024/changes.atom").status_code == 404


def test_scorecard_links_the_feed(web) -> None:  # noqa: ANN001
    app, _ids = web
    html = login(app, "anonymous").get("/public/%E5%BC%A0%E5%BA%97%E5%8C%BA/2024").text
    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
    assert link and link.group(1) == FEED
    assert "订阅" in html and f'href="{FEED}"' in html
    # an empty feed (no status computed yet) is still a valid Atom document
    assert _entries(login(app, "anonymous").get(link.group(1)).content) == []
