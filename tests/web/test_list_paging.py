"""List pages page too: the 审核 queue shows 50 proposed targets a page, with the total and a pager."""

from __future__ import annotations

from luoshi.store.models import Target

from .conftest import login


def test_queue_pages_of_fifty(web) -> None:  # noqa: ANN001
    app, ids = web
    with app.state.store.session() as s:
        for i in range(60):
            s.add(
                Target(
                    report_id=ids.report_id,
                    title=f"待审核目标{i:02d}",
                    review_state="proposed",
                    origin="extracted",
                    position=10_000 + i,
                )
            )
    admin = login(app, "admin")
    first = admin.get("/queue", params={"report": ids.report_id})
    assert first.status_code == 200
    total = 60 + 1  # and the seeded proposed target
    assert f"{total} 项待审核" in first.text and f"全部采纳（{total} 项）" in first.text
    assert first.text.count('<section class="card">') == 50 and 'aria-label="分页"' in first.text
    second = admin.get("/queue", params={"report": ids.report_id, "page": 2})
    assert second.text.count('<section class="card">') == total - 50
    assert "待审核目标59" in second.text and "待审核目标59" not in first.text
    beyond = admin.get("/queue", params={"report": ids.report_id, "page": 99})
    assert beyond.status_code == 200 and beyond.text.count('<section class="card">') == total - 50
