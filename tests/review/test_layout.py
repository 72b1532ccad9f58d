"""luoshi.review as a package: its declared public API, and data flowing one way (tracking never imports it)."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import luoshi.review
from tests.conftest import REPO

SRC = REPO / "src" / "luoshi"


def _run(code: str) -> subprocess.CompletedProcess[str]:
    """Python in a fresh process, importing this checkout's package."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC.parent), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)


def _imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` or ``from … import`` names anywhere in a file (function bodies and
    TYPE_CHECKING blocks included), relative imports resolved against the file's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _names_review(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "luoshi.review" or m.startswith("luoshi.review.")}


def test_every_public_name_resolves() -> None:
    assert len(luoshi.review.__all__) == len(set(luoshi.review.__all__))
    assert {
        "review_plans",
        "review_items",
        "run_stored_review",
        "indicator_trend",
        "publish_scorecard",
        "flat_rows",
        "review_sides",
        "match_items",
    } <= set(luoshi.review.__all__)
    for name in luoshi.review.__all__:
        value = getattr(luoshi.review, name)
        home = getattr(value, "__module__", None)
        if home is not None and home.startswith("luoshi."):  # functions and classes: defined in the package
            assert home.startswith("luoshi.review."), (name, home)
    with pytest.raises(AttributeError):
        luoshi.review.no_such_name  # noqa: B018


def test_type_checking_imports_match_all() -> None:
    """The names mypy sees (the TYPE_CHECKING imports) are exactly the declared ones."""
    tree = ast.parse((SRC / "review" / "__init__.py").read_text(encoding="utf-8"))
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("luoshi.review.")
        for alias in node.names
    }
    assert imported == set(luoshi.review.__all__)


def test_each_public_name_has_one_home() -> None:
    """A re-exported name is declared by one submodule only, so the package's look-up is unambiguous."""
    homes: dict[str, list[str]] = {}
    for path in sorted((SRC / "review").glob("*.py")):
        if path.stem == "__init__":
            continue
        module = importlib.import_module(f"luoshi.review.{path.stem}")
        for name in getattr(module, "__all__", ()):
            homes.setdefault(name, []).append(path.stem)
    for name in luoshi.review.__all__:
        assert len(homes.get(name, [])) == 1, (name, homes.get(name))


@pytest.mark.parametrize("layer", ["tracking", "store", "extraction", "sources"])
def test_lower_layers_do_not_import_review(layer: str) -> None:
    """Data flows one way: the review reads tracking and the store; they never read the review."""
    offenders = {
        str(path.relative_to(REPO)): sorted(_names_review(_imported_modules(path)))
        for path in sorted((SRC / layer).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_scan_sees_imports_inside_functions() -> None:
    """The check above would catch a lazy import: review_routes imports the review inside a function too."""
    assert _names_review(_imported_modules(SRC / "cli" / "review_cmd.py"))
    assert "luoshi.review.store" in _imported_modules(SRC / "review" / "sides.py")


def test_importing_tracking_loads_no_review_module() -> None:
    modules = sorted(p.stem for p in (SRC / "tracking").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('luoshi.tracking.' + m)\n"
        "print(sorted(m for m in sys.modules if m.startswith('luoshi.review')))\n"
    )
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_old_module_paths_are_gone() -> None:
    """No compatibility shims: the review lives in luoshi.review only."""
    for old in (
        "matching",
        "matching_lexicon",
        "review",
        "review_eval",
        "review_export",
        "review_publish",
        "review_sides",
        "review_store",
    ):
        assert not (SRC / "tracking" / f"{old}.py").exists(), old
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"luoshi.tracking.{old}")


def test_the_matcher_loads_without_the_database_layer() -> None:
    """The corpus uses the matcher's text folding; importing it must not pull in SQLAlchemy."""
    code = "import sys, luoshi.review.matching; print('sqlalchemy' in sys.modules)"
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_share_met_counts_only_evaluated_targets() -> None:
    from luoshi.review.queries import share_met

    assert share_met({"met": 2, "exceeded": 1, "not_met": 1, "pending": 4, "not_evaluated": 2}) == 75.0
    assert share_met({"pending": 3}) == 0.0
    assert share_met({}) == 0.0
