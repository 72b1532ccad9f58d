"""Named key projects and counts of planned projects."""

from __future__ import annotations

from luoshi.extraction.model import Project, ProjectCount

__all__ = ["find_project_counts", "find_projects"]


def find_projects(text: str, norm: str) -> list[Project]:
    return []


def find_project_counts(text: str, norm: str) -> list[ProjectCount]:
    return []
