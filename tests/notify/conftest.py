"""A real SQLite store with a small plan, and a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from tests.support import free_port

from luoshi.accounts.users import create_user
from luoshi.settings import Settings
from luoshi.store import Store, open_store
from luoshi.store.models import (
    Department,
    Follow,
    Jurisdiction,
    ProgressCheck,
    ProgressUpdate,
    Report,
    Target,
)


@dataclass
class Inbox:
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        msg = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for _f, rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def settings(db_url) -> Settings:
    return Settings(database_url=db_url, smtp_sender="督查室 <duchashi@example.org>")


@pytest.fixture
def store(settings) -> Iterator[Store]:
    st = open_store(settings)
    yield st
    st.dispose()


@dataclass
class Plan:
    a: int
    b: int
    c: int
    d: int
    fagai: int
    gongxin: int
    users: dict[str, int]


def build_plan(store: Store) -> Plan:
    """Three accepted targets as of 2024-06-26 (序时进度 48%) and one still proposed.

    A (发改局, 300 基站, 60 accepted): behind; a report is due on 2024-06-28.
    B (工信局, no report at all): May's report is missing (催办), and June's is due.
    C (发改局, 290 of 300 accepted in June): ahead; a later version returned by 复核.
    """
    with store.session() as s:
        place = Jurisdiction(name="张店区")
        report = Report(jurisdiction=place, year=2024, text="……", sha256="x" * 64)
        fagai, gongxin = Department(name="区发改局"), Department(name="区工信局")
        s.add_all([place, report, fagai, gongxin])
        s.flush()
        admin = create_user(s, "office", "admin", email="office@example.org")
        r1 = create_user(
            s, "zhang", "reporter", department=fagai, email="zhang@example.org", display_name="张三"
        )
        create_user(s, "li", "reporter", department=gongxin, email="li@example.org")
        leader = create_user(s, "boss", "leader", email="boss@example.org")
        create_user(s, "quiet", "viewer")

        def target(title: str, lead: Department, state: str = "accepted") -> Target:
            t = Target(
                report=report,
                title=title,
                indicator="5G基站",
                target_value=300,
                unit="座",
                kind="count",
                review_state=state,
                lead_department_id=lead.id,
                public=True,
            )
            s.add(t)
            return t

        a = target("新建5G基站300座", fagai)
        b = target("新增规上工业企业300家", gongxin)
        c = target("改造老旧小区300个", fagai)
        d = target("尚未确认的目标", fagai, state="proposed")
        s.flush()

        def update(t: Target, period: date, value: float, decision: str | None, comment: str = "") -> None:
            u = ProgressUpdate(
                target_id=t.id,
                period=period,
                reported_value=value,
                narrative="进展顺利",
                author_id=r1.id,
                author_name="zhang",
            )
            s.add(u)
            s.flush()
            if decision:
                s.add(ProgressCheck(update_id=u.id, decision=decision, comment=comment, by_id=admin.id))

        update(a, date(2024, 5, 31), 60, "accepted")
        update(c, date(2024, 6, 20), 290, "accepted")
        update(c, date(2024, 6, 25), 295, "returned", "数据无佐证")
        s.add_all([Follow(user_id=leader.id, target_id=a.id), Follow(user_id=leader.id, target_id=b.id)])
        s.flush()
        return Plan(
            a.id,
            b.id,
            c.id,
            d.id,
            fagai.id,
            gongxin.id,
            {u: uid for u, uid in [("office", admin.id), ("zhang", r1.id), ("boss", leader.id)]},
        )


@pytest.fixture
def plan(store) -> Plan:
    return build_plan(store)
