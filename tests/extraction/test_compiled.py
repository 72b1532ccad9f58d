"""The optional compiled build (``LUOSHI_COMPILE=1 pip install .``, mypyc) gives the same plans
as the pure-Python package, and passes the extraction tests.

It needs such a build in a folder of its own (a wheel unpacked there); ``.ci/run`` makes one and
names it in ``LUOSHI_TEST_COMPILED_PATH``. Elsewhere these tests skip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from tests.extraction.test_dev_score import hard_wrap

import luoshi.extraction
from luoshi.extraction import extract_text

REPO = Path(__file__).resolve().parents[2]
COMPILED_PATH = os.environ.get("LUOSHI_TEST_COMPILED_PATH", "")
SHARED_TEXTS = REPO.parent / "shared" / "eval" / "texts"

pytestmark = pytest.mark.skipif(
    not COMPILED_PATH,
    reason="no compiled build: set LUOSHI_TEST_COMPILED_PATH to a folder holding an unpacked "
    "LUOSHI_COMPILE=1 wheel (.ci/run does)",
)

# run in the compiled build: every text in the folder argv[1] to its plan's JSON in argv[2]
_CHILD = """
import json, sys
from pathlib import Path
import luoshi.extraction as e
assert e.COMPILED, "the compiled build was not the one imported"
assert Path(e.__file__).is_relative_to(sys.argv[3]), e.__file__
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    plan = e.extract_text(p.read_text(encoding="utf-8"), p.name)
    (Path(sys.argv[2]) / (p.stem + ".json")).write_text(
        json.dumps(plan.to_dict(), ensure_ascii=False, sort_keys=True), encoding="utf-8")
"""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = COMPILED_PATH  # ahead of the editable install's source folder
    env.pop("LUOSHI_TEST_COMPILED_PATH")  # (the child's own run of this file skips)
    return env


def _texts() -> dict[str, str]:
    """The bundled demo report as written, in traditional script and wrapped as a PDF gives it;
    the shared dev texts where the evaluation kit is beside the checkout."""
    import opencc

    demo = (files("luoshi") / "data" / "zhangdian-2024.txt").read_text(encoding="utf-8")
    texts = {
        "demo": demo,
        "demo-traditional": opencc.OpenCC("s2tw").convert(demo),
        "demo-wrapped": hard_wrap(demo, 28)[0],
    }
    if SHARED_TEXTS.is_dir():
        texts.update({p.stem: p.read_text(encoding="utf-8") for p in sorted(SHARED_TEXTS.glob("*.txt"))})
    return texts


def test_compiled_build_gives_the_same_plans(tmp_path: Path) -> None:
    assert not luoshi.extraction.COMPILED  # this process runs the sources
    src, out = tmp_path / "texts", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    texts = _texts()
    for name, text in texts.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), str(out), COMPILED_PATH], env=_child_env(), check=True
    )
    items = 0
    for name, text in texts.items():
        plan = extract_text(text, f"{name}.txt")
        items += len(plan.targets) + len(plan.outcomes)
        expected = json.dumps(plan.to_dict(), ensure_ascii=False, sort_keys=True)
        assert (out / f"{name}.json").read_text(encoding="utf-8") == expected, name
    assert items > 100  # the comparison covered real plans, not empty ones


def test_extraction_tests_pass_on_the_compiled_build() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/extraction",
            "tests/cli_extract",
        ],
        cwd=REPO,
        env=_child_env(),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout
