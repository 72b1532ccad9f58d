"""督办单, 月度通报 and 考核排名 in a real browser (Debian chromium via Playwright) against uvicorn:
the office opens the orders, a print-ready 督办单 and its Word file, generates June's bulletin with
its charts and Word file, and the ranking with its xlsx. Screenshots at desktop and 390 px."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from luoshi.settings import Settings
from luoshi.store import open_store
from tests.support import CHROMIUM_ARGS, serve_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    from luoshi.notify.remind import run_reminders
    from luoshi.store.models import Comment, User
    from luoshi.web.app import create_app
    from tests.web.seed import seed

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'b.db'}",
        upload_dir=str(tmp_path / "up"),
        today="2024-07-10",
        secret_key="browser",
        login_max_failures=100,
    )
    store = open_store(settings)
    with store.session() as s:
        ids = seed(s, upload_dir=Path(settings.upload_dir))
        leader = s.query(User).filter_by(username="leader").one()
        s.add(
            Comment(
                target_id=ids.public_target,
                user_id=leader.id,
                body="要加快建设进度。",
                created_at=datetime(2024, 6, 12, 9),
            )
        )
    run_reminders(store, settings, date(2024, 7, 10))
    with serve_in_thread(create_app(settings, store=store)) as base:
        yield base, settings
    store.dispose()


def _login(page, base: str) -> None:  # noqa: ANN001
    from tests.web.seed import PASSWORD

    page.goto(base + "/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def _fits(page) -> bool:  # noqa: ANN001
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_orders_bulletin_and_score_pages(
    server, chromium_path: str, artifacts_dir: Path, tmp_path: Path
) -> None:
    from docx import Document
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    base, _settings = server
    shots = artifacts_dir / "supervision"
    shots.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        _login(page, base)
        page.click("nav.mainnav >> text=督办")
        expect(page.locator("h1")).to_have_text("督办单")
        rows = page.locator("table.data tbody tr")
        expect(rows).to_have_count(4)
        expect(rows.first).to_contain_text("办理中")
        page.screenshot(path=str(shots / "orders.png"), full_page=True)

        page.click("text=督字〔2024〕1号")
        sheet = page.locator("article.doc")
        for text in (
            "督办单",
            "督办事项",
            "责任单位",
            "办理时限",
            "督办依据",
            "2024年7月15日前",
            "张店区人民政府督查室",
        ):
            expect(sheet).to_contain_text(text)
        page.screenshot(path=str(shots / "order.png"), full_page=True)
        with page.expect_download() as got:
            page.click("text=下载 Word")
        path = tmp_path / "order.docx"
        got.value.save_as(path)
        cells = {r.cells[0].text: r.cells[1].text for r in Document(str(path)).tables[0].rows}
        assert cells["编号"] == "督字〔2024〕1号" and cells["办理时限"] == "2024年7月15日前"
        # printed, the page is the notice alone
        page.emulate_media(media="print")
        assert page.locator("header.topbar").is_hidden() and page.locator("article.doc").is_visible()
        page.emulate_media(media="screen")

        page.click("nav.subnav >> text=月度通报")
        page.fill("input[name=month]", "2024-06")
        page.click("text=生成通报")
        expect(page.locator("article.doc h1")).to_contain_text("通报（2024年6月）")
        images = page.locator("article.doc img.figure")
        expect(images).to_have_count(2)
        assert all(
            page.evaluate("(img) => img.complete && img.naturalWidth > 300", images.nth(i).element_handle())
            for i in range(2)
        )
        expect(page.locator("article.doc")).to_contain_text("要加快建设进度。")
        page.screenshot(path=str(shots / "bulletin.png"), full_page=True)
        with page.expect_download() as got:
            page.click("text=下载 Word 通报")
        path = tmp_path / "bulletin.docx"
        got.value.save_as(path)
        doc = Document(str(path))
        assert len(doc.inline_shapes) == 2
        assert "（2024年6月）" in doc.paragraphs[0].text
        assert any("要加快建设进度。" in p.text for p in doc.paragraphs)

        page.click("nav.subnav >> text=考核排名")
        page.click("form >> text=计算")
        ranking = page.locator("table[aria-label=考核排名] tbody tr")
        expect(ranking).to_have_count(3)
        expect(ranking.first.locator("ul.breakdown")).to_contain_text("按时报送率")
        expect(page.locator("section[aria-label=计分规则]")).to_contain_text("督查考核计分办法（默认）")
        first = ranking.first.locator("td").nth(1).inner_text().splitlines()[0]
        page.screenshot(path=str(shots / "score.png"), full_page=True)
        with page.expect_download() as got:
            page.click("text=导出 Excel")
        path = tmp_path / "score.xlsx"
        got.value.save_as(path)
        ws = load_workbook(str(path))["考核排名"]
        assert ws["B3"].value == first.strip() and ws["A3"].value == 1

        page.goto(base + "/admin/webhooks")
        page.select_option("select[name=kind]", "dingtalk")
        page.fill("input[name=url]", "https://oapi.dingtalk.com/robot/send?access_token=t")
        page.fill("input[name=secret]", "SECxyz")
        page.select_option("select[name=department]", "区发改局")
        page.click("form[action='/admin/webhooks'] button[type=submit]")
        expect(page.locator("table.data tbody tr").first).to_contain_text("钉钉")
        expect(page.locator("table.data tbody tr").first).to_contain_text("区发改局")
        page.screenshot(path=str(shots / "webhooks.png"), full_page=True)

        # phones: every page fits 390 px without sideways scrolling; the status stays visible
        phone = context.new_page()
        phone.set_viewport_size({"width": 390, "height": 844})
        for name, url in (
            ("orders", "/orders"),
            ("order", "/orders/1"),
            ("bulletin", "/bulletin?report_key=张店区|2024&month=2024-06"),
            ("score", "/score?report_key=张店区|2024"),
            ("webhooks", "/admin/webhooks"),
        ):
            phone.goto(base + url)
            phone.screenshot(path=str(shots / f"{name}-390.png"), full_page=True)
            assert _fits(phone), f"{url} scrolls sideways at 390 px"
        phone.goto(base + "/orders")
        expect(phone.locator("table.data tbody tr").first.locator("td").nth(1)).to_be_visible()
        browser.close()
