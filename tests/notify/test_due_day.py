"""On its due day a report is due, not late: the status, the 催办 and the department's inbox agree
(found by the office's month in the browser, tests/e2e)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.supervision.conftest import build_plan

from luoshi.notify.inbox import department_inbox
from luoshi.notify.statuses import current_statuses
from luoshi.settings import Settings
from luoshi.store import open_store


def test_due_day_lists_todays_report_not_next_months(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", secret_key="s")
    store = open_store(settings)
    try:
        plan = build_plan(store)  # t1 (区发改局): June reported on 2024-06-30
        with store.session() as s:
            on_the_day = current_statuses(s, settings, date(2024, 7, 28), [plan.t1])[plan.t1].result
            assert not on_the_day.report_overdue  # July's report is due today, not missing yet
            box = department_inbox(s, settings, plan.fagai, date(2024, 7, 28))
            due = {item.target.id: item for item in box.due}
            assert due[plan.t1].due == date(2024, 7, 28) and not due[plan.t1].overdue
            late = department_inbox(s, settings, plan.fagai, date(2024, 7, 29))
            item = {i.target.id: i for i in late.due}[plan.t1]
            assert item.due == date(2024, 7, 28) and item.overdue
            before = department_inbox(s, settings, plan.fagai, date(2024, 7, 27))
            assert {i.target.id: i.due for i in before.due}[plan.t1] == date(2024, 7, 28)
    finally:
        store.dispose()
