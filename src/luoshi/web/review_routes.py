"""Year-end review pages and API (placeholder until issue 5 lands)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
