"""Routes do not query the ORM themselves: the account, admin, login and setup modules call the
read/write functions of luoshi.accounts, luoshi.store and luoshi.tracking."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import luoshi.web

WEB = Path(luoshi.web.__file__).resolve().parent
MODULES = (
    "audit_text.py",
    "admin_routes.py",
    "security.py",
    "csrf.py",
    "auth_routes.py",
    "account_routes.py",
    "throttle_routes.py",
    "setup_routes.py",
)
QUERY_METHODS = {"execute", "scalars", "scalar", "get", "get_one", "query"}
SESSION_NAMES = {"db", "session", "s"}


def _queries(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
            found.append(f"line {node.lineno}: from sqlalchemy import …")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if node.func.attr in QUERY_METHODS and isinstance(owner, ast.Name) and owner.id in SESSION_NAMES:
                found.append(f"line {node.lineno}: {owner.id}.{node.func.attr}(…)")
    return found


@pytest.mark.parametrize("name", MODULES)
def test_module_runs_no_orm_query(name: str) -> None:
    assert _queries(WEB / name) == []
