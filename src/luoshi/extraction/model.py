"""Typed results of extraction: pure data, no I/O.

Every figure carries its ``span`` in the text as decoded from the source file, so
``text[span[0]:span[1]]`` shows it (the traceability promise of luoshi).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["target", "outcome"]
Comparator = Literal[">=", "<=", "~", "=", "range"]
Direction = Literal["up", "down"]
Part = Literal["review", "plan", "other"]

__all__ = [
    "Basis",
    "Comparator",
    "Direction",
    "DocumentInfo",
    "Item",
    "Part",
    "Plan",
    "Project",
    "ProjectCount",
    "Role",
    "Section",
]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the stretch of text it governs."""

    heading: str
    span: tuple[int, int]
    part: Part

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "span": list(self.span), "part": self.part}


@dataclass(frozen=True, slots=True)
class Basis:
    """Why an item got its role: the anchor or cue ("新的一年", "2023年", "同比", a heading word)
    as the text writes it, and its span in the text."""

    cue: str
    span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"cue": self.cue, "span": list(self.span)}


@dataclass(frozen=True, slots=True)
class Item:  # (field order matters: the engine builds Items positionally)
    """One quantified target (plan) or outcome (review) found in the text."""

    role: Role
    span: tuple[int, int]
    surface: str
    value: float
    unit: str
    comparator: Comparator
    indicator: str
    sentence: tuple[int, int]
    value_max: float | None = None
    direction: Direction | None = None
    section: int | None = None
    deadline: int | None = None
    aspirational: bool = False
    basis: Basis | None = None  # the anchor or cue that decided the role (None: no cue, a target)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        d["sentence"] = list(self.sentence)
        d["basis"] = self.basis.to_dict() if self.basis is not None else None
        return d


@dataclass(frozen=True, slots=True)
class Project:
    """A named key project (…项目, …产业园, …工程)."""

    name: str
    span: tuple[int, int]
    category: str | None = None
    investment: float | None = None  # planned investment in 元, when stated

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True, slots=True)
class ProjectCount:
    """A count of planned projects by category ("222个重点项目，其中工业项目23个")."""

    category: str
    count: int
    span: tuple[int, int]
    investment: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    source: str | None
    sha256: str
    title: str | None = None
    jurisdiction: str | None = None
    report_year: int | None = None
    plan_year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Plan:
    """Everything extracted from one report."""

    document: DocumentInfo
    text: str
    sections: list[Section] = field(default_factory=list)
    targets: list[Item] = field(default_factory=list)
    outcomes: list[Item] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    project_counts: list[ProjectCount] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document written by ``luoshi extract --format json``."""
        return {
            "document": self.document.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "targets": [i.to_dict() for i in self.targets],
            "outcomes": [i.to_dict() for i in self.outcomes],
            "projects": [p.to_dict() for p in self.projects],
            "project_counts": [c.to_dict() for c in self.project_counts],
        }

    def items(self) -> list[Item]:
        return sorted([*self.targets, *self.outcomes], key=lambda i: i.span)

    def to_dataframe(self) -> Any:
        """One row per target/outcome as a pandas DataFrame (pandas is optional)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on environment
            raise ImportError("to_dataframe() needs pandas: pip install 'luoshi[pandas]'") from exc
        rows = []
        for item in self.items():
            row = item.to_dict()
            row["start"], row["end"] = item.span
            del row["span"]
            row["source"] = self.document.source
            rows.append(row)
        return pd.DataFrame(rows)
