"""Architecture: web routes do not query the ORM (issue 9, "one read model").

Reads go through luoshi.tracking (listing, public, queries, current), luoshi.supervision,
luoshi.notify and luoshi.accounts; a module under src/luoshi/web that builds a query
(``select``/``func``/``text``… from sqlalchemy) or runs one (``.execute(``, ``.scalars(``,
``.scalar(``, ``.query(``, ``db.get(Model, …)``) fails here. The check reads the source (AST), so
docstrings and comments that name these calls do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import luoshi.store.models as models

WEB = Path(__file__).resolve().parents[1] / "src" / "luoshi" / "web"

QUERY_BUILDERS = {"select", "func", "text", "insert", "update", "delete", "exists", "union", "union_all"}
RUNNERS = {"execute", "scalars", "scalar", "query"}
SESSION_NAMES = {"db", "session", "s", "sess"}
MODELS = set(models.__all__)


def violations(source: str) -> list[str]:
    """Each ORM query a module's source builds or runs, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            for alias in node.names:
                if alias.name in QUERY_BUILDERS:
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "sqlalchemy"
        ):
            if node.attr in QUERY_BUILDERS:
                found.append(f"{node.lineno}: sqlalchemy.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in RUNNERS:
                found.append(f"{node.lineno}: .{name}(")
            elif name in ("get", "get_one") and node.args:
                receiver, first = node.func.value, node.args[0]
                by_model = isinstance(first, ast.Name) and first.id in MODELS
                by_session = isinstance(receiver, ast.Name) and receiver.id in SESSION_NAMES
                if by_model or by_session:
                    found.append(f"{node.lineno}: .get({ast.unparse(first)}, …)")
    return found


def _modules() -> list[Path]:
    return sorted(p for p in WEB.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(WEB)))
def test_web_module_does_not_query_the_orm(path: Path) -> None:
    found = violations(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.name} queries the ORM; move the query into tracking/supervision/notify/accounts:\n"
        + ("\n".join(found))
    )


def test_the_old_query_module_is_gone() -> None:
    """luoshi.web.queries moved to luoshi.tracking.listing; nothing may bring it back."""
    assert not (WEB / "queries.py").exists()


@pytest.mark.parametrize(
    "snippet",
    [
        "from sqlalchemy import select\n",
        "from sqlalchemy import func as f\n",
        "import sqlalchemy\nq = sqlalchemy.select(1)\n",
        "rows = db.execute(q).all()\n",
        "rows = list(db.scalars(q))\n",
        "n = session.scalar(q)\n",
        "t = db.get(Target, 3)\n",
        "t = request.state.db.get(Report, 3)\n",
        "t = session.get(thing, 3)\n",
    ],
)
def test_the_check_finds_queries(snippet: str) -> None:
    assert violations(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '"""Docs may say db.execute(select(...)) and session.get(Target, 1)."""\n',
        "from sqlalchemy.orm import Session\n",
        "v = request.query_params.get('report')\n",
        "x = {'a': 1}.get('a')\n",
        "# db.scalars(select(Target))\n",
    ],
)
def test_the_check_lets_plain_code_pass(snippet: str) -> None:
    assert not violations(snippet)
