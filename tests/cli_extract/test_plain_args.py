"""`luoshi extract` run without typer (luoshi.cli.main) reads its arguments as the Typer app does.

Every argument list the plain reading takes must give `run` the very values the app gives it;
the rest (help, mistakes, rarer spellings) must be left to the app.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from typer.testing import CliRunner

from luoshi.cli import extract_run
from luoshi.cli.extract_run import Format, parse_plain

# taken by the plain reading
PLAIN = [
    ["r.txt"],
    ["r.txt", "-o", "out.json"],
    ["r.txt", "--output", "out/"],
    ["-o", "out.json", "r.txt"],
    ["r.txt", "-f", "csv"],
    ["r.txt", "--format", "table", "--output", "-"],
    ["--format=xlsx", "--output=a=b.xlsx", "r.txt"],
    ["a.txt", "b.docx", "dir", "-f", "json"],
    ["-"],
    ["-", "-o", "-"],
    ["--", "-x.txt", "--help", "-"],
    ["r.txt", "--", "--", "s.txt"],
    ["my report.txt", " spaced ", "报告.txt", "-o", "输出.json"],
    ["r.txt", "-o", "dir/../x.json"],
]
# left to the app
APP = [
    [],
    ["--help"],
    ["r.txt", "--help"],
    ["r.txt", "-f", "JSON"],
    ["r.txt", "--format", "yaml"],
    ["r.txt", "--bogus"],
    ["r.txt", "-x"],
    ["r.txt", "-o"],
    ["r.txt", "-f"],
    ["r.txt", "-o", "--help"],
    ["r.txt", "-o", "-x.json"],
    ["r.txt", "-fcsv"],
    ["r.txt", "-o=x.json"],
    ["r.txt", "--output="],
    ["r.txt", "-o", ""],
    ["r.txt", "-f", "csv", "-f", "json"],
    ["r.txt", "-o", "a.json", "--output", "b.json"],
    [""],
    ["r.txt", "--", ""],
    ["-o", "out.json"],
    ["--formats", "csv", "r.txt"],
    ["r.txt", "--out", "x.json"],
]


def _app_reading(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...] | None:
    """The values the Typer app hands to ``run`` for ``luoshi extract ARGS`` (None: it refused)."""
    from luoshi.cli import app

    seen: list[tuple[Any, ...]] = []

    def record(paths: Any, fmt: Any, output: Any) -> int:
        seen.append((list(paths), fmt, output))
        return 0

    monkeypatch.setattr(extract_run, "run", record)
    result = CliRunner().invoke(app, ["extract", *args], catch_exceptions=False)
    if result.exit_code != 0 or not seen:
        return None
    return seen[0]


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_plain_reading_is_the_apps(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    plain = parse_plain(args)
    assert plain is not None, "a common spelling should not need typer"
    app = _app_reading(args, monkeypatch)
    assert app is not None
    assert plain == app
    assert all(type(p) is type(q) for p, q in zip(plain[0], app[0], strict=True))
    assert type(plain[1]) is Format and type(app[1]) is Format


@pytest.mark.parametrize("args", APP, ids=" ".join)
def test_the_rest_is_left_to_the_app(args: list[str]) -> None:
    # some of these the app refuses with its own message, some ("-fcsv", a repeated option) it
    # reads in ways not worth copying: either way it must be the app that reads them
    assert parse_plain(args) is None


def test_windows_and_completion_requests_are_left_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from luoshi.cli import _plain_extract

    def no_run(*_args: Any) -> int:
        raise AssertionError("run without the app")

    monkeypatch.setattr(extract_run, "run", no_run)
    with monkeypatch.context() as m:
        m.setattr(os, "name", "nt")  # the app expands "*.txt", "~" and "%VAR%" there, as a shell
        assert _plain_extract(["extract", "*.txt"]) is None
    monkeypatch.setenv("_LUOSHI_COMPLETE", "bash_complete")
    assert _plain_extract(["extract", "r.txt"]) is None
    monkeypatch.delenv("_LUOSHI_COMPLETE")
    with pytest.raises(AssertionError, match="without the app"):
        _plain_extract(["extract", "r.txt"])
