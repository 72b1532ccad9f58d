"""List pages page too: the 审核 queue and the public scorecard show 50 rows a page, with the
total and a pager; the scorecard's counts and chart cover every target."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urljoin

from luoshi.store.models import Target
from luoshi.web.paging import PAGE_SIZE

from .conftest import login


def test_queue_pages_of_fifty(web) -> None:  # noqa: ANN001
    app, ids = web
    with app.state.store.session() as s:
        for i in range(60):
            s.add(
                Target(
                    report_id=ids.report_id,
                    title=f"待审核目标{i:02d}",
                    review_state="proposed",
                    origin="extracted",
                    position=10_000 + i,
                )
            )
    admin = login(app, "admin")
    first = admin.get("/queue", params={"report": ids.report_id})
    assert first.status_code == 200
    total = 60 + 1  # and the seeded proposed target
    assert f"{total} 项待审核" in first.text and f"全部采纳（{total} 项）" in first.text
    assert first.text.count('<section class="card">') == 50 and 'aria-label="分页"' in first.text
    second = admin.get("/queue", params={"report": ids.report_id, "page": 2})
    assert second.text.count('<section class="card">') == total - 50
    assert "待审核目标59" in second.text and "待审核目标59" not in first.text
    beyond = admin.get("/queue", params={"report": ids.report_id, "page": 99})
    assert beyond.status_code == 200 and beyond.text.count('<section class="card">') == total - 50


def _add_public_targets(app, report_id: int, n: int) -> None:  # noqa: ANN001
    """``n`` public targets 公开分页目标00… in report order, whose target values are another order."""
    with app.state.store.session() as s:
        for i in range(n):
            s.add(
                Target(
                    report_id=report_id,
                    title=f"公开分页目标{i:02d}",
                    target_value=(i * 37) % n,
                    unit="个",
                    comparator=">=",
                    review_state="accepted",
                    origin="manual",
                    public=True,
                    position=20_000 + i,
                )
            )


def _stat_counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'<div class="stat st-(\w+)"><b>(\d+)</b>', html)}


def _chart(html: str) -> str:
    found = re.search(r"<svg.*?</svg>", html, re.S)
    assert found, "no chart on the page"
    return found.group(0)


def test_public_scorecard_pages_its_targets_and_counts_them_all(web) -> None:  # noqa: ANN001
    app, ids = web
    added = 60
    _add_public_targets(app, ids.report_id, added)
    anon = login(app, "anonymous")
    url = f"/public/{quote('张店区')}/2024"
    first = anon.get(url)
    assert first.status_code == 200
    total = len(anon.get(url + ".json").json()["targets"])  # the download stays complete
    assert total == added + 5  # and the five seeded public targets
    assert f"共 {total} 项 · 第 1/2 页" in first.text
    shown_first = re.findall(r"公开分页目标(\d\d)", first.text)
    assert len(shown_first) == PAGE_SIZE - 5 and "公开分页目标59" not in first.text

    # the counts and the per-area chart cover every public target, on every page
    counts = _stat_counts(first.text)
    assert sum(counts.values()) == total

    nxt = re.search(r'<a href="([^"]+)">下一页</a>', first.text)
    assert nxt, "no link to the next page"
    # below the counts and the chart: the link lands on the list itself, as do the sort links
    assert nxt.group(1).endswith("#targets") and 'id="targets"' in first.text
    assert re.search(r'class="sort" href="[^"]+#targets"', first.text)
    second = anon.get(urljoin(str(first.url), html.unescape(nxt.group(1))))
    assert second.status_code == 200 and "第 2/2 页" in second.text
    shown_second = re.findall(r"公开分页目标(\d\d)", second.text)
    assert len(shown_second) == total - PAGE_SIZE
    assert sorted(shown_first + shown_second) == [f"{i:02d}" for i in range(added)]
    assert _stat_counts(second.text) == counts and _chart(second.text) == _chart(first.text)
    assert '<span class="cur">2</span>' in second.text and "下一页" not in second.text

    csv_rows = anon.get(url + ".csv").text.lstrip("\ufeff").splitlines()
    assert len(csv_rows) == 1 + total

    # as on the other list pages: past the end shows the last page; not a number shows the first
    beyond = anon.get(url, params={"page": 99})
    assert beyond.status_code == 200 and '<span class="cur">2</span>' in beyond.text
    assert sorted(re.findall(r"公开分页目标(\d\d)", beyond.text)) == sorted(shown_second)
    junk = anon.get(url, params={"page": "x"})
    assert junk.status_code == 200 and re.findall(r"公开分页目标(\d\d)", junk.text) == shown_first


def test_public_scorecard_of_one_page_has_no_pager(web) -> None:  # noqa: ANN001
    app, _ids = web
    page = login(app, "anonymous").get(f"/public/{quote('张店区')}/2024")
    assert page.status_code == 200 and "共 5 项" in page.text and 'aria-label="分页"' not in page.text


def test_public_scorecard_sorts_every_target_before_paging(web) -> None:  # noqa: ANN001
    """A paged table sorts on the server: page 2 of 目标值 ▼ goes on where page 1 stops."""
    app, ids = web
    added = 60
    _add_public_targets(app, ids.report_id, added)
    anon = login(app, "anonymous")
    first = anon.get(f"/public/{quote('张店区')}/2024", params={"sort": "target", "dir": "desc"})
    assert "目标值 ▼" in first.text
    nxt = re.search(r'<a href="([^"]+)">下一页</a>', first.text)
    assert nxt and "sort=target" in nxt.group(1) and "dir=desc" in nxt.group(1)
    second = anon.get(urljoin(str(first.url), html.unescape(nxt.group(1))))
    shown = [int(n) for n in re.findall(r"公开分页目标(\d\d)", first.text + second.text)]
    assert [(i * 37) % added for i in shown] == list(range(added - 1, -1, -1))
