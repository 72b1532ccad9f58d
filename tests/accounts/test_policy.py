"""The permission table: every role x action x own/other department x public/non-public."""

from __future__ import annotations

from itertools import product
from types import SimpleNamespace

import pytest

from luoshi.accounts import policy
from luoshi.errors import PermissionDenied

OWN, OTHER, CO = 1, 2, 3

ADMIN_ONLY = {
    policy.REVIEW_PROGRESS,
    policy.EDIT_TARGET,
    policy.ASSIGN_DEPARTMENTS,
    policy.ACCEPT_PROPOSED,
    policy.OVERRIDE_STATUS,
    policy.IMPORT_REPORT,
    policy.MANAGE_USERS,
    policy.VIEW_AUDIT,
    policy.YEAR_END_REVIEW,
    policy.MANAGE_WEBHOOKS,
    policy.YEAR_END_REVIEW,
    policy.BULK_CHANGE,
    policy.MANAGE_DEPARTMENTS,
}
INTERNAL_READ = {
    policy.VIEW_INTERNAL,
    policy.VIEW_EVIDENCE,
    policy.VIEW_NOTICES,
    policy.EXPORT_DATA,
    policy.FOLLOW,
    policy.MANAGE_OWN_TOKENS,
    policy.MANAGE_OWN_SESSIONS,
    policy.VIEW_INBOX,
    policy.CHANGE_OWN_PASSWORD,
}
OWN_DEPARTMENT_WRITE = {policy.ADD_PROGRESS, policy.UPLOAD_EVIDENCE}


def user(role: str | None, department_id: int | None = OWN, active: bool = True):
    if role is None:
        return None
    return SimpleNamespace(username=f"u-{role}", role=role, department_id=department_id, is_active=active)


def target(lead: int, public: bool, co: tuple[int, ...] = ()):
    return SimpleNamespace(
        id=7, lead_department_id=lead, public=public, co_departments=[SimpleNamespace(id=c) for c in co]
    )


def expected(role: str | None, action: str, lead: int, co: tuple[int, ...], public: bool) -> bool:
    """The rules of issue 4 written out independently of policy.RULES."""
    if action == policy.VIEW_PUBLIC:
        return True
    if role is None:
        return action == policy.VIEW_TARGET and public
    if role == "admin":
        return True
    if action in ADMIN_ONLY:
        return False
    if action in INTERNAL_READ or action == policy.VIEW_TARGET:
        return True
    if action == policy.COMMENT:
        return role == "leader"
    if action in OWN_DEPARTMENT_WRITE:
        return role == "reporter" and (lead == OWN or OWN in co)
    raise AssertionError(f"action {action} not covered by the test")


def test_every_action_is_covered_by_the_expectations():
    covered = (
        ADMIN_ONLY
        | INTERNAL_READ
        | OWN_DEPARTMENT_WRITE
        | {policy.VIEW_PUBLIC, policy.VIEW_TARGET, policy.COMMENT}
    )
    assert covered == set(policy.ACTIONS)


@pytest.mark.parametrize(
    "role,action,lead,co,public",
    list(
        product(
            [None, *policy.ROLES], sorted(policy.ACTIONS), [OWN, OTHER], [(), (OWN,), (CO,)], [True, False]
        )
    ),
)
def test_matrix(role, action, lead, co, public):
    t = target(lead, public, co)
    assert policy.can(user(role), action, t) is expected(role, action, lead, co, public)


def test_reporter_own_department_via_lead_co_ids_and_update_row():
    reporter = user("reporter")
    assert policy.can(
        reporter, policy.ADD_PROGRESS, {"lead_department_id": OTHER, "co_department_ids": [OWN]}
    )
    assert not policy.can(
        reporter, policy.ADD_PROGRESS, {"lead_department_id": OTHER, "co_department_ids": [CO]}
    )
    update = SimpleNamespace(target=target(OWN, False))
    assert policy.can(reporter, policy.UPLOAD_EVIDENCE, update)
    assert not policy.can(reporter, policy.ADD_PROGRESS, None)  # no target: no own-department grant
    assert not policy.can(user("reporter", department_id=None), policy.ADD_PROGRESS, target(OWN, False))


def test_inactive_user_is_anonymous():
    gone = user("admin", active=False)
    assert policy.role_of(gone) == policy.ANONYMOUS
    assert not policy.can(gone, policy.VIEW_INTERNAL)
    assert policy.can(gone, policy.VIEW_TARGET, target(OWN, True))
    assert policy.role_of(SimpleNamespace(role="root", is_active=True)) == policy.ANONYMOUS


def test_require_raises_permission_denied():
    policy.require(user("admin"), policy.MANAGE_USERS)
    with pytest.raises(PermissionDenied, match="viewer"):
        policy.require(user("viewer"), policy.EDIT_TARGET, target(OWN, True))
    with pytest.raises(KeyError):
        policy.can(user("admin"), "launch_rockets")


@pytest.mark.parametrize(
    "state,visible", [("accepted", True), ("proposed", False), ("rejected", False), ("merged", False)]
)
def test_only_accepted_public_targets_are_public(state, visible):
    t = SimpleNamespace(id=1, lead_department_id=OWN, public=True, co_departments=[], review_state=state)
    assert policy.can(None, policy.VIEW_TARGET, t) is visible
    assert policy.can(user("viewer"), policy.VIEW_TARGET, t)  # internal users see every state
