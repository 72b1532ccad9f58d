"""The office's loop in a real browser (Debian chromium via Playwright) against uvicorn and demo data:
a department reports, the office sees it in 待办 and passes it in one click, assigns targets in
bulk (preview, confirm, undo from the audit entry); the 填报员's 本单位待办; pages at 390 px wide
scroll no sideways and show the status in every list; the 大屏. Screenshots go to artifacts_dir."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import AuditLog, Department, Target, User
from tests.support import CHROMIUM_ARGS, serve_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture()
def office(tmp_path: Path) -> Iterator[tuple[str, Any, Settings]]:
    from luoshi.tracking.demo import prepare_demo
    from luoshi.web.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'office.db'}",
        upload_dir=str(tmp_path / "up"),
        demo=True,
        secret_key="office-browser-test",
    )
    store = open_store(settings)
    settings, _users = prepare_demo(store, settings)
    with serve_in_thread(create_app(settings, store=store)) as base:
        yield base, store, settings
    store.dispose()


def _login(page: Any, base: str, user: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "demo")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: scrollWidth {width} > {PHONE['width']}"


def _own_target(store: Any) -> int:
    with store.session() as s:
        dept = s.scalar(select(User.department_id).where(User.username == "reporter"))
        tid = s.scalar(
            select(Target.id)
            .where(
                Target.lead_department_id == dept, Target.review_state == "accepted", Target.kind == "count"
            )
            .order_by(Target.id)
        )
    assert tid is not None
    return int(tid)


def test_office_loop_inbox_bulk_and_undo(office, chromium_path: str, artifacts_dir: Path) -> None:  # noqa: ANN001
    from playwright.sync_api import expect, sync_playwright

    base, store, _settings = office
    target_id = _own_target(store)
    shots = artifacts_dir
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        # 1. the 填报员 reports on a phone: 填报 comes before the history, nothing scrolls sideways
        rep = browser.new_page(viewport=PHONE, locale="zh-CN")
        _login(rep, base, "reporter")
        rep.goto(f"{base}/inbox")
        expect(rep.locator("h1")).to_contain_text("本单位待办")
        _no_sideways_scroll(rep)
        rep.screenshot(path=str(shots / "g11-inbox-department-390.png"), full_page=True)
        rep.goto(f"{base}/targets/{target_id}")
        form_y = rep.locator("#report").bounding_box()["y"]
        history_y = rep.locator("h2", has_text="进展填报").bounding_box()["y"]
        assert form_y < history_y, "on a phone the report form comes before the history"
        _no_sideways_scroll(rep)
        rep.fill("#report input[name=value]", "7")
        rep.fill("#report textarea[name=narrative]", "浏览器测试：本月进展")
        rep.click("#report button[type=submit]")
        rep.wait_for_load_state()
        rep.screenshot(path=str(shots / "g11-target-390.png"), full_page=True)

        # 2. the office: the new report waits in 待办 (badge in the nav), passed in one click
        adm = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        _login(adm, base, "admin")
        expect(adm.locator("nav.mainnav a[href='/inbox'] .count")).to_be_visible()
        adm.click("nav.mainnav >> text=待办")
        expect(adm.locator("#awaiting")).to_contain_text("待复核")
        row = adm.locator("#awaiting tr", has=adm.locator(f"a[href='/targets/{target_id}']")).last
        expect(row).to_be_visible()
        adm.screenshot(path=str(shots / "g11-inbox-office.png"), full_page=True)
        before = adm.locator("#awaiting tbody tr").count()
        row.locator("button", has_text="通过").click()
        adm.wait_for_load_state()
        assert adm.url.endswith("/inbox")
        assert adm.locator("#awaiting tbody tr").count() == before - 1
        # one-click 催办 of an overdue report
        adm.locator("#overdue button", has_text="催办").first.click()
        adm.wait_for_load_state()
        expect(adm.locator("#overdue .ok")).to_contain_text("已催办")
        adm.goto(base + "/notices")
        expect(adm.locator("details.digest", has_text="新报送待复核")).to_be_visible()

        # 3. bulk: tick two targets, assign a lead department, preview, confirm, undo
        adm.goto(base + "/targets")
        boxes = adm.locator("input[name=ids][data-group=t]")
        picked = [int(boxes.nth(i).get_attribute("value")) for i in (0, 1)]
        for i in (0, 1):
            boxes.nth(i).check()
        with store.session() as s:
            before_leads = {
                t.id: t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(picked)))
            }
            lead = s.scalar(
                select(Department)
                .where(Department.id.not_in([d for d in before_leads.values() if d is not None]))
                .order_by(Department.id)
            )
            lead_id, lead_name = lead.id, lead.name
        adm.select_option("#bulk select[name=action]", "assign")
        adm.select_option("#bulk select[name=lead]", str(lead_id))
        expect(adm.locator("#bulk select[name=cadence]")).to_be_hidden()  # only the chosen action's fields
        adm.click("#bulk button[type=submit]")
        adm.wait_for_load_state()
        expect(adm.locator("h1")).to_contain_text("确认批量操作")
        expect(adm.locator("main")).to_contain_text("将改动 2 项")
        expect(adm.locator("main table")).to_contain_text(lead_name)
        adm.screenshot(path=str(shots / "g11-bulk-confirm.png"), full_page=True)
        with store.session() as s:  # nothing changed before the confirmation
            assert {
                t.id: t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(picked)))
            } == before_leads
        adm.click("form.confirm button[type=submit]")
        adm.wait_for_load_state()
        expect(adm.locator("h1")).to_contain_text("批量操作记录")
        audit_id = int(re.search(r"/bulk/(\d+)$", adm.url).group(1))  # type: ignore[union-attr]
        with store.session() as s:
            assert {t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(picked)))} == {
                lead_id
            }
            assert s.get(AuditLog, audit_id).object_type == "bulk"
        # the way back: from the audit trail's entry
        adm.goto(base + "/admin/audit?object_type=bulk")
        adm.click(f"a[href='/bulk/{audit_id}']")
        adm.click("text=撤销这次批量操作")
        adm.wait_for_load_state()
        expect(adm.locator("main")).to_contain_text("已撤销")
        adm.screenshot(path=str(shots / "g11-bulk-undone.png"), full_page=True)
        with store.session() as s:
            assert {
                t.id: t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(picked)))
            } == before_leads

        # 4. phones: every list shows its status, no page scrolls sideways
        phone = browser.new_page(viewport=PHONE, locale="zh-CN")
        _login(phone, base, "admin")
        for path, name in (
            ("/inbox", "inbox-office"),
            ("/targets", "targets"),
            ("/notices", "notices"),
            ("/admin/departments", "departments"),
            ("/admin/import", "import"),
            ("/account", "account"),
            (f"/targets/{target_id}", "target-admin"),
            ("/", "overview"),
        ):
            phone.goto(base + path)
            _no_sideways_scroll(phone)
            phone.screenshot(path=str(shots / f"g11-{name}-390.png"), full_page=True)
        phone.goto(base + "/targets")
        first = phone.locator("table.data tbody tr").first
        badge = first.locator(".badge[class*='st-']")
        expect(badge).to_be_visible()
        box = badge.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]

        # every list sorts by its columns (here in the browser, by clicking a header)
        adm.goto(base + "/admin/departments")
        header = adm.locator("table.data th", has_text="牵头目标")
        header.click()
        header.click()  # second click: descending
        counts = [int(x) for x in adm.locator("table.data tbody tr td:nth-child(2)").all_inner_texts()]
        assert counts == sorted(counts, reverse=True) and len(counts) > 3
        assert header.get_attribute("aria-sort") == "descending"

        # 5. the 大屏: full screen, reloads itself, states its date
        adm.goto(base + "/screen")
        expect(adm.locator("h1")).to_contain_text("目标落实情况")
        expect(adm.locator(".screen-head")).to_contain_text("数据截至")
        assert adm.locator("meta[http-equiv=refresh]").get_attribute("content") == "60"
        adm.set_viewport_size({"width": 1920, "height": 1080})
        adm.screenshot(path=str(shots / "g11-screen.png"), full_page=True)
        browser.close()
