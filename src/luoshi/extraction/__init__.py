"""Extraction: report text -> :class:`Plan`. Pure functions, no file, web or database I/O."""

from luoshi.extraction.engine import extract_text
from luoshi.extraction.model import (
    Basis,
    DocumentInfo,
    Item,
    Plan,
    Project,
    ProjectCount,
    Section,
)
from luoshi.extraction.normalize import canonical_unit

__all__ = [
    "Basis",
    "DocumentInfo",
    "Item",
    "Plan",
    "Project",
    "ProjectCount",
    "Section",
    "canonical_unit",
    "extract_text",
]
