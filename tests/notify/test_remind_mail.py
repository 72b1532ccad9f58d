"""`luoshi remind` against a REAL local SMTP server: one digest per recipient, idempotent per day."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from sqlalchemy import select

from luoshi.notify.remind import run_reminders
from luoshi.store.models import Notice, ProgressCheck, ProgressUpdate, ReminderLog

DAY = date(2024, 6, 26)


def body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_digest_one_mail_per_recipient(store, settings, plan, smtp_server):
    inbox, port = smtp_server
    mail_settings = settings.with_(smtp_host="127.0.0.1", smtp_port=port)
    summary = run_reminders(store, mail_settings, DAY)
    assert summary.failures == []
    assert sorted(summary.sent) == ["li@example.org", "office@example.org", "zhang@example.org"]
    assert summary.nothing_new == 1  # boss: no change yet
    assert len(inbox.messages) == 3
    assert sorted(r for _f, rcpts, _m in inbox.messages for r in rcpts) == sorted(summary.sent)
    [zhang] = inbox.to("zhang@example.org")
    assert zhang["Subject"] == "【落实】2024-06-26 督查提醒：2条新通知"
    assert "duchashi@example.org" in zhang["From"] and "张三" in zhang["To"]
    text = body(zhang)
    assert text.startswith("张三，您好")
    assert "【即将到期】「新建5G基站300座」的进展应于2024-06-28前报送" in text
    assert "【复核退回】" in text and "数据无佐证" in text
    assert f"http://127.0.0.1:8000/targets/{plan.c}" in text
    [li] = inbox.to("li@example.org")
    assert "催办" in body(li) and "2024-05-28" in body(li)
    [office] = inbox.to("office@example.org")
    assert "欠进度" in body(office) and "逾期未报" in body(office)

    # same day again: nothing new is sent
    again = run_reminders(store, mail_settings, DAY)
    assert again.sent == [] and again.already_sent == 3
    assert len(inbox.messages) == 3

    # next day, after A turns ahead: only its follower gets a mail, with only the new notice
    with store.session() as s:
        u = ProgressUpdate(target_id=plan.a, period=date(2024, 6, 26), reported_value=290)
        s.add(u)
        s.flush()
        s.add(ProgressCheck(update_id=u.id, decision="accepted"))
    nxt = run_reminders(store, mail_settings, date(2024, 6, 27))
    assert nxt.sent == ["boss@example.org"]
    [boss] = inbox.to("boss@example.org")
    assert "1条新通知" in boss["Subject"] and "由欠进度变为超进度" in body(boss)
    with store.session() as s:
        assert s.scalar(select(Notice).where(Notice.emailed_at.is_(None)).limit(1)) is None


def test_smtp_down_is_reported_and_retried(store, settings, plan, smtp_server):
    inbox, port = smtp_server
    dead = settings.with_(smtp_host="127.0.0.1", smtp_port=1)  # nothing listens there
    summary = run_reminders(store, dead, DAY)
    assert summary.sent == [] and len(summary.failures) == 3
    with store.session() as s:
        assert s.scalars(select(ReminderLog)).all() == []  # claims released: will be retried
    retry = run_reminders(store, settings.with_(smtp_host="127.0.0.1", smtp_port=port), DAY)
    assert len(retry.sent) == 3 and len(inbox.messages) == 3


def test_no_smtp_configured_only_notices(store, settings, plan):
    summary = run_reminders(store, settings, DAY)
    assert not summary.email_enabled and "e-mail off" in summary.describe()
    assert summary.refresh.notices == 6


def test_remind_cli_idempotent_with_real_smtp(store, settings, plan, smtp_server):
    inbox, port = smtp_server
    env = {
        **os.environ,
        "LUOSHI_SMTP_HOST": "127.0.0.1",
        "LUOSHI_SMTP_PORT": str(port),
        "LUOSHI_DATABASE_URL": settings.database_url,
    }
    store.dispose()

    def remind() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "luoshi", "remind", "--today", "2024-06-26"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    first = remind()
    assert first.returncode == 0, first.stderr
    assert "3 digests sent" in first.stdout and "3 status changes" in first.stdout
    assert len(inbox.messages) == 3
    second = remind()
    assert second.returncode == 0, second.stderr
    assert "0 digests sent, 3 already sent today" in second.stdout and "0 new notices" in second.stdout
    assert len(inbox.messages) == 3
    bad = subprocess.run(
        [sys.executable, "-m", "luoshi", "remind", "--today", "26/06/2024"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
