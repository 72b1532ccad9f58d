"""The stored review on a real PostgreSQL server (private schema; skipped where there is none)."""

from __future__ import annotations

import pytest

from luoshi.settings import Settings
from tests.review.conftest import plan_2023, plan_2024


@pytest.mark.postgres
def test_stored_review_on_postgres(postgres_url: str) -> None:
    from luoshi.review.store import override_result, review_rows, run_stored_review
    from luoshi.store import open_store
    from luoshi.store.testing import private_postgres_schema
    from luoshi.tracking.importer import import_plan

    with private_postgres_schema(postgres_url) as url:
        store = open_store(Settings(database_url=url))
        try:
            with store.session() as s:
                a = import_plan(s, plan_2023(), "示例区", 2023).report.id
                import_plan(s, plan_2024(), "示例区", 2024)
            with store.session() as s:
                rows = run_stored_review(s, a, actor="test")
                jobs = next(r for r in rows if r.verdict == "exceeded" and r.ratio and r.ratio < 1.2)
                override_result(s, jobs.id, "admin", verdict="met", reason="人工")
            with store.session() as s:
                run_stored_review(s, a)
                verdicts = {x.target.indicator: (x.result.verdict, x.result.state) for x in review_rows(s, a)}
            assert verdicts["城镇新增就业"] == ("met", "overridden")
            assert verdicts["新建5G基站"] == ("partly_met", "auto")
            assert verdicts["城镇登记失业率"] == ("no_outcome", "auto")
        finally:
            store.dispose()
