"""User accounts: create, list, change password/role/department, deactivate; the demo users.

Interface (every change is audited through ``luoshi.store.audit.record_audit`` in the caller's
transaction; the caller commits)::

    create_user(session, username, role, department=None, password=None, actor=None,
                email=None, display_name=None) -> User
    get_user(session, username) -> User                # NotFoundError
    user_by_id(session, user_id) -> User               # NotFoundError
    list_users(session, include_inactive=True) -> list[User]
    set_password(session, user, password, actor=None) -> None   # policy checked; ends the user's sessions
    update_user(session, user, actor=None, role=..., department=..., email=..., display_name=...) -> User
    deactivate(session, user, actor=None) -> None       # also revokes API tokens and ends sessions
    create_demo_users(session, department_name) -> list[tuple[str, str, str]]  # (username, role, password)

``department`` is a department name (created when new, e.g. ``区发改局``), a ``Department`` row
or its id. A reporter must have a department. A user created without a password cannot log in
until one is set: there is no default password (except the demo users of ``serve --demo``).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.accounts.passwords import check_policy, hash_password
from luoshi.accounts.policy import ROLES
from luoshi.accounts.sessions import end_user_sessions
from luoshi.errors import InputError, NotFoundError
from luoshi.store.audit import Actor, record_audit
from luoshi.store.models import ApiToken, Department, User, utcnow

__all__ = [
    "DEMO_PASSWORD",
    "create_demo_users",
    "create_user",
    "deactivate",
    "get_user",
    "list_users",
    "resolve_department",
    "set_password",
    "update_user",
    "user_by_id",
    "user_summary",
    "usernames",
]

DEMO_PASSWORD = "demo"
_USERNAME = re.compile(r"^[\w.@-]{1,100}$")
_UNSET: Any = object()


def user_summary(user: User) -> dict[str, Any]:
    """What the audit trail records of a user (never the password hash)."""
    return {
        "username": user.username,
        "role": user.role,
        "department_id": user.department_id,
        "email": user.email,
        "display_name": user.display_name,
        "active": user.active,
        "has_password": bool(user.password_hash),
    }


def resolve_department(
    session: Session, department: str | int | Department | None, actor: Actor = None
) -> Department | None:
    """A Department from a name (created and audited if new), an id or a row."""
    if department is None or isinstance(department, Department):
        return department
    if isinstance(department, int):
        found = session.get(Department, department)
        if found is None:
            raise NotFoundError(f"没有编号为 {department} 的单位")
        return found
    name = department.strip()
    if not name:
        return None
    found = session.scalars(select(Department).where(Department.name == name)).first()
    if found is None:
        found = Department(name=name)
        session.add(found)
        session.flush()
        record_audit(session, actor, "create", "department", found.id, None, {"name": name})
    return found


def _check_role(role: str, department: Department | None) -> None:
    if role not in ROLES:
        raise InputError(f"未知的角色 {role}（可选：{'、'.join(ROLES)}）")
    if role == "reporter" and department is None:
        raise InputError("填报员须指定所属单位")


def create_user(
    session: Session,
    username: str,
    role: str,
    department: str | int | Department | None = None,
    password: str | None = None,
    actor: Actor = None,
    email: str | None = None,
    display_name: str | None = None,
) -> User:
    """Add a user; raises InputError for a bad name/role, a taken name or a reporter without department."""
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise InputError(f"用户名「{username}」不合规：应为 1–100 个字母、数字或 . @ - _")
    if password:
        check_policy(password)
    dept = resolve_department(session, department, actor)
    _check_role(role, dept)
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise InputError(f"用户名「{username}」已存在")
    user = User(
        username=username,
        role=role,
        department_id=dept.id if dept else None,
        password_hash=hash_password(password) if password else None,
        email=email or None,
        display_name=display_name or None,
        active=True,
    )
    session.add(user)
    session.flush()
    record_audit(session, actor, "create", "user", user.id, None, user_summary(user))
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFoundError(f"没有名为「{username}」的用户")
    return user


def user_by_id(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"没有编号为 {user_id} 的用户")
    return user


def list_users(session: Session, include_inactive: bool = True) -> list[User]:
    query = select(User).order_by(User.username)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def set_password(session: Session, user: User, password: str, actor: Actor = None) -> None:
    """Change or reset a password (policy checked); every session of the user ends."""
    check_policy(password)
    before = user_summary(user)
    user.password_hash = hash_password(password)
    session.flush()
    end_user_sessions(session, user.id, "password_changed")
    record_audit(session, actor, "set_password", "user", user.id, before, user_summary(user))


def update_user(
    session: Session,
    user: User,
    actor: Actor = None,
    *,
    role: str | None = None,
    department: Any = _UNSET,
    email: Any = _UNSET,
    display_name: Any = _UNSET,
) -> User:
    """Change role, department, e-mail or display name (only the ones given)."""
    before = user_summary(user)
    dept = user.department if department is _UNSET else resolve_department(session, department, actor)
    new_role = role or user.role
    _check_role(new_role, dept)
    if new_role != user.role:
        # for good: a cookie of the old role must not work again if the role is changed back
        end_user_sessions(session, user.id, "role_changed")
    user.role = new_role
    user.department_id = dept.id if dept else None
    if email is not _UNSET:
        user.email = email or None
    if display_name is not _UNSET:
        user.display_name = display_name or None
    session.flush()
    after = user_summary(user)
    if after != before:
        record_audit(session, actor, "update", "user", user.id, before, after)
    return user


def deactivate(session: Session, user: User, actor: Actor = None) -> None:
    """Switch the account off (rows stay for the record), revoke its API tokens, end its sessions."""
    before = user_summary(user)
    user.active = False
    end_user_sessions(session, user.id, "deactivated")
    now = utcnow()
    for token in session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now
    session.flush()
    record_audit(session, actor, "deactivate", "user", user.id, before, user_summary(user))


def create_demo_users(session: Session, department_name: str) -> list[tuple[str, str, str]]:
    """The demo's admin, leader, reporter (of ``department_name``) and viewer, password ``demo``.

    Only ``luoshi serve --demo`` calls this. Existing users of those names are left alone.
    Returns (username, role, password) for the start-up line.
    """
    created: list[tuple[str, str, str]] = []
    for role in ROLES:
        exists = session.scalars(select(User).where(User.username == role)).first()
        if exists is None:
            user = create_user(
                session, role, role, department=department_name if role == "reporter" else None, actor="demo"
            )
            # the demo's well-known password is below the policy on purpose: set directly
            user.password_hash = hash_password(DEMO_PASSWORD)
        created.append((role, role, DEMO_PASSWORD))
    return created


def usernames(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Each user's login name by id (who wrote a 批示, for internal pages)."""
    if not user_ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all())
