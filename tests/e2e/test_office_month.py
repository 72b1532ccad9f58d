"""The office's month end to end, in a real browser (Debian chromium via Playwright) against uvicorn
on a fresh SQLite file: import → 采纳 → assign in bulk → the department reports → 复核 → overdue →
督办单 (Word file read back by python-docx) → the department reports → 办结 → the month's 通报 (Word)
→ the 考核 ranking (xlsx read back by openpyxl). Group-robot messages go to a loopback receiver
that checks each DingTalk signature.

Time passing cannot be clicked: the server is started with the day pinned (Settings.today) and
restarted with a later day on the same database (sessions live in the database, so the browsers
stay logged in); `luoshi remind` runs through the CLI, as cron would run it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import Department as _Dept
from luoshi.store.models import Report, Target
from tests.support import CHROMIUM_ARGS, serve_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DAY_ONE = "2024-01-28"  # January's report is due today (the 28th): due, not yet late
DAY_TWO = "2024-02-08"  # 11 days later: a missing January report has become a 督办单
SECRETS = {"/ding-office": "SECoffice-e2e", "/ding-fagai": "SECfagai-e2e"}
ADMIN_PW, REPORTER_PW = "office-pw-2024", "fagai-pw-2024"


@dataclass
class DingHit:
    path: str
    signed: bool
    body: dict[str, Any]


@dataclass
class DingReceiver:
    """A loopback stand-in for DingTalk's robot: checks timestamp + sign of every POST."""

    base: str = ""
    hits: list[DingHit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self, path: str) -> list[str]:
        with self.lock:
            return [h.body["markdown"]["text"] for h in self.hits if h.path == path]


def _ding_signed(path: str, query: dict[str, list[str]]) -> bool:
    secret = SECRETS.get(path)
    ts, sign = (query.get("timestamp") or [""])[0], (query.get("sign") or [""])[0]
    if not secret or not ts.isdigit() or abs(int(ts) / 1000 - time.time()) > 3600:
        return False
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    return hmac.compare_digest(sign, base64.b64encode(digest).decode())


@pytest.fixture()
def ding() -> Iterator[DingReceiver]:
    rec = DingReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path)
            signed = _ding_signed(parts.path, parse_qs(parts.query))
            with rec.lock:
                rec.hits.append(DingHit(parts.path, signed, json.loads(raw.decode("utf-8"))))
            answer = (
                {"errcode": 0, "errmsg": "ok"} if signed else {"errcode": 310000, "errmsg": "sign not match"}
            )
            out = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    rec.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()


def _cli(*args: str, env: dict[str, str]) -> str:
    from typer.testing import CliRunner

    from luoshi.cli import app

    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _login(page: Any, base: str, user: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    width = page.viewport_size["width"]
    if width == PHONE["width"]:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, f"{page.url} scrolls sideways at 390 px ({scroll})"


def _confirm_bulk(page: Any, n: int) -> int:
    """On the confirm page: n changes listed, confirm, land on the audit entry; returns its id."""
    from playwright.sync_api import expect

    expect(page.locator("h1")).to_contain_text("确认批量操作")
    expect(page.locator("main")).to_contain_text(f"将改动 {n} 项")
    page.click("form.confirm button[type=submit]")
    page.wait_for_url("**/bulk/*")
    expect(page.locator("h1")).to_contain_text("批量操作记录")
    return int(page.url.rsplit("/", 1)[1])


def test_the_office_month(
    tmp_path: Path, chromium_path: str, artifacts_dir: Path, demo_report_path: Path, ding: DingReceiver
) -> None:
    from docx import Document
    from openpyxl import load_workbook
    from playwright.sync_api import expect, sync_playwright

    from luoshi.glossary import STATUS_LABELS

    shots = artifacts_dir / "e2e"
    shots.mkdir(exist_ok=True)
    db_url = f"sqlite:///{tmp_path / 'office.db'}"
    day_one = Settings(
        database_url=db_url,
        upload_dir=str(tmp_path / "up"),
        today=DAY_ONE,
        secret_key="e2e-office-month",
        login_max_failures=100,
    )
    env = {"LUOSHI_TODAY": DAY_TWO}
    # a fresh install: the first admin is made on the command line, as the README says
    _cli("user", "add", "office", "--role", "admin", "--password", ADMIN_PW, "--db", db_url, env=env)
    store = open_store(day_one)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        office = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
        desk = office.new_page()
        phone_ctx = browser.new_context(viewport=PHONE, locale="zh-CN")
        rep = phone_ctx.new_page()  # the 填报员 works on a phone

        # ---- day one (January's report due today) -----------------------------------------------
        with serve_in_thread(_app(day_one, store)) as base:
            _login(desk, base, "office", ADMIN_PW)
            # import the report in the browser: upload, year, preview
            desk.goto(base + "/admin/import")
            desk.set_input_files("input[name=report_file]", str(demo_report_path))
            desk.fill("input[name=jurisdiction]", "张店区")
            desk.fill("input[name=parent]", "淄博市")
            desk.fill("input[name=year]", "2024")
            desk.click("form[action='/admin/import'] button")
            expect(desk.locator("#result")).to_contain_text("张店区 2024年")
            expect(desk.locator("#result table tbody tr").first).to_contain_text("待审核")
            _shot(desk, shots, "import-preview")
            with store.session() as s:
                report = s.scalars(select(Report)).one()
                report_id, report_title, text = report.id, report.title, report.text
                picked = list(
                    s.scalars(
                        select(Target)
                        .where(
                            Target.report_id == report_id,
                            Target.kind == "count",
                            Target.comparator == ">=",
                            Target.baseline.is_(None),
                            Target.target_value > 0,
                        )
                        .order_by(Target.position, Target.id)
                        .limit(3)
                    )
                )
                assert len(picked) == 3, "the demo report has measurable count targets"
                ids = [t.id for t in picked]
                values = {t.id: float(t.target_value or 0) for t in picked}
                spans = {t.id: text[t.span_start : t.span_end] for t in picked}
            a, b, c = ids

            # departments: the 牵头单位 list of a fresh install is empty; three at once
            desk.goto(base + "/admin/departments")
            desk.fill("form[action='/admin/departments'] textarea[name=name]", "区发改局\n区工信局\n区住建局")
            desk.click("form[action='/admin/departments'] button")
            expect(desk.locator("p.ok")).to_contain_text("已新增 3 个单位")
            # a 填报员 of 区发改局
            desk.goto(base + "/admin/users")
            new = desk.locator("form[action='/admin/users']")
            new.locator("input[name=username]").fill("fagai")
            new.locator("select[name=role]").select_option("reporter")
            new.locator("input[name=department]").fill("区发改局")
            new.locator("input[name=password]").fill(REPORTER_PW)
            new.locator("button").click()
            expect(desk.locator("table.data")).to_contain_text("fagai")
            # DingTalk robots, signed: the office's and 区发改局's, both at the local receiver
            for path, dept in (("/ding-office", ""), ("/ding-fagai", "区发改局")):
                desk.goto(base + "/admin/webhooks")
                desk.select_option("select[name=kind]", "dingtalk")
                desk.fill("input[name=url]", f"{ding.base}{path}?access_token=tok")
                desk.fill("input[name=secret]", SECRETS[path])
                desk.select_option("select[name=department]", dept)
                desk.click("form[action='/admin/webhooks'] button[type=submit]")
            expect(desk.locator("table.data tbody tr")).to_have_count(2)

            # 审核: tick three proposals, 采纳所选 → confirm
            desk.goto(f"{base}/queue?report={report_id}")
            for tid in ids:
                desk.check(f"input[name=ids][value='{tid}']")
            desk.click("#bulk-accept button")
            _confirm_bulk(desk, 3)
            # 交办 in bulk from the targets list: two to 区发改局, one to 区工信局
            with store.session() as s:
                dept_ids = dict(s.execute(select(_Dept.name, _Dept.id)).all())
            for group, name in (([a, b], "区发改局"), ([c], "区工信局")):
                desk.goto(f"{base}/targets?report={report_id}")
                for tid in group:
                    desk.check(f"input[name=ids][data-group=t][value='{tid}']")
                desk.select_option("#bulk select[name=action]", "assign")
                desk.select_option("#bulk select[name=lead]", str(dept_ids[name]))
                desk.click("#bulk button[type=submit]")
                expect(desk.locator("main table")).to_contain_text(name)
                if name == "区发改局":
                    _shot(desk, shots, "bulk-confirm")
                _confirm_bulk(desk, len(group))
            with store.session() as s:
                leads = {
                    t.id: t.lead_department_id for t in s.scalars(select(Target).where(Target.id.in_(ids)))
                }
            assert leads == {a: dept_ids["区发改局"], b: dept_ids["区发改局"], c: dept_ids["区工信局"]}
            desk.goto(f"{base}/targets?report={report_id}")
            _shot(desk, shots, "targets")

            # the 填报员: its inbox lists both targets due today; it reports on one
            _login(rep, base, "fagai", REPORTER_PW)
            rep.goto(base + "/inbox")
            expect(rep.locator("h1")).to_contain_text("本单位待办")
            expect(rep.locator("h1")).to_contain_text("区发改局")
            due = rep.locator("#due tbody tr")
            expect(due).to_have_count(2)
            for tid in (a, b):
                expect(rep.locator(f"#due a[href='/targets/{tid}']")).to_be_visible()
            expect(rep.locator(f"#due a[href='/targets/{c}']")).to_have_count(0)
            expect(due.first).to_contain_text("2024-01-28 前")  # due today: not yet late
            expect(rep.locator("#due .late")).to_have_count(0)
            _shot(rep, shots, "inbox-department-390")
            rep.locator(f"#due tr:has(a[href='/targets/{a}']) a.btn").click()
            rep.wait_for_url(f"**/targets/{a}*")
            rep.fill("#report input[name=value]", f"{0.5 * values[a]:g}")
            rep.fill("#report textarea[name=narrative]", "一月进展：已完成年度任务一半。")
            rep.click("#report button[type=submit]")
            expect(rep.locator("main")).to_contain_text("一月进展")
            _shot(rep, shots, "target-reported-390")

            # the office: the report waits in 待办 and is passed in one click (复核)
            desk.goto(base + "/inbox")
            row = desk.locator("#awaiting tbody tr", has=desk.locator(f"a[href='/targets/{a}']"))
            expect(row).to_have_count(1)
            expect(desk.locator("#overdue")).to_contain_text("没有逾期未报的目标")  # due today, not late
            _shot(desk, shots, "inbox-office")
            row.locator("button", has_text="通过").click()
            desk.wait_for_url("**/inbox")
            expect(desk.locator("#awaiting")).to_contain_text("没有待复核的进展")

        # ---- day two: time has passed; the nightly `luoshi remind` escalates ----------------------
        day_two = day_one.with_(today=DAY_TWO)
        with serve_in_thread(_app(day_two, store)) as base:
            env = {"LUOSHI_TODAY": DAY_TWO, "LUOSHI_BASE_URL": base}
            out = _cli("remind", "--db", db_url, env=env)
            assert "2 督办单 issued" in out, out
            desk.goto(base + "/orders")
            expect(desk.locator("h1")).to_have_text("督办单")
            rows = desk.locator("table.data tbody tr")
            expect(rows).to_have_count(2)
            b_row = rows.filter(has=desk.locator(f"a[href='/targets/{b}']"))
            c_row = rows.filter(has=desk.locator(f"a[href='/targets/{c}']"))
            expect(b_row).to_contain_text("区发改局")
            expect(b_row).to_contain_text("办理中")
            expect(c_row).to_contain_text("区工信局")
            b_number = b_row.locator("td").first.inner_text().strip()
            c_number = c_row.locator("td").first.inner_text().strip()
            assert {b_number, c_number} == {"督字〔2024〕1号", "督字〔2024〕2号"}
            _shot(desk, shots, "orders")
            b_row.locator("td a").first.click()
            expect(desk.locator("article.doc")).to_contain_text("督办依据")
            _shot(desk, shots, "order")
            with desk.expect_download() as got:
                desk.click("text=下载 Word")
            got.value.save_as(tmp_path / "order.docx")
            cells = {
                r.cells[0].text: r.cells[1].text
                for r in Document(str(tmp_path / "order.docx")).tables[0].rows
            }
            assert cells["编号"] == b_number
            assert cells["责任单位"] == "区发改局"
            assert cells["办理时限"] == "2024年2月13日前"  # order_time_limit_days (5) after the day
            assert cells["督办依据"].startswith(f"《{report_title}》")
            assert " ".join(spans[b].split()) in cells["督办依据"], "the basis quotes the source sentence"
            assert "2024-01-28" in cells["督办事项"] and "逾期11天" in cells["督办事项"]
            assert cells["办理情况"] == "办理中"

            # the robots: every POST signed as DingTalk documents it; each order reached its robot
            pushed = _wait_for(lambda: any(b_number in t for t in ding.texts("/ding-fagai")))
            assert pushed, f"no DingTalk message for {b_number}: {ding.texts('/ding-fagai')}"
            assert any(b_number in t and c_number in t for t in ding.texts("/ding-office"))
            assert not any(c_number in t for t in ding.texts("/ding-fagai")), (
                "区工信局's order went to 区发改局"
            )
            with ding.lock:
                assert ding.hits and all(h.signed for h in ding.hits)
                assert all(h.body["msgtype"] == "markdown" for h in ding.hits)

            # the 填报员 answers the order (on the phone): it is 办结 at once
            rep.goto(base + "/inbox")
            expect(rep.locator(f"#due tr:has(a[href='/targets/{b}'])")).to_contain_text("已逾期")
            rep.goto(f"{base}/targets/{b}")
            expect(rep.locator("section[aria-label=督办单]")).to_contain_text("办理中")
            rep.fill("#report input[name=value]", f"{0.5 * values[b]:g}")
            rep.fill("#report textarea[name=narrative]", "补报一月进展，说明逾期原因：统计口径调整。")
            rep.click("#report button[type=submit]")
            expect(rep.locator("section[aria-label=督办单]")).to_contain_text("已办结（2024-02-08）")
            _shot(rep, shots, "target-order-closed-390")
            desk.goto(base + "/inbox")
            desk.locator("#awaiting tbody tr", has=desk.locator(f"a[href='/targets/{b}']")).locator(
                "button", has_text="通过"
            ).click()
            desk.wait_for_url("**/inbox")
            desk.goto(base + "/orders")
            expect(rows.filter(has=desk.locator(f"a[href='/targets/{b}']"))).to_contain_text(
                "已办结（2024-02-08）"
            )
            expect(rows.filter(has=desk.locator(f"a[href='/targets/{c}']"))).to_contain_text("办理中")

            # the month's 通报 (February), on the page and as Word
            desk.goto(base + "/bulletin")
            desk.fill("input[name=month]", "2024-02")
            desk.click("text=生成通报")
            expect(desk.locator("article.doc h1")).to_contain_text("通报（2024年2月）")
            _shot(desk, shots, "bulletin")
            # the print-ready page shows every column of the department table, on screen and on paper
            for media in ("screen", "print"):
                desk.emulate_media(media=media)
                hidden = desk.evaluate(
                    "[...document.querySelectorAll('article.doc .tablewrap')]"
                    ".filter(w => w.scrollWidth > w.clientWidth + 1).length"
                )
                assert hidden == 0, f"a 通报 table is cut off ({media})"
            desk.emulate_media(media="screen")
            with desk.expect_download() as got:
                desk.click("text=下载 Word 通报")
            got.value.save_as(tmp_path / "bulletin.docx")
            doc = Document(str(tmp_path / "bulletin.docx"))
            paragraphs = [p.text for p in doc.paragraphs]
            assert "张店区" in paragraphs[0] and "（2024年2月）" in paragraphs[0]
            assert any("数据截至2024-02-08" in t and "3项目标" in t for t in paragraphs)
            status_table = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows[1:]}
            on_pace = sum(int(status_table[STATUS_LABELS[k]]) for k in ("done", "ahead", "on_pace"))
            assert on_pace == 2  # half done early in the year
            assert status_table[STATUS_LABELS["overdue"]] == "1"  # 区工信局 never reported
            assert sum(int(v) for v in status_table.values()) == 3
            depts = {r.cells[0].text: [x.text for x in r.cells] for r in doc.tables[1].rows}
            assert depts["单位"][1] == "牵头目标" and depts["单位"][-1] == "督办单未办结"
            assert depts["区发改局"][1] == "2" and depts["区发改局"][-1] == "0"
            assert depts["区工信局"][1] == "1" and depts["区工信局"][-1] == "1"
            assert "区住建局" not in depts  # no targets, no orders: not in the record
            assert any("本月发出督办单2件，办结1件" in t and "未办结1件" in t for t in paragraphs)
            issued = {r.cells[0].text: r.cells[1].text for r in doc.tables[-1].rows[1:]}
            assert issued == {b_number: "区发改局", c_number: "区工信局"}
            assert len(doc.inline_shapes) == 2  # the two charts

            # the 考核 ranking for February, on the page and as xlsx
            desk.goto(base + "/score")
            desk.fill("input[name=month]", "2024-02")
            desk.click("form >> text=计算")
            ranking = desk.locator("table[aria-label=考核排名] tbody tr")
            expect(ranking).to_have_count(2)
            expect(ranking.first).to_contain_text("区发改局")
            expect(desk.locator("section[aria-label=计分规则]")).to_contain_text("督查考核计分办法")
            _shot(desk, shots, "score")
            with desk.expect_download() as got:
                desk.click("text=导出 Excel")
            got.value.save_as(tmp_path / "score.xlsx")
            ws = load_workbook(str(tmp_path / "score.xlsx"))["考核排名"]
            table = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
            assert set(table) == {"区发改局", "区工信局"}
            # by hand from the bundled rule: no report fell due in February yet (on time: full 40);
            # 区发改局 both targets on pace or ahead (30), its one February report passed first time (20), no open
            # order (10); 区工信局 its target overdue (0), nothing checked (20), one open order (10 - 5)
            assert table["区发改局"][:3] == (1, "区发改局", 100)
            assert table["区工信局"][:3] == (2, "区工信局", 65)

            # phones: the supervision pages fit 390 px
            phone = office.new_page()
            phone.set_viewport_size(PHONE)
            for path, name in (
                ("/inbox", "inbox-office-390"),
                ("/orders", "orders-390"),
                ("/bulletin?month=2024-02", "bulletin-390"),
                ("/score?month=2024-02", "score-390"),
            ):
                phone.goto(base + path)
                _shot(phone, shots, name)
        browser.close()
    store.dispose()


def _wait_for(check: Any, timeout: float = 10.0) -> bool:
    """Poll ``check`` (webhooks go out from a background thread) in short steps."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def _app(settings: Settings, store: Any) -> Any:
    from luoshi.web.app import create_app

    return create_app(settings, store=store)
