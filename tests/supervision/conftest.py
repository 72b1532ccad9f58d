"""Fixtures of the 督查督办 tests: a real store (SQLite file or a PostgreSQL schema), a small plan
with controlled dates, and a local HTTP receiver standing in for the group robots."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from luoshi.accounts.users import create_user
from luoshi.settings import Settings
from luoshi.store import Store, open_store
from luoshi.store.models import (
    Comment,
    Department,
    Jurisdiction,
    ProgressCheck,
    ProgressUpdate,
    Report,
    Target,
)

TODAY = "2024-07-10"
TEXT = "2024年主要目标：新建5G基站100座以上。新增城镇就业100人以上。改造老旧小区100个。这些目标要全力完成。"


@pytest.fixture
def settings(db_url: str, tmp_path) -> Settings:  # noqa: ANN001
    return Settings(
        database_url=db_url,
        today=TODAY,
        upload_dir=str(tmp_path / "up"),
        secret_key="s",
        base_url="http://luoshi.example",
        webhook_attempts=3,
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    st = open_store(settings)
    yield st
    st.dispose()


@dataclass
class Plan:
    report: int
    t1: int  # 区发改局: June reported on time (accepted), ahead
    t2: int  # 区发改局: June reported late, first returned, then a correction accepted: far behind
    t3: int  # 区工信局: June never reported
    fagai: int
    gongxin: int
    comment: str = "请加快进度，月底前报送。"
    users: dict[str, int] = field(default_factory=dict)


def _span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def build_plan(store: Store) -> Plan:
    with store.session() as s:
        place = Jurisdiction(name="张店区")
        report = Report(
            jurisdiction=place, year=2024, title="2024年张店区政府工作报告", text=TEXT, sha256="f" * 64
        )
        fagai, gongxin = Department(name="区发改局"), Department(name="区工信局")
        s.add_all([place, report, fagai, gongxin])
        s.flush()
        office = create_user(s, "office", "admin", password="pw-office-1")
        zhang = create_user(s, "zhang", "reporter", department=fagai, password="pw-zhang-1")
        create_user(s, "li", "reporter", department=gongxin, password="pw-li-123")
        boss = create_user(s, "boss", "leader", password="pw-boss-12", display_name="王区长")

        def target(title: str, sentence: str, lead: Department) -> Target:
            a, b = _span(sentence)
            t = Target(
                report=report,
                title=title,
                indicator=title,
                target_value=100,
                unit="个",
                kind="count",
                review_state="accepted",
                lead_department_id=lead.id,
                public=True,
                span_start=a,
                span_end=b,
                sentence_start=a,
                sentence_end=b,
            )
            s.add(t)
            return t

        t1 = target("新建5G基站100座以上", "新建5G基站100座以上。", fagai)
        t2 = target("新增城镇就业100人以上", "新增城镇就业100人以上。", fagai)
        t3 = target("改造老旧小区100个", "改造老旧小区100个。", gongxin)
        s.flush()

        def update(
            t: Target,
            period: date,
            value: float,
            created: datetime,
            decision: str | None,
            supersedes: int | None = None,
        ) -> int:
            u = ProgressUpdate(
                target_id=t.id,
                period=period,
                reported_value=value,
                narrative="进展",
                author_id=zhang.id,
                author_name="zhang",
                created_at=created,
                supersedes_id=supersedes,
            )
            s.add(u)
            s.flush()
            if decision:
                s.add(
                    ProgressCheck(
                        update_id=u.id, decision=decision, by_id=office.id, at=created.replace(hour=18)
                    )
                )
            return u.id

        update(t1, date(2024, 6, 30), 60, datetime(2024, 6, 20, 9), "accepted")
        first = update(t2, date(2024, 6, 30), 5, datetime(2024, 7, 2, 9), "returned")
        update(t2, date(2024, 6, 30), 10, datetime(2024, 7, 3, 9), "accepted", supersedes=first)
        s.add(
            Comment(target_id=t1.id, user_id=boss.id, body=Plan.comment, created_at=datetime(2024, 6, 15, 10))
        )
        s.flush()
        return Plan(
            report.id,
            t1.id,
            t2.id,
            t3.id,
            fagai.id,
            gongxin.id,
            users={"office": office.id, "zhang": zhang.id, "boss": boss.id},
        )


@pytest.fixture
def plan(store: Store) -> Plan:
    return build_plan(store)


@dataclass
class Hit:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Receiver:
    """A loopback HTTP server: records every POST; ``answers[path]`` lists (status, json) to give
    in turn (the last one repeats); the default is the vendors' success answer."""

    base: str = ""
    hits: list[Hit] = field(default_factory=list)
    answers: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def at(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    import time

    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path)
            with rec.lock:
                rec.hits.append(Hit(parts.path, parse_qs(parts.query), dict(self.headers.items()), body))
                queue = rec.answers.get(parts.path) or [(200, {"errcode": 0, "errmsg": "ok", "code": 0})]
                status, answer = queue.pop(0) if len(queue) > 1 else queue[0]
            if rec.delay:
                time.sleep(rec.delay)
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

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
