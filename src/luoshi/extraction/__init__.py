"""Extraction: report text -> :class:`Plan`. Pure functions, no file, web or database I/O."""

from luoshi.extraction import engine as _engine
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

# True in the optional mypyc build (``LUOSHI_COMPILE=1 pip install .``): the modules are C
# extensions there, the same code and the same results, about a third faster
COMPILED: bool = not (_engine.__file__ or "").endswith(".py")

__all__ = [
    "COMPILED",
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
