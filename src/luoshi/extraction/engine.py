"""Placeholder engine: replaced by the real rules (issue 2)."""

from __future__ import annotations

import hashlib

from luoshi.extraction.model import DocumentInfo, Plan


def extract_text(text: str, source: str | None = None) -> Plan:
    """Extract targets, outcomes, sections and projects from report text."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Plan(document=DocumentInfo(source=source, sha256=sha), text=text)
