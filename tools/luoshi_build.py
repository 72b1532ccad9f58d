"""The build backend: setuptools', plus mypy (mypyc) when ``LUOSHI_COMPILE=1`` asks for the
compiled extraction core (see setup.py). Without it nothing changes: the same pure-Python build."""

from __future__ import annotations

import os
from typing import Any

from setuptools.build_meta import *  # noqa: F403  # every hook not defined below is setuptools' own


def _compile_requires() -> list[str]:
    return ["mypy>=1.10"] if os.environ.get("LUOSHI_COMPILE") == "1" else []


# (setuptools' own hooks would run setup.py to read setup_requires, which we do not use, and
# setup.py cannot import mypyc before it is installed)
def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return _compile_requires()


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    return _compile_requires()
