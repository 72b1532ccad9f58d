"""Group-robot webhooks: 企业微信 (WeCom), 钉钉 (DingTalk), 飞书 (Feishu/Lark) and plain JSON.

Interface::

    add_webhook(session, kind, url, secret=None, department=None, actor="system") -> Webhook
    list_webhooks(session) -> list[Webhook]
    remove_webhook(session, webhook_id, actor="system") -> None
    build_request(hook, notices, settings, now=None) -> (url, body_bytes)   # vendor format + signature
    push_pending(store, settings) -> PushSummary     # luoshi remind, and the web app's pusher thread
    install_pusher(app)                              # web: push after each write, outside the request

What goes where: a department's webhook gets the notices addressed to that department (due soon,
催办, 复核退回, 督办单); the office's (no department) gets those addressed to the office (逾期未报,
状态变化 to 欠进度/严重滞后, 督办单 issued and closed). Only notices created after the webhook was
added are pushed; each webhook gets ONE message per pass listing what is new (not a flood).

Formats (the vendors' documented custom-robot messages):
- wecom: ``{"msgtype": "markdown", "markdown": {"content": ...}}``; answer ``errcode`` 0.
- dingtalk: ``{"msgtype": "markdown", "markdown": {"title", "text"}}``; with a secret, the URL gets
  ``timestamp`` (ms) and ``sign`` = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")));
  answer ``errcode`` 0.
- feishu: ``{"msg_type": "text", "content": {"text": ...}}``; with a secret, the body also has
  ``timestamp`` (s) and ``sign`` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")); answer ``code`` 0.
- json: ``{"source": "luoshi", "events": [{"id", "kind", "kind_label", "message", "link", "target_id",
  "department_id", "created_at"}]}``; any 2xx answer; with a secret, header ``X-Luoshi-Signature`` =
  hex HMAC-SHA256(key=secret, msg=body).

Delivery (policy of this layer, not the web's): a pass claims its (webhook, notice) rows in
``webhook_deliveries`` first (the unique key makes concurrent passes send once), then POSTs with
up to ``settings.webhook_attempts`` tries (back-off 0.5 s, 1 s, ...); a failure is logged
(``logging`` and the row's ``error``, state ``failed``) and retried by the next pass, up to
``MAX_PASSES`` passes. A claim whose pass died before recording is taken over after ``STALE_CLAIM``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.notify.notices import KINDS
from luoshi.settings import Settings
from luoshi.store.audit import Actor, record_audit
from luoshi.store.database import Store
from luoshi.store.models import Department, Notice, Webhook, WebhookDelivery, utcnow

__all__ = [
    "KIND_LABELS",
    "MAX_PASSES",
    "PUSH_KINDS",
    "PushSummary",
    "add_webhook",
    "build_request",
    "dingtalk_sign",
    "feishu_sign",
    "install_pusher",
    "last_deliveries",
    "list_webhooks",
    "push_pending",
    "remove_webhook",
]

log = logging.getLogger("luoshi.webhooks")

KIND_LABELS = {"wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书", "json": "JSON"}
PUSH_KINDS = ("due_soon", "overdue", "overdue_report", "returned", "status_change", "supervision_order")
OFFICE_ROLE = "admin"
MAX_PASSES = 5
STALE_CLAIM = timedelta(minutes=10)  # a claim older than this (its pass died) may be taken over
MAX_LINES = 30  # a group message lists at most this many notices (the rest: "另有N条")
TITLE = "落实·督查提醒"


def add_webhook(
    session: Session,
    kind: str,
    url: str,
    secret: str | None = None,
    department: str | None = None,
    actor: Actor = "system",
) -> Webhook:
    kind = (kind or "").strip().lower()
    if kind not in KIND_LABELS:
        raise InputError(f"未知的 webhook 类型 {kind!r}：应为 wecom、dingtalk、feishu 或 json")
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"webhook 地址 {url!r} 无效：应以 http:// 或 https:// 开头")
    dept: Department | None = None
    if department:
        dept = session.scalar(select(Department).where(Department.name == department.strip()))
        if dept is None:
            raise NotFoundError(f"没有名为 {department!r} 的单位")
    hook = Webhook(
        kind=kind,
        url=url,
        secret=(secret or "").strip() or None,
        department_id=dept.id if dept else None,
        active=True,
        created_at=utcnow(),
    )
    session.add(hook)
    session.flush()
    record_audit(
        session,
        actor,
        "webhook.add",
        "webhook",
        hook.id,
        after={
            "kind": kind,
            "url": _masked(url),
            "department": dept.name if dept else None,
            "signed": bool(hook.secret),
        },
    )
    return hook


def list_webhooks(session: Session) -> list[Webhook]:
    return list(session.scalars(select(Webhook).order_by(Webhook.id)))


def remove_webhook(session: Session, webhook_id: int, actor: Actor = "system") -> None:
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFoundError(f"没有编号为 {webhook_id} 的 webhook")
    record_audit(
        session,
        actor,
        "webhook.remove",
        "webhook",
        hook.id,
        before={"kind": hook.kind, "url": _masked(hook.url), "department_id": hook.department_id},
    )
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    session.delete(hook)


def _masked(url: str) -> str:
    """The URL without its query (robot tokens live there): safe for the audit trail."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 HMAC-SHA256 of ``timestamp\\nsecret`` keyed by the secret (not yet URL-encoded)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's 签名校验: base64 HMAC-SHA256 keyed by ``timestamp\\nsecret`` of an empty message."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _lines(notices: Sequence[Notice], settings: Settings, markdown: bool) -> list[str]:
    base = settings.base_url.rstrip("/")
    out = []
    for n in notices[:MAX_LINES]:
        label = KINDS.get(n.kind, n.kind)
        link = f"{base}{n.link}" if n.link else ""
        if markdown:
            out.append(f"- 【{label}】{n.message}" + (f" [查看]({link})" if link else ""))
        else:
            out.append(f"【{label}】{n.message}" + (f" {link}" if link else ""))
    if len(notices) > MAX_LINES:
        out.append(f"另有{len(notices) - MAX_LINES}条，请登录系统查看。")
    return out


def build_request(
    hook: Webhook, notices: Sequence[Notice], settings: Settings, now: float | None = None
) -> tuple[str, bytes, dict[str, str]]:
    """(url, JSON body, extra headers) of one message listing ``notices`` in ``hook``'s format."""
    now = time.time() if now is None else now
    head = f"{TITLE}（{len(notices)}条）"
    url = hook.url
    headers: dict[str, str] = {}
    payload: dict[str, Any]
    if hook.kind == "wecom":
        payload = {
            "msgtype": "markdown",
            "markdown": {"content": "\n".join([f"**{head}**", *_lines(notices, settings, True)])},
        }
    elif hook.kind == "dingtalk":
        payload = {
            "msgtype": "markdown",
            "markdown": {
                "title": head,
                "text": "\n".join([f"#### {head}", *_lines(notices, settings, True)]),
            },
        }
        if hook.secret:
            ts = int(round(now * 1000))
            query = urllib.parse.urlencode({"timestamp": ts, "sign": dingtalk_sign(hook.secret, ts)})
            url += ("&" if "?" in url else "?") + query
    elif hook.kind == "feishu":
        payload = {
            "msg_type": "text",
            "content": {"text": "\n".join([head, *_lines(notices, settings, False)])},
        }
        if hook.secret:
            ts = int(now)
            payload = {"timestamp": str(ts), "sign": feishu_sign(hook.secret, ts), **payload}
    else:
        payload = {
            "source": "luoshi",
            "events": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "kind_label": KINDS.get(n.kind, n.kind),
                    "message": n.message,
                    "link": f"{settings.base_url.rstrip('/')}{n.link}" if n.link else None,
                    "target_id": n.target_id,
                    "department_id": n.recipient_department_id,
                    "created_at": n.created_at.isoformat(),
                }
                for n in notices
            ],
        }
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    if hook.kind == "json" and hook.secret:
        headers["X-Luoshi-Signature"] = hmac.new(hook.secret.encode(), body, hashlib.sha256).hexdigest()
    return url, body, headers


class _Refused(Exception):
    pass


def _post(url: str, body: bytes, headers: dict[str, str], kind: str, timeout: float) -> None:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked on add
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise _Refused(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise _Refused(f"连接失败：{getattr(exc, 'reason', exc)}") from exc
    if kind == "json":
        return
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except ValueError as exc:
        raise _Refused(f"回应不是 JSON：{raw[:100]!r}") from exc
    code = answer.get("code", answer.get("errcode", 0)) if isinstance(answer, dict) else 0
    if code not in (0, "0", None):
        raise _Refused(f"机器人拒绝：{answer.get('msg') or answer.get('errmsg') or code}")


@dataclass
class PushSummary:
    sent: int = 0  # messages
    notices: int = 0
    failed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = f"{self.sent} messages ({self.notices} notices) pushed"
        if self.failed:
            text += f", {len(self.failed)} failed (retried next run): " + "; ".join(self.failed)
        return text


def _pending(session: Session, hook: Webhook) -> list[Notice]:
    cutoff = utcnow() - STALE_CLAIM
    done = select(WebhookDelivery.notice_id).where(
        WebhookDelivery.webhook_id == hook.id,
        or_(
            WebhookDelivery.state == "sent",
            and_(WebhookDelivery.state == "pending", WebhookDelivery.at >= cutoff),
            WebhookDelivery.attempts >= MAX_PASSES,
        ),
    )
    query = (
        select(Notice)
        .where(Notice.kind.in_(PUSH_KINDS), Notice.created_at >= hook.created_at, Notice.id.not_in(done))
        .order_by(Notice.id)
    )
    if hook.department_id is None:
        query = query.where(Notice.recipient_role == OFFICE_ROLE)
    else:
        query = query.where(Notice.recipient_department_id == hook.department_id)
    return list(session.scalars(query))


def _claim(store: Store, hook_id: int, notice_ids: list[int]) -> bool:
    """Mark the rows ``pending`` (new, or failed before) in one commit; False if another pass has them."""
    try:
        with store.session() as s:
            known = {
                d.notice_id: d
                for d in s.scalars(
                    select(WebhookDelivery).where(
                        WebhookDelivery.webhook_id == hook_id, WebhookDelivery.notice_id.in_(notice_ids)
                    )
                )
            }
            cutoff = utcnow() - STALE_CLAIM
            if any(
                row.state == "sent" or (row.state == "pending" and row.at >= cutoff) for row in known.values()
            ):
                return False
            for nid in notice_ids:
                row = known.get(nid)
                if row is None:
                    s.add(WebhookDelivery(webhook_id=hook_id, notice_id=nid, state="pending", attempts=0))
                else:  # failed before, or claimed by a pass that died before recording
                    row.state, row.at = "pending", utcnow()
        return True
    except IntegrityError:
        return False


def _record(store: Store, hook_id: int, notice_ids: list[int], error: str | None) -> None:
    with store.session() as s:
        for row in s.scalars(
            select(WebhookDelivery).where(
                WebhookDelivery.webhook_id == hook_id, WebhookDelivery.notice_id.in_(notice_ids)
            )
        ):
            row.attempts += 1
            row.state = "failed" if error else "sent"
            row.error = error
            row.at = utcnow()


def push_pending(store: Store, settings: Settings) -> PushSummary:
    """Send every active webhook the notices new to it (see the module docstring). Never raises
    for a failed server: the failure is logged and retried next time."""
    summary = PushSummary()
    with store.session() as s:
        hooks = [
            h.id for h in s.scalars(select(Webhook).where(Webhook.active.is_(True)).order_by(Webhook.id))
        ]
    for hook_id in hooks:
        with store.session() as s:
            hook = s.get(Webhook, hook_id)
            if hook is None:
                continue
            notices = _pending(s, hook)
            if not notices:
                continue
            url, body, headers = build_request(hook, notices, settings)
            kind, where, ids = hook.kind, _masked(hook.url), [n.id for n in notices]
            s.expunge_all()
        if not _claim(store, hook_id, ids):
            continue
        error: str | None = None
        for attempt in range(max(1, settings.webhook_attempts)):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
                with store.session() as s:  # a DingTalk/Feishu signature is only good for a while
                    hook = s.get(Webhook, hook_id)
                    if hook is not None:
                        url, body, headers = build_request(hook, notices, settings)
            try:
                _post(url, body, headers, kind, settings.webhook_timeout)
                error = None
                break
            except _Refused as exc:
                error = str(exc)
                log.warning("webhook %s (%s) attempt %d failed: %s", hook_id, where, attempt + 1, error)
        _record(store, hook_id, ids, error)
        if error:
            summary.failed.append(f"webhook {hook_id} ({where}): {error}")
        else:
            summary.sent += 1
            summary.notices += len(ids)
    return summary


_SETTLE_S = 0.05


class _Pusher:
    """One daemon thread per app: woken after each successful write request, it pushes the
    notices that request may have added; it also wakes every ``interval`` seconds to retry."""

    def __init__(self, store: Store, settings: Settings, interval: float = 300.0) -> None:
        self.store, self.settings, self.interval = store, settings, interval
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def poke(self) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="luoshi-webhooks", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(self.interval)
            # a short pause before looking: the writes of a burst (each pokes) are pushed by one
            # pass, not one database read each (a write finishing meanwhile is seen: it poked
            # before the flag is cleared below, or it sets it again for the next pass)
            if self.stop.wait(_SETTLE_S):
                break
            self.wake.clear()
            if self.stop.is_set():
                break
            try:
                with self.store.read_session() as s:
                    if s.scalar(select(Webhook.id).where(Webhook.active.is_(True)).limit(1)) is None:
                        continue
                push_pending(self.store, self.settings)
            except Exception:  # never let the thread die: log and try again later
                log.exception("webhook push failed")

    def close(self) -> None:
        self.stop.set()
        self.wake.set()


def install_pusher(app: Any) -> None:
    """Push webhooks from a background thread after every write request (never inside it)."""
    pusher = _Pusher(app.state.store, app.state.settings)
    app.state.webhook_pusher = pusher

    class _PokeAfterWrite:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
                await self.inner(scope, receive, send)
                return
            status: list[int] = []

            async def watch(message: Any) -> None:
                if message["type"] == "http.response.start":
                    status.append(int(message["status"]))
                await send(message)

            await self.inner(scope, receive, watch)
            if status and status[0] < 400:
                pusher.poke()

    app.add_middleware(_PokeAfterWrite)
    shutdown = getattr(app.router, "on_shutdown", None)  # (a daemon thread otherwise ends with the process)
    if isinstance(shutdown, list):
        shutdown.append(pusher.close)


def last_deliveries(session: Session) -> dict[int, WebhookDelivery]:
    """The latest delivery attempt of each webhook that has one, by webhook id."""
    last: dict[int, WebhookDelivery] = {}
    latest = select(func.max(WebhookDelivery.id)).group_by(WebhookDelivery.webhook_id)
    for d in session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(latest))):
        last[d.webhook_id] = d
    return last
