"""End to end in a real browser (Debian chromium via Playwright) against uvicorn and demo data:
open the overview, find a target by search, log in as the reporter, add an update, have the
office accept it (复核), and see the target's status change. Screenshots go to artifacts_dir."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from luoshi.settings import Settings
from luoshi.store import open_store
from tests.support import CHROMIUM_ARGS, serve_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture()
def demo_server(tmp_path: Path) -> Iterator[tuple[str, object, Settings]]:
    from luoshi.tracking.demo import prepare_demo
    from luoshi.web.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'demo.db'}",
        upload_dir=str(tmp_path / "up"),
        demo=True,
        secret_key="browser-test",
    )
    store = open_store(settings)
    settings, _users = prepare_demo(store, settings)
    with serve_in_thread(create_app(settings, store=store)) as base:
        yield base, store, settings
    store.dispose()


def _pick_target(store, settings: Settings) -> tuple[int, str, float, str]:  # noqa: ANN001
    """A count target of the reporter's department that is not done yet: (id, search text, goal, status)."""
    from luoshi.accounts.users import get_user
    from luoshi.tracking.queries import list_targets

    with store.session() as s:
        reporter = get_user(s, "reporter")
        for v in list_targets(s, settings, department=reporter.department_id):
            t = v.target
            if (
                v.code not in ("done", "overdue")
                and t.kind == "count"
                and t.comparator == ">="
                and t.target_value
                and t.indicator
                and t.lead_department_id == reporter.department_id
            ):
                return t.id, t.indicator, float(t.target_value), v.status.label
    pytest.skip("demo data has no suitable target")


def _login(page, base: str, user: str) -> None:  # noqa: ANN001
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "demo")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def test_overview_search_update_and_status_change(
    demo_server, chromium_path: str, artifacts_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, store, settings = demo_server
    target_id, search, goal, status_before = _pick_target(store, settings)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        # anonymous visitors land on the public scorecard
        page.goto(base + "/")
        expect(page.locator("h1")).to_contain_text("目标落实情况")
        page.screenshot(path=str(artifacts_dir / "public.png"), full_page=True)

        _login(page, base, "reporter")
        expect(page.locator(".demo-banner")).to_contain_text("示例数据")
        expect(page.locator("h1")).to_contain_text("落实概览")
        expect(page.locator("svg.chart").first).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "overview.png"), full_page=True)

        page.click("nav.mainnav >> text=目标")
        page.fill("input[name=q]", search)
        page.click("form[role=search] button[type=submit]")
        page.screenshot(path=str(artifacts_dir / "targets.png"), full_page=True)
        page.click(f"a[href='/targets/{target_id}']")
        badge = page.locator("h1 .badge")
        expect(badge).to_have_text(status_before)

        # the reporter reports the whole target as reached
        form = page.locator(f"form[action='/targets/{target_id}/updates']")
        form.locator("input[name=value]").fill(str(int(goal)) if goal == int(goal) else str(goal))
        form.locator("textarea[name=narrative]").fill("浏览器测试：已全部完成")
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/targets/{target_id}$"))
        expect(page.locator(".timeline")).to_contain_text("浏览器测试：已全部完成")
        expect(page.locator(".timeline")).to_contain_text("待复核")
        page.screenshot(path=str(artifacts_dir / "target.png"), full_page=True)

        # the office accepts it (复核); the status is computed from accepted progress only
        page.locator("form[action='/logout'] button").click()
        _login(page, base, "admin")
        page.goto(f"{base}/targets/{target_id}")
        page.locator("form[action$='/check'] button[value=accepted]").first.click()
        page.wait_for_url(re.compile(rf"/targets/{target_id}$"))
        expect(page.locator("h1 .badge")).to_have_text("已完成")
        assert status_before != "已完成"

        page.goto(f"{base}/reports")
        page.locator("table.data a").first.click()
        expect(page.locator("mark.fig").first).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "source.png"), full_page=False)
        browser.close()
    for name in ("overview", "targets", "target", "source", "public"):
        assert (artifacts_dir / f"{name}.png").stat().st_size > 10_000


def test_public_scorecard_pager_at_desktop_and_phone_width(
    demo_server, chromium_path: str, artifacts_dir: Path
) -> None:
    """A scorecard with more public targets than a page: the pager's 下一页 leads to the rest, the
    counts stay those of every target, and both pages fit 390 px without sideways scrolling."""
    from playwright.sync_api import expect, sync_playwright
    from sqlalchemy import select

    from luoshi.store.models import Report, Target
    from luoshi.web.paging import PAGE_SIZE

    base, store, _settings = demo_server
    with store.session() as s:
        report = s.scalars(select(Report)).one()  # the demo's one report
        place, year = report.jurisdiction.name, report.year
        for i in range(PAGE_SIZE // 2):
            s.add(
                Target(
                    report_id=report.id,
                    title=f"改造提升背街小巷{i + 1}条",
                    indicator=f"背街小巷改造（第{i + 1}批）",
                    target_value=i + 1,
                    unit="条",
                    comparator=">=",
                    kind="count",
                    review_state="accepted",
                    origin="manual",
                    public=True,
                    position=10_000 + i,
                )
            )
    url = f"{base}/public/{place}/{year}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        for name, viewport in (
            ("desktop", {"width": 1280, "height": 900}),
            ("390", {"width": 390, "height": 844}),
        ):
            page = browser.new_page(viewport=viewport, locale="zh-CN")
            page.goto(url)
            rows = page.locator("table.data tbody tr")
            expect(rows).to_have_count(PAGE_SIZE)
            total = int(page.locator("h2#targets small").inner_text().split()[1])
            assert total > PAGE_SIZE
            stats = page.locator(".stats").inner_text()
            page.screenshot(path=str(artifacts_dir / f"public-page1-{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name

            page.locator("nav.pager >> text=下一页").click()
            page.wait_for_url(re.compile(r"\?page=2#targets$"))
            expect(rows).to_have_count(total - PAGE_SIZE)
            # it lands on the list (below the counts and the chart), not at the top of the page
            assert page.evaluate("window.scrollY") > 0, name
            top = page.evaluate("document.getElementById('targets').getBoundingClientRect().top")
            assert 0 <= top < page.evaluate("window.innerHeight") / 2, (name, top)
            expect(rows.last).to_contain_text(f"背街小巷改造（第{PAGE_SIZE // 2}批）")
            expect(page.locator("nav.pager .cur")).to_have_text("2")
            assert page.locator(".stats").inner_text() == stats  # every target's counts, not the page's
            page.screenshot(path=str(artifacts_dir / f"public-page2-{name}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
            page.close()
        browser.close()


def test_charts_keep_readable_labels_on_a_phone(demo_server, chromium_path: str, artifacts_dir: Path) -> None:
    """The public scorecard's and the overview's charts at 1280 and 390 px: one layout of each
    chart shows, and its labels render at 10 px or more (the wide layout scaled to a phone
    made them 7 px), inside the screen."""
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from luoshi.store.models import Report

    base, store, _settings = demo_server
    with store.session() as s:
        report = s.scalars(select(Report)).one()  # the demo's one report
        scorecard = f"{base}/public/{report.jurisdiction.name}/{report.year}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        for name, viewport, shown in (
            ("desktop", {"width": 1280, "height": 900}, "chart-wide"),
            ("390", {"width": 390, "height": 844}, "chart-narrow"),
        ):
            page = browser.new_page(viewport=viewport, locale="zh-CN")
            for where in ("public", "overview"):
                if where == "overview":
                    _login(page, base, "admin")
                else:
                    page.goto(scorecard)
                visible = page.locator("svg.chart:visible")
                assert visible.count() >= 1, (name, where)
                classes = visible.evaluate_all("els => els.map(e => e.getAttribute('class'))")
                assert all(shown in c for c in classes), (name, where, classes)
                sizes = visible.locator("text.lbl").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect().height)"
                )
                assert sizes and min(sizes) >= 10, (name, where, min(sizes))
                right = visible.evaluate_all(
                    "els => Math.max(...els.map(e => e.getBoundingClientRect().right))"
                )
                assert right <= viewport["width"], (name, where, right)
                page.screenshot(path=str(artifacts_dir / f"charts-{where}-{name}.png"), full_page=True)
            page.close()
        browser.close()
