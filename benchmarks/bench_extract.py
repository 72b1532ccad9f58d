"""Benchmark of extraction (run by hand, not in CI): ``python benchmarks/bench_extract.py``.

Prints medians (and bests) of CPU time, not wall time (the machine may be shared):
- throughput of ``extract_text`` in characters/second of CPU on one core, over the shared texts
  (or the bundled demo report) concatenated and repeated to >= 5 million characters; and over
  the shared texts each extracted on its own, repeated to as many characters;
- CPU time of ``luoshi extract`` on one report from a cold start (new process each run, started
  as the ``luoshi`` console script starts it, with a warm bytecode cache as after ``pip install``),
  interleaved with runs of a bare interpreter;
- the import time of that command and whether any web/database module got imported;
- wall time and peak memory (maxrss) of ``luoshi extract`` on a generated 50 MB text file.

Targets (issue 2, raised by issue 12): >= 3 million chars/s, cold start < 0.3 s, 50 MB well
under 1 GB.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from importlib.resources import files
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_TEXTS = REPO.parent / "shared" / "eval" / "texts"
FORBIDDEN = ("fastapi", "sqlalchemy", "jinja2", "uvicorn", "openpyxl", "pandas", "alembic", "starlette")
# not needed by `luoshi extract FILE -o OUT.json` (the CLI machinery; colloquial numerals' cn2an)
LAZY = ("typer", "click", "pydantic", "rich", "cn2an")


def corpus() -> tuple[str, str]:
    paths = sorted(SHARED_TEXTS.glob("*.txt")) if SHARED_TEXTS.is_dir() else []
    if paths:
        return "".join(p.read_text(encoding="utf-8") for p in paths), f"{len(paths)} shared texts"
    demo = Path(str(files("luoshi") / "data" / "zhangdian-2024.txt"))
    return demo.read_text(encoding="utf-8"), "bundled demo report"


def demo_report() -> Path:
    shared = SHARED_TEXTS / "national-2023.txt"
    return shared if shared.is_file() else Path(str(files("luoshi") / "data" / "zhangdian-2024.txt"))


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def bench_throughput(min_chars: int, runs: int) -> tuple[float, int, list[float]]:
    """Characters per second of CPU time (``time.process_time``: the machine may be shared, and
    CPU time is what another process's load does not inflate)."""
    from luoshi.extraction import extract_text

    text, _ = corpus()
    big = text * (min_chars // len(text) + 1)
    extract_text(big[:100_000])  # warm up lexicons and compiled patterns
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        extract_text(big)
        rates.append(len(big) / (time.process_time() - t0))
    return statistics.median(rates), len(big), rates


def bench_throughput_documents(min_chars: int, runs: int) -> tuple[float, int, list[float]] | None:
    """The same rate with each shared text extracted on its own (as ``luoshi corpus`` does),
    repeated to >= ``min_chars``: the per-document work (document facts, the sampled tests of
    script and wrapping) counts here, and one traditional text does not convert the rest."""
    from luoshi.extraction import extract_text

    paths = sorted(SHARED_TEXTS.glob("*.txt")) if SHARED_TEXTS.is_dir() else []
    if not paths:
        return None
    docs = [p.read_text(encoding="utf-8") for p in paths]
    size = sum(len(d) for d in docs)
    repeat = min_chars // size + 1
    for d in docs:
        extract_text(d)  # warm up
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        for _ in range(repeat):
            for d in docs:
                extract_text(d)
        rates.append(size * repeat / (time.process_time() - t0))
    return statistics.median(rates), size * repeat, rates


def _luoshi_cmd(*args: str) -> list[str]:
    """``luoshi ARGS`` as the console script runs it: its entry point (pyproject.toml), called."""
    entry = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, func = entry["luoshi"].split(":")
    code = f"import sys; sys.argv[0] = 'luoshi'; from {module} import {func}; sys.exit({func}())"
    return [sys.executable, "-c", code, *args]


def _cpu_seconds(cmd: list[str]) -> float:
    """CPU time (user + system) of one child process: wall time on a loaded machine says little."""
    proc = subprocess.Popen(cmd, env=_env())
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return usage.ru_utime + usage.ru_stime


def bench_cold_start(report: Path, runs: int) -> tuple[float, float, float, str]:
    """Median and best CPU time of `luoshi extract` on one report, a new process each run; the
    median of a bare interpreter's runs interleaved with them; and the state of the bytecode cache.

    The package's bytecode is compiled first, as ``pip install`` does (else, with
    ``PYTHONDONTWRITEBYTECODE`` set, every run would compile luoshi's sources again), and one
    untimed run comes first.
    """
    bytecode = _compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = _luoshi_cmd("extract", str(report), "-o", str(Path(tmp) / "out.json"))
        _cpu_seconds(cmd)
        times, bare = [], []
        for _ in range(runs):
            times.append(_cpu_seconds(cmd))
            bare.append(_cpu_seconds([sys.executable, "-c", "pass"]))
    return statistics.median(times), min(times), statistics.median(bare), bytecode


def _compile_package() -> str:
    """Compile luoshi's modules to their bytecode cache; "warm", or what is not cached."""
    spec = importlib.util.find_spec("luoshi")
    if spec is None or spec.origin is None:
        return "unknown (luoshi not found)"
    package = Path(spec.origin).parent
    compileall.compile_dir(package, quiet=1)
    sources = sorted(package.rglob("*.py"))
    missing = [p for p in sources if not Path(importlib.util.cache_from_source(str(p))).is_file()]
    return f"cold: {len(missing)} of {len(sources)} modules not cached" if missing else "warm"


def bench_importtime(report: Path) -> tuple[float, list[str], list[str], list[tuple[int, str]]]:
    """Total self-import time (s), forbidden and lazy modules imported, the heaviest top-level imports."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                *_luoshi_cmd("extract", str(report), "-o", str(Path(tmp) / "o.json"))[1:],
            ],
            capture_output=True,
            text=True,
            check=True,
            env=_env(),
        )
    total_us = 0
    modules: dict[str, int] = {}
    roots: set[str] = set()
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        total_us += int(m.group(1))
        roots.add(m.group(4).split(".")[0])
        if len(m.group(3)) == 1:  # a top-level import: its cumulative time
            modules[m.group(4)] = int(m.group(2))
    heaviest = sorted(((us, name) for name, us in modules.items()), reverse=True)[:5]
    return total_us / 1e6, sorted(roots & set(FORBIDDEN)), sorted(roots & set(LAZY)), heaviest


def bench_big_file(megabytes: int) -> tuple[float, float, int] | None:
    """Wall time (s), peak RSS (MB) of `luoshi extract` on a generated file, and its size in chars."""
    text, _ = corpus()
    target = megabytes * 1024 * 1024
    chunk = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        with open(path, "wb") as fh:
            written = 0
            while written < target:
                fh.write(chunk)
                written += len(chunk)
        chars = len(chunk.decode("utf-8")) * (written // len(chunk))
        t0 = time.perf_counter()
        # (the caps on a report's size and items are lifted: this measures time and memory
        # against size, not the refusal a real 50 MB "report" gets)
        caps = {
            "LUOSHI_IMPORT_MAX_FILE_BYTES": str(2 * target),
            "LUOSHI_IMPORT_MAX_TEXT_CHARS": str(2 * target),
            "LUOSHI_REPORT_MAX_ITEMS": str(10**9),
        }
        proc = subprocess.Popen(
            _luoshi_cmd("extract", str(path), "-o", str(Path(tmp) / "big.json")), env={**_env(), **caps}
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            return None  # refused (its message is above): the other figures still print
    return elapsed, usage.ru_maxrss / 1024, chars  # ru_maxrss is in KiB on Linux


def compiled() -> bool:
    from luoshi.extraction import COMPILED

    return COMPILED


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "CI": "true"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-chars", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-mb", type=int, default=50, help="size of the generated file (0 to skip)")
    args = parser.parse_args()

    pin_one_core()
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    _, corpus_name = corpus()
    report = demo_report()
    rate, n_chars, rates = bench_throughput(args.min_chars, args.runs)
    per_doc = bench_throughput_documents(args.min_chars, args.runs)
    cold, cold_best, bare, bytecode = bench_cold_start(report, args.runs)
    imp, forbidden, lazy, heaviest = bench_importtime(report)
    rows = [
        ("commit", head.stdout.strip() or "?", ""),
        ("compiled build (mypyc)", "yes" if compiled() else "no", "LUOSHI_COMPILE=1 pip install . (README)"),
        ("corpus", f"{corpus_name}, repeated to {n_chars:,} chars", ""),
        (
            "throughput (CPU, median)",
            f"{rate:,.0f} chars/s",
            f"best {max(rates) / 1e6:.2f}M; runs: {', '.join(f'{r / 1e6:.2f}M' for r in rates)}",
        ),
        *(
            [
                (
                    "  each text on its own (CPU, median)",
                    f"{per_doc[0]:,.0f} chars/s",
                    f"best {max(per_doc[2]) / 1e6:.2f}M; {per_doc[1]:,} chars in all",
                )
            ]
            if per_doc
            else []
        ),
        (
            "cold start `luoshi extract` (CPU)",
            f"{cold:.3f} s",
            f"best {cold_best:.3f} s; {report.name}, median of {args.runs}; bytecode cache {bytecode}",
        ),
        (
            "  bare `python -c pass` (CPU)",
            f"{bare:.3f} s",
            "interpreter start-up included above; interleaved",
        ),
        (
            "import time (-X importtime)",
            f"{imp:.3f} s",
            "heaviest: " + ", ".join(f"{n} {us / 1000:.0f}ms" for us, n in heaviest),
        ),
        ("web/db modules imported", ", ".join(forbidden) or "none", ""),
        ("CLI machinery, cn2an imported", ", ".join(lazy) or "none", ", ".join(LAZY)),
    ]
    big = bench_big_file(args.big_mb) if args.big_mb else None
    if args.big_mb and big is None:
        rows.append((f"{args.big_mb} MB file (`luoshi extract`)", "refused by luoshi extract", "see above"))
    elif big is not None:
        elapsed, rss_mb, chars = big
        rows.append(
            (
                f"{args.big_mb} MB file (`luoshi extract`)",
                f"{elapsed:.1f} s, peak RSS {rss_mb:,.0f} MB",
                f"{chars:,} chars",
            )
        )
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:<28}  {note}".rstrip())


if __name__ == "__main__":
    main()
