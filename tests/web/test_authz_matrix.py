"""Authorisation matrix: every route × every role × public / non-public object.

Routes are enumerated from the app itself; a route without a row in RULES fails the test, so a
new page or API endpoint cannot ship without a stated rule. The expectation comes from this
table alone (not from luoshi.accounts.policy), so a wrong rule in the code is caught.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from starlette.routing import Mount, Route

from .conftest import LOGIN, ROLES, csrf_of, login
from .seed import DEPARTMENTS, PASSWORD, Seeded

INTERNAL = {"viewer", "reporter", "reporter_other", "leader", "admin"}

# Who is allowed, given the role and whether the object is public / the reporter's own.
Rule = Callable[[str, "Obj"], bool]


@dataclass(frozen=True)
class Obj:
    name: str
    public: bool = True
    owner: str = ""  # which reporter's department leads it


def anyone(role: str, o: Obj) -> bool:
    return True


def internal(role: str, o: Obj) -> bool:
    return role in INTERNAL


def public_or_internal(role: str, o: Obj) -> bool:
    return role in INTERNAL or o.public


def own_department(role: str, o: Obj) -> bool:
    return role == "admin" or role == o.owner


def leader_or_admin(role: str, o: Obj) -> bool:
    return role in ("admin", "leader")


def public_only(role: str, o: Obj) -> bool:
    return o.public  # internal users too are told nothing of a non-public object here


def admin(role: str, o: Obj) -> bool:
    return role == "admin"


def token_owner_or_admin(role: str, o: Obj) -> bool:
    return role in ("viewer", "admin")  # the token of {token_id} is the viewer's (made in the test)


PUBLIC_T = Obj("public target", True, "reporter")
PRIVATE_T = Obj("internal target", False, "reporter_other")
NONE = Obj("no object")


@dataclass
class Case:
    rule: Rule
    objects: tuple[Obj, ...] = (NONE,)
    data: Callable[[Seeded, Obj], dict[str, Any]] | None = None
    json: Callable[[Seeded, Obj], Any] | None = None
    files: dict[str, tuple[str, bytes]] | None = None  # multipart uploads
    fresh_client: bool = False  # login/logout change the client's session
    strict: bool = True  # allowed requests must succeed (< 400); False: only "not refused"
    params: dict[str, Any] = field(default_factory=dict)
    hidden: bool = False  # a refused object answers 404 (its existence is not told), not 401/403


def tid(ids: Seeded, o: Obj) -> int:
    return ids.public_target if o is PUBLIC_T else ids.internal_target


def uid(ids: Seeded, o: Obj) -> int:
    return ids.update_id if o is PUBLIC_T else ids.internal_update_id


def eid(ids: Seeded, o: Obj) -> int:
    return ids.evidence_public if o is PUBLIC_T else ids.evidence_internal


BOTH = (PUBLIC_T, PRIVATE_T)


def _edit(ids: Seeded, o: Obj) -> dict[str, Any]:
    # the same values again, so the matrix objects keep their public flag
    return {
        "title": "新建5G基站300座以上" if o is PUBLIC_T else "新增上市挂牌企业3家以上",
        "target_value": "300",
        "unit": "座",
        "comparator": ">=",
        "kind": "count",
        "cadence": "monthly",
        "public": "1" if o.public else "",
    }


RULES: dict[tuple[str, str], Case] = {
    ("GET", "/openapi.json"): Case(anyone),
    ("GET", "/login"): Case(anyone),
    ("POST", "/login"): Case(
        anyone, fresh_client=True, data=lambda i, o: {"username": "viewer", "password": PASSWORD}
    ),
    ("POST", "/logout"): Case(anyone, fresh_client=True),
    ("GET", "/"): Case(anyone),  # anonymous visitors are sent to /public, not refused
    ("GET", "/targets"): Case(internal),
    ("GET", "/targets/{target_id}"): Case(public_or_internal, BOTH),
    ("POST", "/targets/{target_id}/updates"): Case(
        own_department, BOTH, data=lambda i, o: {"period": "2024-07-01", "value": "1", "narrative": "矩阵"}
    ),
    ("POST", "/updates/{update_id}/correct"): Case(
        own_department, BOTH, data=lambda i, o: {"value": "7"}, strict=False
    ),  # (a superseded one: 400 for the 2nd writer)
    ("POST", "/targets/{target_id}/milestones"): Case(admin, BOTH, data=lambda i, o: {"title": "开工"}),
    ("POST", "/milestones/{milestone_id}/done"): Case(
        own_department, BOTH, data=lambda i, o: {"done": "2024-06-01"}
    ),
    ("POST", "/updates/{update_id}/check"): Case(admin, BOTH, data=lambda i, o: {"decision": "accepted"}),
    ("POST", "/targets/{target_id}/comments"): Case(
        leader_or_admin, BOTH, data=lambda i, o: {"body": "批示"}
    ),
    ("GET", "/evidence/{update_id}"): Case(internal, BOTH),
    ("GET", "/targets/{target_id}/edit"): Case(admin, BOTH),
    ("POST", "/targets/{target_id}/edit"): Case(admin, BOTH, data=_edit),
    ("POST", "/targets/{target_id}/status"): Case(admin, BOTH, data=lambda i, o: {"status": ""}),
    ("POST", "/queue/accept-all"): Case(admin, data=lambda i, o: {"report": str(i.report_id)}),
    ("POST", "/targets/{target_id}/assign"): Case(
        admin,
        BOTH,
        data=lambda i, o: {
            "lead": str(
                DEPARTMENTS.index("区发改局") + 1 if o is PUBLIC_T else DEPARTMENTS.index("区工信局") + 1
            )
        },
    ),
    ("GET", "/reports"): Case(internal),
    ("GET", "/reports/{report_id}"): Case(internal),
    ("GET", "/projects"): Case(internal),
    # the seeded project is led by the reporter's department (区发改局)
    ("POST", "/projects/{project_id}/progress"): Case(
        lambda role, o: role in ("admin", "reporter"),
        data=lambda i, o: {"period": "2024-07-01", "completed": "2.5"},
    ),
    ("GET", "/queue"): Case(admin),
    ("POST", "/queue/{target_id}/accept"): Case(admin),
    ("POST", "/queue/{target_id}/reject"): Case(admin),
    ("POST", "/queue/{target_id}/merge"): Case(admin, data=lambda i, o: {"into": str(i.other_public_target)}),
    ("POST", "/queue/{target_id}/split"): Case(admin, data=lambda i, o: {"parts": "甲 | 1\n乙 | 2"}),
    ("GET", "/notices"): Case(internal),
    ("POST", "/notices/read"): Case(internal),
    ("POST", "/targets/{target_id}/follow"): Case(internal, BOTH),
    ("GET", "/admin/users"): Case(admin),
    ("POST", "/admin/users"): Case(admin, data=lambda i, o: {"username": "made_by_matrix", "role": "viewer"}),
    ("POST", "/admin/users/{user_id}"): Case(admin, data=lambda i, o: {"role": "viewer"}),
    ("POST", "/admin/users/{user_id}/deactivate"): Case(admin),
    ("GET", "/admin/throttles"): Case(admin),
    ("POST", "/admin/throttles/lift"): Case(
        admin, data=lambda i, o: {"username": "viewer", "address": "testclient"}
    ),
    ("POST", "/account/sessions/{session_id}/end"): Case(internal, strict=False),
    ("POST", "/account/sessions/end-others"): Case(internal),
    # a wrong current password: allowed roles get 400, never a refusal
    ("POST", "/account/password"): Case(
        internal,
        strict=False,
        data=lambda i, o: {
            "current_password": "not-it-at-all",
            "new_password": "another-pass-1",
            "new_password2": "another-pass-1",
        },
    ),
    ("GET", "/admin/audit"): Case(admin),
    ("GET", "/admin/audit.csv"): Case(admin),
    ("GET", "/sheet.xlsx"): Case(internal),
    ("GET", "/sheet"): Case(admin),
    ("POST", "/sheet"): Case(
        admin, strict=False, files={"sheet": ("empty.xlsx", b"")}
    ),  # admin: a 4xx naming the problem
    ("GET", "/public"): Case(anyone),
    ("GET", "/public/{jurisdiction}/{year}.csv"): Case(anyone),
    ("GET", "/public/{jurisdiction}/{year}.json"): Case(anyone),
    ("GET", "/public/{jurisdiction}/{year}"): Case(anyone),
    ("GET", "/public/{jurisdiction}/{year}/changes.atom"): Case(anyone),
    ("GET", "/public/targets/{target_id}/changes.atom"): Case(public_only, BOTH, hidden=True),
    ("GET", "/healthz"): Case(anyone),
    ("GET", "/docs"): Case(anyone),
    ("GET", "/api/reports"): Case(anyone),
    ("GET", "/api/targets"): Case(anyone),
    ("GET", "/api/targets/{target_id}"): Case(public_or_internal, BOTH),
    ("GET", "/api/targets/{target_id}/updates"): Case(public_or_internal, BOTH),
    ("POST", "/api/targets/{target_id}/updates"): Case(
        own_department, BOTH, json=lambda i, o: {"period": "2024-07-02", "value": 2}
    ),
    ("POST", "/api/updates"): Case(
        own_department, BOTH, json=lambda i, o: [{"target_id": tid(i, o), "period": "2024-07-04", "value": 3}]
    ),
    ("GET", "/api/departments"): Case(anyone),
    ("GET", "/api/projects"): Case(internal),
    ("GET", "/account"): Case(internal),
    ("POST", "/account/tokens"): Case(internal, data=lambda i, o: {"name": "matrix"}),
    ("POST", "/account/tokens/{token_id}/revoke"): Case(token_owner_or_admin),
    # Year-end review (H5's routes): public scorecards, admin-only decisions. No review data is
    # seeded here, so allowed requests may answer 400/404: only refusal is checked strictly.
    ("GET", "/review/static/review.css"): Case(anyone, strict=False),
    ("GET", "/review"): Case(anyone, strict=False),
    ("GET", "/review/results/{result_id}"): Case(admin, strict=False),
    ("POST", "/review/results/{result_id}"): Case(
        admin, strict=False, data=lambda i, o: {"action": "confirm"}
    ),
    ("GET", "/review/{jurisdiction}/{year}.json"): Case(anyone, strict=False),
    ("GET", "/review/{jurisdiction}/{year}.csv"): Case(anyone, strict=False),
    ("GET", "/review/{jurisdiction}/{year}.xlsx"): Case(anyone, strict=False),
    ("GET", "/review/{jurisdiction}/trend"): Case(anyone, strict=False),
    ("GET", "/review/{jurisdiction}/{year}/print"): Case(anyone, strict=False),
    ("GET", "/review/{jurisdiction}/{year}"): Case(anyone, strict=False),
    ("POST", "/review/{jurisdiction}/{year}/run"): Case(admin, strict=False),
    ("POST", "/review/{jurisdiction}/{year}/import-next"): Case(
        admin, strict=False, files={"report_file": ("empty.txt", b"")}
    ),
    # 督查督办 (issue 11): 督办单, 通报 and 考核 are internal; their documents are internal exports
    ("GET", "/orders"): Case(internal),
    ("GET", "/orders/{order_id}"): Case(internal),
    ("GET", "/orders/{order_id}.docx"): Case(internal),
    ("GET", "/bulletin"): Case(internal, params={"month": "2024-06"}),
    ("GET", "/bulletin.docx"): Case(internal, params={"month": "2024-06"}),
    ("GET", "/score"): Case(internal),
    ("GET", "/score.xlsx"): Case(internal, params={"month": "2024-06"}),
    ("GET", "/admin/webhooks"): Case(admin),
    ("POST", "/admin/webhooks"): Case(
        admin, data=lambda i, o: {"kind": "json", "url": "http://127.0.0.1:9/hook"}
    ),
    ("POST", "/admin/webhooks/{webhook_id}/remove"): Case(admin, strict=False),  # (a second remove: 404)
    # 待办 and 批量处理 (issue 11)
    ("POST", "/review/{jurisdiction}/{year}/publish"): Case(admin, strict=False),
    ("GET", "/inbox"): Case(internal),
    ("GET", "/screen"): Case(internal),
    ("POST", "/inbox/urge/{target_id}"): Case(admin, BOTH),
    ("POST", "/bulk/preview"): Case(
        admin, data=lambda i, o: {"action": "schedule", "ids": [str(i.public_target)], "due_day": "20"}
    ),
    ("POST", "/bulk/apply"): Case(
        admin, data=lambda i, o: {"action": "schedule", "ids": [str(i.public_target)], "due_day": "21"}
    ),
    ("GET", "/bulk/{audit_id}"): Case(admin, strict=False),  # (audit row 1 is no bulk entry: 404)
    ("POST", "/bulk/{audit_id}/undo"): Case(admin, strict=False),
    ("GET", "/admin/departments"): Case(admin),
    ("POST", "/admin/departments"): Case(admin, data=lambda i, o: {"name": "矩阵新单位"}),
    # renamed to its own name (a no-op), merged into itself (refused with 400): the seed stays as it is
    ("POST", "/admin/departments/{department_id}/rename"): Case(
        admin, data=lambda i, o: {"name": DEPARTMENTS[2]}
    ),
    ("POST", "/admin/departments/{department_id}/merge"): Case(
        admin, strict=False, data=lambda i, o: {"into": "3"}
    ),
    ("GET", "/admin/import"): Case(admin),
    ("POST", "/admin/import"): Case(
        admin,
        strict=False,
        files={"report_file": ("empty.txt", b"")},
        data=lambda i, o: {"jurisdiction": "张店区", "year": "2025"},
    ),
}


def iter_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through included routers (FastAPI's _IncludedRouter too)."""
    for r in routes:
        if hasattr(r, "original_router"):
            yield from iter_routes(
                r.original_router.routes, prefix + (getattr(r.include_context, "prefix", "") or "")
            )
        elif isinstance(r, Route):
            for method in sorted((r.methods or {"GET"}) - {"HEAD"}):
                yield method, prefix + r.path
        elif isinstance(r, Mount):
            yield "MOUNT", prefix + r.path
        elif hasattr(r, "routes"):
            yield from iter_routes(r.routes, prefix + getattr(r, "path", ""))


def fill(path: str, ids: Seeded, o: Obj, token_id: int = 0) -> str:
    values = {
        "{target_id}": str(tid(ids, o) if o is not NONE else ids.proposed_target),
        "{update_id}": str(uid(ids, o)),
        "{report_id}": str(ids.report_id),
        "{user_id}": str(ids.spare_user),
        "{jurisdiction}": "张店区",
        "{year}": "2024",
        "{result_id}": "1",
        "{audit_id}": "1",
        "{department_id}": "3",
        "{token_id}": str(token_id),
        "{project_id}": str(ids.project),
        "{session_id}": "999999",  # another's or no session: 404 for the allowed, refusal for the rest
        "{milestone_id}": str(ids.public_milestone if o is PUBLIC_T else ids.internal_milestone),
        "{order_id}": str(ids.order),
        "{webhook_id}": str(ids.webhook),
    }
    if path in ("/evidence/{update_id}", "/updates/{update_id}/correct"):  # (corrections leave /check alone)
        values["{update_id}"] = str(eid(ids, o))
    for key, value in values.items():
        path = path.replace(key, value)
    assert "{" not in path, f"no value for a parameter of {path}"
    return path


def _supervision_objects(app: Any, ids: Seeded) -> None:
    """A 督办单 and an (inactive, so never pushed) webhook for the routes that name one."""
    from datetime import date

    from luoshi.store.models import SupervisionOrder, Webhook

    with app.state.store.session() as s:
        order = SupervisionOrder(
            year=2024,
            seq=1,
            number="督字〔2024〕1号",
            target_id=ids.public_target,
            matter="矩阵",
            basis="矩阵",
            report_due=date(2024, 6, 28),
            time_limit=date(2024, 7, 15),
            opened_on=date(2024, 7, 10),
        )
        hook = Webhook(kind="json", url="http://127.0.0.1:9/hook", active=False)
        s.add_all([order, hook])
        s.flush()
        ids.order, ids.webhook = order.id, hook.id


def refused(response: Any) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303, 307) and response.headers["location"].startswith("/login")


def test_every_route_has_a_rule(web) -> None:  # noqa: ANN001
    app, _ids = web
    found = {(m, p) for m, p in iter_routes(app.routes) if m != "MOUNT"}
    missing = sorted(found - set(RULES))
    assert not missing, f"routes without a rule in the authorisation matrix: {missing}"


def test_authorisation_matrix(web) -> None:  # noqa: ANN001
    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user

    app, ids = web
    with app.state.store.session() as s:
        _plain, row = create_token(s, get_user(s, "viewer"), "matrix")
        token_id = row.id
    _supervision_objects(app, ids)
    routes = [(m, p) for m, p in iter_routes(app.routes) if m != "MOUNT"]
    clients = {role: login(app, role) for role in ROLES}
    tokens = {role: csrf_of(c.get("/login").text) for role, c in clients.items()}
    failures: list[str] = []
    checked = 0
    # the admin acts last on each route: its changes (reject, deactivate ...) must not hide others' refusals
    order = [r for r in ROLES if r != "admin"] + ["admin"]
    for method, path in routes:
        case = RULES.get((method, path))
        if case is None:
            continue  # reported by test_every_route_has_a_rule
        for obj in case.objects:
            url = fill(path, ids, obj, token_id)
            for role in order:
                client, token = clients[role], tokens[role]
                if case.fresh_client:
                    client = login(app, role)
                    token = csrf_of(client.get("/login").text)
                kwargs: dict[str, Any] = {"follow_redirects": False}
                if case.params:
                    kwargs["params"] = case.params
                if method == "POST":
                    if case.json is not None:
                        kwargs["json"] = case.json(ids, obj)
                        kwargs["headers"] = {"X-CSRF-Token": token}
                    else:
                        kwargs["data"] = {**(case.data(ids, obj) if case.data else {}), "csrf_token": token}
                        if case.files:
                            kwargs["files"] = case.files
                r = client.request(method, url, **kwargs)
                checked += 1
                if (
                    case.fresh_client
                ):  # a logout ends every session of the user: log the shared client in again
                    clients[role] = login(app, role)
                    tokens[role] = csrf_of(clients[role].get("/login").text)
                want = case.rule(role, obj)
                if r.status_code >= 500:
                    failures.append(f"{method} {url} as {role}: server error {r.status_code}")
                elif want and refused(r):
                    failures.append(
                        f"{method} {url} as {role} ({obj.name}): refused ({r.status_code}), should be allowed"
                    )
                elif want and case.strict and r.status_code >= 400:
                    failures.append(f"{method} {url} as {role} ({obj.name}): {r.status_code} {r.text[:120]}")
                elif not want and case.hidden:
                    if r.status_code != 404:
                        failures.append(
                            f"{method} {url} as {role} ({obj.name}): {r.status_code}, should be 404"
                        )
                elif not want and not refused(r):
                    failures.append(
                        f"{method} {url} as {role} ({obj.name}): allowed ({r.status_code}), should be refused"
                    )
    assert checked > 300
    stale = sorted(set(RULES) - set(routes))
    assert not stale, f"rules for routes that do not exist: {stale}"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", sorted(LOGIN))
def test_bearer_token_acts_as_its_user_only(web, role: str) -> None:  # noqa: ANN001
    """API writes with a token need no CSRF token and obey the same rule as the user."""
    from fastapi.testclient import TestClient

    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user

    app, ids = web
    with app.state.store.session() as s:
        plain, _row = create_token(s, get_user(s, LOGIN[role]))
    client = TestClient(app)
    for obj in BOTH:
        r = client.post(
            f"/api/targets/{tid(ids, obj)}/updates",
            json={"period": "2024-07-03", "value": 5},
            headers={"Authorization": f"Bearer {plain}"},
        )
        assert (r.status_code == 201) == own_department(role, obj), (role, obj.name, r.status_code, r.text)
    r = client.get("/api/targets", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401
