"""Daily digest e-mails over SMTP (``settings.smtp_host``; e-mail is off when it is empty).

Interface::

    build_digest(settings, to, name, day, notices) -> EmailMessage   # one mail, all of the notices
    send_messages(settings, messages) -> int                         # one SMTP connection; sent count

Mails are plain text, UTF-8 (Chinese subject and body), From ``settings.smtp_sender``; STARTTLS
and login when configured.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable, Sequence
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from luoshi.errors import LuoshiError
from luoshi.notify.notices import KINDS
from luoshi.settings import Settings
from luoshi.store.models import Notice

__all__ = ["MailError", "build_digest", "digest_subject", "send_messages"]


class MailError(LuoshiError):
    """The SMTP server could not be reached or refused a message."""


def digest_subject(day: date, count: int) -> str:
    return f"【落实】{day.isoformat()} 督查提醒：{count}条新通知"


def build_digest(
    settings: Settings, to: str, name: str, day: date, notices: Sequence[Notice]
) -> EmailMessage:
    base = settings.base_url.rstrip("/")
    lines = [f"{name}，您好：", "", f"以下是 {day.isoformat()} 的督查通知（共{len(notices)}条）：", ""]
    for i, n in enumerate(notices, 1):
        lines.append(f"{i}. 【{KINDS.get(n.kind, n.kind)}】{n.message}")
        if n.link:
            lines.append(f"   {base}{n.link}")
    lines += [
        "",
        f"登录系统查看全部通知：{base}/",
        "",
        "—— 落实 luoshi（此邮件由系统自动发送，每日汇总一次）",
    ]
    msg = EmailMessage()
    msg["Subject"] = digest_subject(day, len(notices))
    msg["From"] = settings.smtp_sender
    msg["To"] = formataddr((name, to))
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="luoshi")
    msg.set_content("\n".join(lines), charset="utf-8")
    return msg


def send_messages(settings: Settings, messages: Iterable[EmailMessage]) -> int:
    """Send over one connection; raises MailError naming the server on failure."""
    batch = list(messages)
    if not batch:
        return 0
    if not settings.smtp_host:
        raise MailError("e-mail is not configured (set LUOSHI_SMTP_HOST)")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            for msg in batch:
                smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP server {where}: {exc}") from exc
    return len(batch)
