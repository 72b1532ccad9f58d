"""Helpers for the extraction tests: one extracted figure, looked up by its surface text."""

from __future__ import annotations

import pytest

from luoshi.extraction import Item, extract_text


def figure(text: str, surface: str) -> Item | None:
    """The item whose span starts where ``surface`` first occurs in ``text`` (None if not found)."""
    start = text.index(surface)
    plan = extract_text(text)
    for item in plan.items():
        if item.span[0] <= start < item.span[1] or start <= item.span[0] < start + len(surface):
            return item
    return None


@pytest.fixture
def find_figure():  # type: ignore[no-untyped-def]
    return figure
