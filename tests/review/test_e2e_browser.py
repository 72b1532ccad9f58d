"""End to end: import two consecutive reports into a SQLite file, run the review from the
scorecard page in a real browser (Debian chromium via Playwright), see the verdicts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from luoshi.settings import Settings
from tests.support import CHROMIUM_ARGS, serve_in_thread

PASSWORD = "e2e-pass-12345"
REPORT_2023 = """示例区2023年政府工作报告

一、2022年工作回顾

过去一年，全区地区生产总值增长5.1%。

二、2023年主要目标任务

2023年全区经济社会发展的主要预期目标是：地区生产总值增长6%左右；城镇新增就业1.2万人以上；单位GDP能耗下降2.5%左右；城镇登记失业率控制在4.5%以内。

今年将新建5G基站500个，新增城市绿地20万平方米。
"""
REPORT_2024 = """示例区2024年政府工作报告

一、2023年工作回顾

过去一年，全区经济增长6.2%，新增城镇就业1.35万人，单位地区生产总值能耗降低3.6%。建成5G基站420个。

二、2024年主要目标任务

今年全区地区生产总值增长6%左右，城镇新增就业1.2万人以上。
"""


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    from luoshi.accounts.users import create_user
    from luoshi.store import open_store
    from luoshi.tracking.importer import import_report
    from luoshi.web.app import create_app

    for year, text in ((2023, REPORT_2023), (2024, REPORT_2024)):
        (tmp_path / f"示例区-{year}.txt").write_text(text, encoding="utf-8")
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'e2e.db'}",
        secret_key="e2e",
        upload_dir=str(tmp_path / "uploads"),
    )
    store = open_store(settings)
    with store.session() as s:
        for year in (2023, 2024):
            assert import_report(s, tmp_path / f"示例区-{year}.txt", "示例区", year, actor="test").created
        create_user(s, "admin", "admin", password=PASSWORD)
    with serve_in_thread(create_app(settings, store=store)) as base:
        yield base
    store.dispose()


def _row(page, indicator: str):  # noqa: ANN001, ANN202
    return page.locator(f"table.review-table tbody tr:has(td > b:text-is('{indicator}'))")


@pytest.mark.browser
def test_review_scorecard_in_browser(server: str, chromium_path: str, artifacts_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{server}/login")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{server}/review")
            page.click("text=2023 年目标完成情况")
            page.wait_for_selector("h1:has-text('2023 年政府工作报告目标完成情况')")
            page.click("button:has-text('开始评估')")
            page.wait_for_selector(".vbadge.v-exceeded")
            jobs = _row(page, "城镇新增就业")
            assert "超额完成" in jobs.inner_text()
            # the target figure and the outcome figure are both highlighted in their sentences
            marks = [m.inner_text() for m in jobs.locator("mark.fig").all()]
            assert any("1.2" in m for m in marks) and any("1.35" in m for m in marks)
            g5 = _row(page, "新建5G基站")
            assert "部分完成" in g5.inner_text() and "84%" in g5.inner_text()
            assert "未报告" in _row(page, "城镇登记失业率").inner_text()
            page.screenshot(path=str(artifacts_dir / "review-scorecard.png"), full_page=True)
            card_url = page.url
            # multi-year view of one indicator, as a server-rendered SVG chart
            jobs.locator("text=历年对比").click()
            page.wait_for_selector("svg.trend-chart rect.bar-outcome")
            # 2023: target and outcome; 2024: its own target, not yet reviewed
            assert page.locator("svg.trend-chart rect.bar-target").count() == 2
            assert page.locator("svg.trend-chart rect.bar-outcome").count() == 1
            page.screenshot(path=str(artifacts_dir / "review-trend.png"), full_page=True)
            page.goto(card_url)
            # a person overrides one verdict; it is kept when the review is re-run
            _row(page, "城镇登记失业率").locator("text=修改").click()
            page.select_option("select[name=verdict]", "met")
            page.fill("textarea[name=reason]", "统计公报显示登记失业率为3.9%")
            page.screenshot(path=str(artifacts_dir / "review-override.png"), full_page=True)
            page.click("button:has-text('保存')")
            page.wait_for_selector("h1:has-text('目标完成情况')")
            page.click("button:has-text('重新评估')")
            page.wait_for_selector(".vbadge.v-exceeded")
            kept = _row(page, "城镇登记失业率").inner_text()
            assert "已完成" in kept and "人工判定" in kept and "3.9%" in kept
            # printable page and a download
            page.goto(page.url + "/print")
            assert page.locator("table.review-table tbody tr").count() == 6
            assert "人工判定" in page.locator("table.review-table").inner_text()
            page.emulate_media(media="print")
            page.screenshot(path=str(artifacts_dir / "review-print.png"), full_page=True)
        finally:
            browser.close()
