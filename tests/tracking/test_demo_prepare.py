"""prepare_demo (luoshi serve --demo): the demo plan, its users, and the day statuses are judged on."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from luoshi.accounts.users import get_user
from luoshi.store.models import Target, User
from luoshi.tracking.demo import DEMO_AS_OF, prepare_demo


def test_prepare_demo_loads_the_plan_and_users_once(store) -> None:  # noqa: ANN001
    settings, users = prepare_demo(store, store.settings.with_(today=""))
    assert settings.today == DEMO_AS_OF.isoformat()  # statuses as of the demo's day
    assert {u for u, _role, _pw in users} == {"admin", "leader", "reporter", "viewer"}
    assert all(pw == "demo" for _u, _r, pw in users)
    with store.session() as s:
        leads = Counter(
            s.scalars(select(Target.lead_department_id).where(Target.lead_department_id.is_not(None)))
        )
        reporter = get_user(s, "reporter")
        assert reporter.department_id == leads.most_common(1)[0][0]  # the department leading the most targets
        n_users = s.scalar(select(func.count()).select_from(User))
    kept, again = prepare_demo(store, store.settings.with_(today="2024-05-31"))
    assert kept.today == "2024-05-31" and {u for u, _r, _p in again} == {u for u, _r, _p in users}
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(User)) == n_users  # idempotent
