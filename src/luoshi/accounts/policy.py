"""THE permission rules of luoshi, as one table (:data:`RULES`).

Roles: ``admin`` (督查室, everything), ``leader`` (reads all, comments/批示 on targets),
``reporter`` (填报员: sees all internal data, adds progress and evidence only to targets whose lead
department or co-department is their own), ``viewer`` (read-only, internal) and anonymous
visitors (``None`` user, or an inactive one), who see only public pages and public objects.

Interface (for the web app, the API and the CLI)::

    from luoshi.accounts import policy
    policy.can(user_or_None, policy.ADD_PROGRESS, target) -> bool
    policy.require(user_or_None, policy.EDIT_TARGET, target)   # raises PermissionDenied
    policy.role_of(user_or_None) -> "admin" | "leader" | "reporter" | "viewer" | "anonymous"
    policy.ACTIONS                                            # every action name, documented

``user`` is any object with ``role``, ``department_id`` and ``active`` (a ``users`` row).
``target`` is any object (or mapping) with ``public``/``is_public`` (public only when its
``review_state``, if it has one, is ``accepted``), ``lead_department_id`` and
``co_departments`` (rows with ``id``) or ``co_department_ids``; a ``progress_updates`` row or
anything with a ``target`` attribute is followed to its target. Unknown actions raise
``KeyError`` so that a route without a rule fails loudly (and in the authorisation matrix test).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from luoshi.errors import PermissionDenied

__all__ = [
    "ACCEPT_PROPOSED",
    "ACTIONS",
    "ADD_PROGRESS",
    "ANONYMOUS",
    "ASSIGN_DEPARTMENTS",
    "BULK_CHANGE",
    "CHANGE_OWN_PASSWORD",
    "COMMENT",
    "EDIT_TARGET",
    "EXPORT_DATA",
    "FOLLOW",
    "IMPORT_REPORT",
    "CHANGE_OWN_PASSWORD",
    "MANAGE_OWN_SESSIONS",
    "MANAGE_OWN_TOKENS",
    "MANAGE_DEPARTMENTS",
    "MANAGE_USERS",
    "MANAGE_WEBHOOKS",
    "OVERRIDE_STATUS",
    "REVIEW_PROGRESS",
    "ROLES",
    "RULES",
    "Rule",
    "UPLOAD_EVIDENCE",
    "VIEW_AUDIT",
    "VIEW_EVIDENCE",
    "VIEW_INBOX",
    "VIEW_INTERNAL",
    "VIEW_NOTICES",
    "VIEW_PUBLIC",
    "VIEW_TARGET",
    "YEAR_END_REVIEW",
    "can",
    "department_ids_of_target",
    "require",
    "role_of",
]

ROLES: tuple[str, ...] = ("admin", "leader", "reporter", "viewer")
ANONYMOUS = "anonymous"

# Reading
VIEW_PUBLIC = "view_public"  # public scorecard, public targets list, open-data downloads
VIEW_TARGET = "view_target"  # one target (with object): public ones for all, others internal only
VIEW_INTERNAL = "view_internal"  # internal pages: dashboard, all targets, reports, projects, source
VIEW_EVIDENCE = "view_evidence"  # evidence files (never public)
VIEW_NOTICES = "view_notices"  # one's own in-app notices
VIEW_INBOX = "view_inbox"  # 待办: the office's, or one's own department's
EXPORT_DATA = "export_data"  # internal Excel/CSV exports (任务分解表)
# Writing
ADD_PROGRESS = "add_progress"  # progress update (or its correction) on a target
UPLOAD_EVIDENCE = "upload_evidence"  # evidence file on a target's progress
COMMENT = "comment"  # 批示 on a target
FOLLOW = "follow"  # follow a target to be told of its status changes
MANAGE_OWN_TOKENS = "manage_own_tokens"  # create/revoke one's own API tokens
MANAGE_OWN_SESSIONS = "manage_own_sessions"  # see and end one's own login sessions
CHANGE_OWN_PASSWORD = "change_own_password"  # with the current password
# Office (admin) only
REVIEW_PROGRESS = "review_progress"  # 复核: accept or return submitted progress
EDIT_TARGET = "edit_target"  # edit title, values, deadline, milestones, public flag
ASSIGN_DEPARTMENTS = "assign_departments"  # set lead and co-departments
ACCEPT_PROPOSED = "accept_proposed"  # accept/edit/merge/split/reject extracted items
OVERRIDE_STATUS = "override_status"  # manual status override
IMPORT_REPORT = "import_report"  # import a report or a filled-in Excel sheet
MANAGE_USERS = "manage_users"  # add/deactivate users, reset passwords, others' tokens, lift login throttles
VIEW_AUDIT = "view_audit"  # browse and export the audit trail
YEAR_END_REVIEW = "year_end_review"  # confirm/override year-end review verdicts
MANAGE_WEBHOOKS = "manage_webhooks"  # group-robot webhooks of the office and departments
# (督办单 /orders, 通报 /bulletin and 考核 /score are read with VIEW_INTERNAL, their
#  .docx/.xlsx downloads with EXPORT_DATA; 督办单 are issued by `luoshi remind` only.)
BULK_CHANGE = "bulk_change"  # preview, apply and undo a change to many targets at once
MANAGE_DEPARTMENTS = "manage_departments"  # create, rename and merge departments


@dataclass(frozen=True)
class Rule:
    """Who may do an action.

    ``roles``: allowed always. ``own_department``: allowed only on a target whose lead or
    co-department is the user's department. ``public``: allowed to everyone (anonymous too)
    when the object is public.
    """

    description: str
    roles: frozenset[str]
    own_department: frozenset[str] = frozenset()
    public: bool = False


_INTERNAL = frozenset(ROLES)
_ADMIN = frozenset({"admin"})

RULES: dict[str, Rule] = {
    VIEW_PUBLIC: Rule("public pages and open data", _INTERNAL | {ANONYMOUS}),
    VIEW_TARGET: Rule("one target: public ones for everyone", _INTERNAL, public=True),
    VIEW_INTERNAL: Rule("internal pages and API", _INTERNAL),
    VIEW_EVIDENCE: Rule("evidence files", _INTERNAL),
    VIEW_NOTICES: Rule("own notices", _INTERNAL),
    VIEW_INBOX: Rule("待办 inbox", _INTERNAL),
    EXPORT_DATA: Rule("internal exports", _INTERNAL),
    ADD_PROGRESS: Rule("add progress", _ADMIN, own_department=frozenset({"reporter"})),
    UPLOAD_EVIDENCE: Rule("upload evidence", _ADMIN, own_department=frozenset({"reporter"})),
    COMMENT: Rule("批示 on a target", frozenset({"admin", "leader"})),
    FOLLOW: Rule("follow a target", _INTERNAL),
    MANAGE_OWN_TOKENS: Rule("own API tokens", _INTERNAL),
    MANAGE_OWN_SESSIONS: Rule("own login sessions", _INTERNAL),
    CHANGE_OWN_PASSWORD: Rule("own password", _INTERNAL),
    REVIEW_PROGRESS: Rule("复核 of submitted progress", _ADMIN),
    EDIT_TARGET: Rule("edit a target", _ADMIN),
    ASSIGN_DEPARTMENTS: Rule("assign departments", _ADMIN),
    ACCEPT_PROPOSED: Rule("review queue of extracted items", _ADMIN),
    OVERRIDE_STATUS: Rule("override a status", _ADMIN),
    IMPORT_REPORT: Rule("import reports and sheets", _ADMIN),
    MANAGE_USERS: Rule("manage users", _ADMIN),
    VIEW_AUDIT: Rule("audit trail", _ADMIN),
    YEAR_END_REVIEW: Rule("year-end review decisions", _ADMIN),
    MANAGE_WEBHOOKS: Rule("group-robot webhooks", _ADMIN),
    BULK_CHANGE: Rule("bulk changes and their undo", _ADMIN),
    MANAGE_DEPARTMENTS: Rule("create, rename, merge departments", _ADMIN),
}

ACTIONS: dict[str, str] = {name: rule.description for name, rule in RULES.items()}


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def role_of(user: Any | None) -> str:
    """The effective role: ``anonymous`` for no user, an inactive user or an unknown role."""
    if user is None or not _get(user, "active", _get(user, "is_active", True)):
        return ANONYMOUS
    role = _get(user, "role")
    return role if role in ROLES else ANONYMOUS


def _target_of(obj: Any) -> Any:
    # A progress update (or evidence) stands for its target.
    if _get(obj, "lead_department_id", None) is None and _get(obj, "target", None) is not None:
        return _get(obj, "target")
    return obj


def _ids(items: Iterable[Any] | None) -> set[int]:
    out: set[int] = set()
    for item in items or ():
        value = item if isinstance(item, int) else _get(item, "id", None)
        if value is None:  # association rows (target_departments) carry department_id
            value = _get(item, "department_id", None)
        if value is not None:
            out.add(int(value))
    return out


def department_ids_of_target(target: Any) -> set[int]:
    """Ids of the lead department and every co-department of ``target``."""
    target = _target_of(target)
    found: set[int] = set()
    lead = _get(target, "lead_department_id", None)
    if lead is None and _get(target, "lead_department", None) is not None:
        lead = _get(_get(target, "lead_department"), "id", None)
    if lead is not None:
        found.add(int(lead))
    found |= _ids(_get(target, "co_department_ids", None))
    found |= _ids(_get(target, "co_departments", None))
    return found


def _is_public(obj: Any) -> bool:
    """Published: the public flag is set AND the item is accepted (a proposed or rejected
    extraction never reaches the public, whatever its flag)."""
    obj = _target_of(obj)
    value = _get(obj, "public", None)
    if value is None:
        value = _get(obj, "is_public", False)
    return bool(value) and _get(obj, "review_state", None) in (None, "accepted")


def can(user: Any | None, action: str, target: Any | None = None) -> bool:
    """May ``user`` (``None`` for anonymous) do ``action`` (on ``target``, when it matters)?"""
    rule = RULES[action]  # KeyError for an action without a rule, on purpose
    role = role_of(user)
    if role in rule.roles:
        return True
    if role in rule.own_department and target is not None:
        department_id = _get(user, "department_id", None)
        if department_id is not None and int(department_id) in department_ids_of_target(target):
            return True
    return rule.public and target is not None and _is_public(target)


def require(user: Any | None, action: str, target: Any | None = None) -> None:
    """Raise :class:`luoshi.errors.PermissionDenied` unless :func:`can` allows it."""
    if not can(user, action, target):
        who = _get(user, "username", None) if user is not None else None
        raise PermissionDenied(
            f"{who or '匿名用户'} ({role_of(user)}) may not {action}"
            + (f" on target {_get(_target_of(target), 'id', '?')}" if target is not None else "")
        )
