"""Extraction: report text -> :class:`Plan`. Pure functions, no file, web or database I/O."""

from luoshi.extraction.engine import extract_text
from luoshi.extraction.model import (
    DocumentInfo,
    Item,
    Plan,
    Project,
    ProjectCount,
    Section,
)
from luoshi.extraction.normalize import canonical_unit

__all__ = [
    "DocumentInfo",
    "Item",
    "Plan",
    "Project",
    "ProjectCount",
    "Section",
    "canonical_unit",
    "extract_text",
]
