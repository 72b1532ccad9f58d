"""Extract the shared dev texts and score them with the unchanged score.py (run by hand).

usage: python tests/extraction/score_dev.py [OUT_DIR] [--json]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from luoshi.extraction import extract_text

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else Path(tempfile.mkdtemp(prefix="luoshi-dev-"))
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((EVAL / "texts").glob("*.txt")):
        plan = extract_text(path.read_text(encoding="utf-8"), path.name)
        (out / f"{path.stem}.json").write_text(json.dumps(plan.to_dict(), ensure_ascii=False), "utf-8")
    cmd = [sys.executable, str(EVAL / "score.py"), str(EVAL / "gold"), str(out), *[a for a in argv if a == "--json"]]
    return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
