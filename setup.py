"""Only for the optional compiled build: ``LUOSHI_COMPILE=1 pip install .`` compiles the
extraction core (``luoshi.extraction``, pure functions, mypy-strict) to C with mypyc, about a
third faster per character. Everything else, metadata included, lives in pyproject.toml; without
the variable this adds nothing and the package stays pure Python."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setuptools import setup


def _ext_modules() -> list[Any]:
    if os.environ.get("LUOSHI_COMPILE") != "1":
        return []
    from mypyc.build import mypycify

    # __init__ stays Python (it re-exports, and tells whether the rest is compiled), and so does
    # model: its dataclasses are what every other layer stores, pickles and reads field by field
    keep = {"__init__.py", "model.py"}
    sources = sorted(str(p) for p in Path("src/luoshi/extraction").glob("*.py") if p.name not in keep)
    return mypycify(sources, opt_level="3")


setup(ext_modules=_ext_modules())
