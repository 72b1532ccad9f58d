"""The work of ``luoshi extract PATH... [--format json|table|csv|xlsx] [--output FILE_OR_DIR]``.

Thin: sources.load -> extraction.extract_text -> a formats writer. One bad file prints one
error line and the rest carry on; the exit status is 2 if any file failed.

Free of typer: the command's options and help are declared in :mod:`luoshi.cli.extract_cmd`;
:func:`parse_plain` reads the plain arguments it is mostly given, so that :func:`luoshi.cli.main`
can run it without building the Typer app.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from luoshi.extraction.model import Plan

__all__ = ["FORMAT_OPTION", "OUTPUT_OPTION", "Format", "parse_plain", "run"]


class Format(StrEnum):
    json = "json"
    table = "table"
    csv = "csv"
    xlsx = "xlsx"


FORMAT_OPTION = ("--format", "-f")
OUTPUT_OPTION = ("--output", "-o")
_OPTIONS = {name: option[0] for option in (FORMAT_OPTION, OUTPUT_OPTION) for name in option}


def parse_plain(args: Sequence[str]) -> tuple[list[Path], Format, str | None] | None:
    """:func:`run`'s arguments from the words after ``extract``, read as the Typer app reads them.

    None for anything but paths (``-`` for stdin), ``--``, and at most one ``--format``/``-f`` and
    one ``--output``/``-o``, each with its value as the next word or after ``--long=``: the app
    then reads the words itself (help, rarer spellings) and words any mistake in its own way.
    """
    paths: list[Path] = []
    values: dict[str, str] = {}  # option's long name -> value
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            if "" in args[i:]:
                return None
            paths.extend(Path(w) for w in args[i:])
            break
        if word == "-" or not word.startswith("-"):
            if not word:
                return None  # the app reads "" as "."
            paths.append(Path(word))
            continue
        name, eq, value = word.partition("=")
        if not eq:
            if i == len(args):
                return None
            value = args[i]
            i += 1
        elif not name.startswith("--"):
            return None  # "-o=x" is "-o" with the value "=x"
        option = _OPTIONS.get(name)
        if option is None or option in values or not value or (value.startswith("-") and value != "-"):
            return None
        values[option] = value
    fmt = values.get(FORMAT_OPTION[0], Format.json.value)
    if not paths or fmt not in {f.value for f in Format}:
        return None
    return paths, Format(fmt), values.get(OUTPUT_OPTION[0])


def run(paths: Sequence[Path], fmt: Format, output: str | None) -> int:
    """Extract ``paths`` to ``output`` (a file, a folder, ``-`` or None for stdout); the exit status."""
    from luoshi.sources import SUPPORTED_SUFFIXES

    several = len(paths) > 1 or any(p.is_dir() for p in paths)
    files, failed = _expand(paths, SUPPORTED_SUFFIXES)
    if output == "-":
        output = None
    if fmt is Format.xlsx and output is None:
        _error("--format xlsx writes a workbook, not text: give --output FILE.xlsx or --output DIR/")
        return 2
    if output is None:
        failed |= _to_stdout(files, fmt, several)
    elif several or Path(output).is_dir() or output.endswith(("/", os.sep)):
        failed |= _to_dir(files, fmt, Path(output))
    else:
        failed |= _to_file(files, fmt, Path(output))
    return 2 if failed else 0


def _expand(paths: Sequence[Path], suffixes: Sequence[str]) -> tuple[list[Path], bool]:
    """Input paths with folders replaced by their supported files (sorted, not recursive)."""
    files: list[Path] = []
    failed = False
    for p in paths:
        if p.is_dir():
            found = sorted(
                c for c in p.iterdir() if c.is_file() and c.suffix.lower() in suffixes and not _hidden(c)
            )
            if not found:
                _error(f"{p}: no report files in this folder (looked for {' '.join(suffixes)})")
                failed = True
            files.extend(found)
        else:
            files.append(p)  # a missing or unsupported file (or "-", stdin) is handled when loaded
    return files, failed


def _hidden(path: Path) -> bool:
    # Dot files and Word's "~$name.docx" lock files are not reports.
    return path.name.startswith((".", "~$"))


def _extract_one(path: Path) -> Plan | None:
    """Load and extract one file; print its error line and return None on failure."""
    from luoshi.reading import read_plan
    from luoshi.settings import from_env
    from luoshi.sources import SourceError
    from luoshi.sources.limits import InputLimits

    # the caps are settings (LUOSHI_IMPORT_MAX_FILE_BYTES …), read here at the edge
    limits = InputLimits.from_settings(from_env())

    try:
        if str(path) == "-":
            read, plan = read_plan(text=_read_stdin(), limits=limits)
        else:
            read, plan = read_plan(path=path, limits=limits)
    except SourceError as exc:
        _error(str(exc))
        return None
    except Exception as exc:  # noqa: BLE001 - an engine bug must not stop a batch
        _error(f"{path}: extraction failed ({exc.__class__.__name__}: {exc})")
        return None
    for warning in read.warnings:
        print(f"luoshi: warning: {path}: {warning}", file=sys.stderr, flush=True)
    return plan


def _read_stdin() -> str:
    """``-`` as a PATH: report text piped in, its encoding detected like a .txt file's."""
    from luoshi.sources import SourceError, decode_bytes
    from luoshi.sources.textcodec import BinaryDataError

    try:
        return decode_bytes(sys.stdin.buffer.read())[0]
    except BinaryDataError as exc:
        raise SourceError("<stdin>", str(exc)) from exc


def _plans(files: Sequence[Path]) -> Iterator[tuple[Path, Plan | None]]:
    with _progress(len(files)) as advance:
        for path in files:
            plan = _extract_one(path)
            advance(path)
            yield path, plan


def _to_stdout(files: Sequence[Path], fmt: Format, several: bool) -> bool:
    results = list(_plans(files))
    plans = [plan for _, plan in results if plan is not None]
    failed = len(plans) < len(results)
    if fmt is Format.table:
        from rich.console import Console

        from luoshi.formats.table_fmt import render_table

        console = Console(highlight=False)
        for plan in plans:
            render_table(plan, console)
        return failed
    if fmt is Format.json:
        from luoshi.formats import iter_json

        if plans or several:
            for chunk in iter_json(plans if several else plans[0]):
                _write_stdout(chunk.encode("utf-8"), flush=False)
            _write_stdout(b"")
        return failed
    from luoshi.formats.csv_fmt import render_csv

    # A BOM helps Excel when stdout is redirected to a file, but would corrupt a pipe.
    bom = b"\xef\xbb\xbf" if _stdout_is_regular_file() else b""
    _write_stdout(bom + render_csv(plans).encode("utf-8"))
    return failed


def _to_file(files: Sequence[Path], fmt: Format, out: Path) -> bool:
    for path, plan in _plans(files[:1]):
        return plan is None or not _save(plan, fmt, out, source=path)
    return True


def _to_dir(files: Sequence[Path], fmt: Format, out_dir: Path) -> bool:
    from luoshi.formats import SUFFIXES

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _error(f"{out_dir}: cannot create output folder ({exc.strerror or exc})")
        return True
    used: set[str] = set()
    failed = False
    for path, plan in _plans(files):
        if plan is None:
            failed = True
            continue
        stem = "stdin" if str(path) == "-" else path.stem
        name = _unique_name(stem, SUFFIXES[fmt.value], used)
        failed |= not _save(plan, fmt, out_dir / name, source=path)
    return failed


def _unique_name(stem: str, suffix: str, used: set[str]) -> str:
    """``X.json`` for input ``X.ext``; ``X-2.json`` if two inputs share a stem."""
    name, n = stem + suffix, 1
    while name.lower() in used:
        n += 1
        name = f"{stem}-{n}{suffix}"
    used.add(name.lower())
    return name


def _save(plan: Plan, fmt: Format, out: Path, *, source: Path) -> bool:
    """Write one output file atomically (temp file + rename); False after printing an error."""
    if _same_file(out, source):
        _error(f"{out}: refusing to overwrite the input report with its own {fmt.value} output")
        return False
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if fmt is Format.xlsx:
            from luoshi.formats.xlsx_fmt import write_xlsx

            write_xlsx([plan], tmp)
        elif fmt is Format.json:
            from luoshi.formats import iter_json

            with open(tmp, "w", encoding="utf-8", newline="") as text_fh:
                text_fh.writelines(iter_json(plan))
        else:
            with open(tmp, "wb") as fh:
                fh.write(_render_bytes(plan, fmt))
        os.replace(tmp, out)
    except OSError as exc:
        _error(f"{out}: cannot write ({exc.strerror or exc})")
        tmp.unlink(missing_ok=True)
        return False
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and a.samefile(b)
    except OSError:
        return False


def _render_bytes(plan: Plan, fmt: Format) -> bytes:
    if fmt is Format.csv:
        from luoshi.formats.csv_fmt import render_csv

        return b"\xef\xbb\xbf" + render_csv([plan]).encode("utf-8")
    import io

    from rich.console import Console

    from luoshi.formats.table_fmt import render_table

    buf = io.StringIO()
    render_table(plan, Console(file=buf, width=160, color_system=None, highlight=False))
    return buf.getvalue().encode("utf-8")


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A rich progress bar on stderr for several files on an interactive terminal; else nothing."""
    if total < 2 or not _interactive():
        yield lambda _path: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("extracting", total=total)

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=f"extracting {path.name}")

        yield advance


def _interactive() -> bool:
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty() and sys.stderr.isatty()


def _stdout_is_regular_file() -> bool:
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False  # CliRunner's captured stream has no file descriptor


def _write_stdout(data: bytes, *, flush: bool = True) -> None:
    """UTF-8 bytes to stdout whatever the locale's encoding."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        if flush:
            buffer.flush()
    else:  # a text-only stream (some test harnesses)
        sys.stdout.write(data.decode("utf-8"))


def _error(message: str) -> None:
    print(f"luoshi: error: {message}", file=sys.stderr, flush=True)
