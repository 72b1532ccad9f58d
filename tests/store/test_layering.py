"""Data flows one way: the store imports neither the layers above it nor the web."""

from __future__ import annotations

import ast
from pathlib import Path

import luoshi.store

STORE = Path(luoshi.store.__file__).resolve().parent
ABOVE = (
    "luoshi.accounts",
    "luoshi.tracking",
    "luoshi.review",
    "luoshi.notify",
    "luoshi.supervision",
    "luoshi.web",
    "luoshi.cli",
    "luoshi.corpus",
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_store_imports_no_higher_layer() -> None:
    modules = sorted(p for p in STORE.rglob("*.py") if "migrations" not in p.parts)
    assert {p.name for p in modules} >= {"backup.py", "audit_guard.py", "audit_export.py", "audit.py"}
    offending = {
        str(p.relative_to(STORE)): sorted(n for n in _imports(p) if n.startswith(ABOVE)) for p in modules
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_nothing_is_left_in_accounts() -> None:
    accounts = STORE.parent / "accounts"
    assert not {"backup.py", "audit_guard.py", "audit_export.py"} & {p.name for p in accounts.iterdir()}
