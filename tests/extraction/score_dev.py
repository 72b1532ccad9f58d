"""Extract the texts of the evaluation kit beside the checkout (../shared/eval) and score them with
its unchanged score.py, over all texts and per genre (run by hand).

usage: python tests/extraction/score_dev.py [OUT_DIR] [--json]

The genre of each text is data (``data/dev_genres.tsv``, from the kit's SOURCES.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from luoshi.extraction import extract_text

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
GENRES_FILE = Path(__file__).with_name("data") / "dev_genres.tsv"
GENRES = ("national", "local", "news", "minsheng")


def genres() -> list[tuple[str, str]]:
    """(name prefix, genre) rows of the genre table."""
    rows = []
    for line in GENRES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            prefix, genre = line.split("\t")
            rows.append((prefix.strip(), genre.strip()))
    return rows


def genre_of(stem: str) -> str | None:
    return next((g for prefix, g in genres() if stem.startswith(prefix)), None)


def score_json(gold: Path, pred: Path) -> dict:  # type: ignore[type-arg]
    proc = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)["summary"]  # type: ignore[no-any-return]


def per_genre(gold: Path, pred: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """The scorer's summary for each genre: its gold files and predictions copied apart."""
    out: dict[str, dict] = {}  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory(prefix="luoshi-genre-") as tmp:
        for genre in GENRES:
            g, p = Path(tmp, genre, "gold"), Path(tmp, genre, "pred")
            g.mkdir(parents=True)
            p.mkdir(parents=True)
            for path in gold.glob("*.json"):
                if genre_of(path.stem) == genre and (pred / path.name).exists():
                    shutil.copy(path, g / path.name)
                    shutil.copy(pred / path.name, p / path.name)
            if any(g.iterdir()):
                out[genre] = score_json(g, p)
    return out


def genre_table(scores: dict[str, dict]) -> str:  # type: ignore[type-arg]
    lines = [
        f"{'genre':<10} {'target strict F1':>17} {'detect F1':>10} {'outcome strict F1':>18} {'detect F1':>10}"
    ]
    for genre, s in scores.items():
        t, o = s["target"], s["outcome"]
        lines.append(
            f"{genre:<10} {t['strict']['f1']:>11.3f} (n={t['gold']:>3}) {t['detect']['f1']:>10.3f}"
            f" {o['strict']['f1']:>12.3f} (n={o['gold']:>3}) {o['detect']['f1']:>10.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else Path(tempfile.mkdtemp(prefix="luoshi-dev-"))
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((EVAL / "texts").glob("*.txt")):
        plan = extract_text(path.read_text(encoding="utf-8"), path.name)
        (out / f"{path.stem}.json").write_text(json.dumps(plan.to_dict(), ensure_ascii=False), "utf-8")
    cmd = [
        sys.executable,
        str(EVAL / "score.py"),
        str(EVAL / "gold"),
        str(out),
        *[a for a in argv if a == "--json"],
    ]
    rc = subprocess.run(cmd, check=False).returncode
    if "--json" not in argv:
        print()
        print(genre_table(per_genre(EVAL / "gold", out)))
    return rc


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
