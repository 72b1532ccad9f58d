"""Numbered pages of the web's list pages (``?page=N``): one page size, one reading of the page
number and one pager (templates/_pager.html, which takes the ``page`` and ``pages`` this gives).

A page number that is not a plain integer reads as page 1; one past the end shows the last page
(its number marked in the pager), so a bookmarked page of a list that has shrunk still answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from luoshi.web.params import as_int

__all__ = ["PAGE_SIZE", "Page", "page_of"]

PAGE_SIZE = 50  # rows per page of a list page

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    """Page ``number`` (1-based) of ``pages`` over ``total`` rows, ``size`` rows a page."""

    number: int
    pages: int
    total: int
    size: int

    @property
    def offset(self) -> int:
        """How many rows come before this page (an SQL OFFSET)."""
        return (self.number - 1) * self.size

    def rows(self, items: Sequence[T]) -> Sequence[T]:
        """This page's rows of all ``items`` (the ones the ``total`` counted)."""
        return items[self.offset : self.offset + self.size]

    def context(self) -> dict[str, Any]:
        """What _pager.html and a list's heading read: ``page``, ``pages`` and ``total``."""
        return {"page": self.number, "pages": self.pages, "total": self.total}


def page_of(raw: object, total: int, size: int = PAGE_SIZE) -> Page:
    """The page asked for by ``raw`` (the ``page`` query value) of ``total`` rows."""
    pages = max(1, -(-total // size))
    return Page(min(max(1, as_int(raw) or 1), pages), pages, total, size)
