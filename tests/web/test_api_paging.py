"""``GET /api/targets?limit=N&cursor=C``: ``{"items": [...], "next_cursor": "…" | null}``, keyset paged."""

from __future__ import annotations

from typing import Any


def _walk(client, limit: int, **params: Any) -> list[dict[str, Any]]:  # noqa: ANN001
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(1000):
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        r = client.get("/api/targets", params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        assert set(page) == {"items", "next_cursor"} and len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert page["items"], "a page with a next_cursor must not be empty"
    raise AssertionError("paging did not end")


def test_pages_of_one_give_the_whole_list_in_order(clients) -> None:  # noqa: ANN001
    c, _ids = clients
    viewer = c["viewer"]
    everything = viewer.get("/api/targets").json()
    assert everything["next_cursor"] is None and len(everything["items"]) >= 3
    for limit in (1, 2, 1000):
        assert [t["id"] for t in _walk(viewer, limit)] == [t["id"] for t in everything["items"]]
    first = viewer.get("/api/targets", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and isinstance(first["next_cursor"], str)


def test_paging_with_a_status_filter(clients) -> None:  # noqa: ANN001
    c, _ids = clients
    viewer = c["viewer"]
    everything = viewer.get("/api/targets").json()["items"]
    for code in {t["status"] for t in everything}:
        expected = [t["id"] for t in everything if t["status"] == code]
        assert [t["id"] for t in _walk(viewer, 1, status=code)] == expected


def test_bad_limit_or_cursor_is_422_with_a_message(clients) -> None:  # noqa: ANN001
    c, _ids = clients
    anon = c["anonymous"]
    for limit in ("0", "1001", "-5", "ten"):
        r = anon.get("/api/targets", params={"limit": limit})
        assert r.status_code == 422, (limit, r.text)
        assert "limit" in r.text or "条数" in r.text  # the field is named, in Chinese for people
    for cursor in ("not-a-cursor", "!!!", "MS4y"):  # the last is base64 of "1.2": too few parts
        r = anon.get("/api/targets", params={"cursor": cursor})
        assert r.status_code == 422 and "cursor 无效" in r.json()["detail"], (cursor, r.text)
