"""``luoshi remind`` (for cron): refresh statuses and reminders, then send each recipient ONE digest.

Interface::

    run_reminders(store, settings, today=None) -> RemindSummary

1. :func:`luoshi.notify.events.refresh_statuses` as of ``today`` (committed): status_log rows and
   in-app notices (due soon, 催办, returned, status changes).
2. When ``settings.smtp_host`` is set: every active user with an e-mail address gets one digest
   of the notices addressed to them (directly, to their department or their role) created
   since their previous digest (at most the last 7 days), unless they already got one for
   ``today``. The ``reminder_log`` row (day, address, "digest") is written and committed BEFORE
   sending (its unique key makes two concurrent runs send once), and removed again if the SMTP
   server refuses, so the next run retries. Hence running it twice on a day sends nothing new.
3. 督办: reports missing ``settings.escalate_after_days`` past their due date become 督办单
   (:func:`luoshi.supervision.orders.escalate`, committed with their notices).
4. Group-robot webhooks: the notices not pushed yet go out (:func:`luoshi.supervision.webhooks.push_pending`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from luoshi.notify.events import RefreshResult, refresh_statuses, today_of
from luoshi.notify.mail import MailError, build_digest, send_messages
from luoshi.notify.notices import notices_for
from luoshi.settings import Settings
from luoshi.store.database import Store
from luoshi.store.models import Notice, ReminderLog, User, utcnow

__all__ = ["DIGEST", "RemindSummary", "run_reminders"]

DIGEST = "digest"
LOOKBACK = timedelta(days=7)


@dataclass
class RemindSummary:
    day: date
    refresh: RefreshResult
    email_enabled: bool
    sent: list[str] = field(default_factory=list)  # addresses
    already_sent: int = 0
    nothing_new: int = 0
    failures: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)  # numbers of the 督办单 issued
    webhook_report: str = ""

    def describe(self) -> str:
        head = (
            f"{self.day.isoformat()}: {self.refresh.targets} targets, {len(self.refresh.changes)} status "
            f"changes, {self.refresh.notices} new notices"
        )
        if self.orders:
            head += f"; {len(self.orders)} 督办单 issued: " + ", ".join(self.orders)
        if self.webhook_report:
            head += f"; webhooks: {self.webhook_report}"
        if not self.email_enabled:
            return head + "; e-mail off (LUOSHI_SMTP_HOST not set)"
        tail = (
            f"; {len(self.sent)} digests sent, {self.already_sent} already sent today, "
            f"{self.nothing_new} with nothing new"
        )
        if self.failures:
            tail += f"; {len(self.failures)} failed: " + "; ".join(self.failures)
        return head + tail


def _claim(store: Store, day: date, address: str, covered_until: datetime) -> bool:
    try:
        with store.session() as s:
            s.add(ReminderLog(day=day, recipient=address, kind=DIGEST, sent_at=covered_until))
        return True
    except IntegrityError:
        return False


def _release(store: Store, day: date, address: str) -> None:
    with store.session() as s:
        s.execute(
            delete(ReminderLog).where(
                ReminderLog.day == day, ReminderLog.recipient == address, ReminderLog.kind == DIGEST
            )
        )


def run_reminders(store: Store, settings: Settings, today: date | None = None) -> RemindSummary:
    day = today or today_of(settings)
    with store.session() as s:
        refresh = refresh_statuses(s, settings, day)
    summary = RemindSummary(day=day, refresh=refresh, email_enabled=bool(settings.smtp_host))
    from luoshi.supervision.orders import escalate
    from luoshi.supervision.webhooks import push_pending

    with store.session() as s:
        summary.orders = [o.number for o in escalate(s, settings, day)]
    summary.webhook_report = push_pending(store, settings).describe()
    if not settings.smtp_host:
        return summary
    with store.session() as s:
        recipients = [
            (u.id, (u.email or "").strip(), u.display_name or u.username)
            for u in s.scalars(
                select(User).where(User.active.is_(True), User.email.is_not(None)).order_by(User.id)
            )
            if (u.email or "").strip()
        ]
    for user_id, address, name in recipients:
        gathered_at = utcnow()  # the digest covers notices up to here; the next one starts from here
        with store.session() as s:
            if (
                s.scalar(
                    select(ReminderLog.id).where(
                        ReminderLog.day == day, ReminderLog.recipient == address, ReminderLog.kind == DIGEST
                    )
                )
                is not None
            ):
                summary.already_sent += 1
                continue
            previous = s.scalar(
                select(func.max(ReminderLog.sent_at)).where(
                    ReminderLog.recipient == address, ReminderLog.kind == DIGEST
                )
            )
            since = previous or (utcnow() - LOOKBACK)
            user = s.get(User, user_id)
            assert user is not None
            notices = list(reversed(notices_for(s, user, limit=None, since=since)))
            if not notices:
                summary.nothing_new += 1
                continue
            message = build_digest(settings, address, name, day, notices)
            notice_ids = [n.id for n in notices]
        if not _claim(store, day, address, gathered_at):
            summary.already_sent += 1
            continue
        try:
            send_messages(settings, [message])
        except MailError as exc:
            _release(store, day, address)
            summary.failures.append(f"{address}: {exc}")
            continue
        summary.sent.append(address)
        with store.session() as s:
            for notice in s.scalars(
                select(Notice).where(Notice.id.in_(notice_ids), Notice.emailed_at.is_(None))
            ):
                notice.emailed_at = utcnow()
    return summary
